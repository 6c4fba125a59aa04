import {
  roundOutcomeSchema,
  type RoundRequestView,
  type RoundSnapshot,
  type RoundView,
} from '../domain/round.js';
import type { AllocationRequest, AllocationRound } from '../generated/prisma/client.js';

/** A round row as the API and workflows see it. */
export function roundView(row: AllocationRound): RoundView {
  return {
    id: row.id,
    weekStart: row.weekStart.toISOString(),
    weekEnd: row.weekEnd.toISOString(),
    toolTypeIds: [...row.toolTypeIds],
    closesAt: row.closesAt.toISOString(),
    approvalDeadline: row.approvalDeadline.toISOString(),
    state: row.state,
    shares: { institute: row.institutePct, university: row.universityPct, industry: row.industryPct },
    tolerancePts: row.tolerancePts,
    revision: row.revision,
    proposedAt: row.proposedAt?.toISOString() ?? null,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    lapsedAt: row.lapsedAt?.toISOString() ?? null,
  };
}

/** The round with its deadlines as offsets from `now`, for the workflow's timers. */
export function roundSnapshot(row: AllocationRound, now: Date): RoundSnapshot {
  return {
    round: roundView(row),
    closesInMs: row.closesAt.getTime() - now.getTime(),
    approvalDeadlineInMs: row.approvalDeadline.getTime() - now.getTime(),
  };
}

/** A round request as its tenant (and staff) see it; the outcome once the round is decided. */
export function roundRequestView(row: AllocationRequest): RoundRequestView {
  const outcome = row.outcome === null ? null : roundOutcomeSchema.safeParse(row.outcome);
  return {
    id: row.id,
    requestId: row.requestId,
    roundId: row.roundId,
    tenantId: row.tenantId,
    userId: row.userId,
    toolTypeId: row.toolTypeId,
    toolIds: [...row.toolIds],
    durationMin: row.durationMin,
    earliestStart: row.windowStart.toISOString(),
    latestEnd: row.windowEnd.toISOString(),
    material: row.material,
    waferSize: row.waferSize,
    contaminationGroup: row.contaminationGroup,
    priority: row.priority,
    purpose: row.purpose,
    state: row.state,
    pinned: row.pinned,
    dropped: row.dropped,
    submittedAt: row.createdAt.toISOString(),
    bookingId: row.bookingId,
    outcome: outcome?.success ? outcome.data : null,
  };
}
