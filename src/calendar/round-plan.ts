import type { ToolExplanation } from '../solver/model.js';
import { explanationView } from '../domain/placement.js';
import type { RoundProposal } from '../domain/round-proposal.js';
import { isoFromMinute, minuteAtOrAfter, minuteFromDate } from '../domain/time.js';
import type { AllocationRequest, AllocationRound } from '../generated/prisma/client.js';
import {
  allocateFirstComeFirstServed,
  allocateRound,
  AllocationInputSchema,
  type AllocationInput,
  type AllocationResult,
  type Grant,
} from '../solver/allocate/index.js';
import { checkPlacement, validateSchedule } from '../solver/check.js';
import type { Booking, PlacementRequest, Reservation, SolverSnapshot } from '../solver/model.js';
import { SOLVER_MODEL_VERSION } from '../solver/model.js';
import { buildSolverState } from '../solver/state.js';
import { loadCalendar, type DbReader } from './snapshot.js';

// An allocation round on the calendar: the round's requests as the solver reads them, the proposal
// the lab manager reviews (with first come first served beside it and the diff to the calendar),
// and the check that a proposal still fits the calendar when it is approved.

export interface RoundSearch {
  iterations?: number;
  /** Wall-clock limit of the search, read here (the solver itself reads no clock). */
  timeLimitMs?: number;
}

/** The calendar of the round's tool types over its week, with the requesters' qualifications. */
export async function loadRoundCalendar(
  db: DbReader,
  round: AllocationRound,
  requests: readonly AllocationRequest[],
): Promise<SolverSnapshot> {
  return (
    await loadCalendar(db, {
      toolTypeIds: round.toolTypeIds,
      fromMinute: minuteFromDate(round.weekStart),
      toMinute: minuteFromDate(round.weekEnd),
      userIds: [...new Set(requests.map((r) => r.userId))],
    })
  ).snapshot;
}

/** The solver's input: the submitted requests, each pin at the slot the previous proposal gave it. */
export function allocationInputOf(
  round: AllocationRound,
  requests: readonly AllocationRequest[],
  previous: RoundProposal | null,
  now: Date,
): AllocationInput {
  const pinnedAt = new Map(previous?.grants.map((g) => [g.requestId, g]) ?? []);
  return AllocationInputSchema.parse({
    version: SOLVER_MODEL_VERSION,
    now: minuteAtOrAfter(now),
    shares: { institute: round.institutePct, university: round.universityPct, industry: round.industryPct },
    shareTolerancePts: round.tolerancePts,
    requests: requests
      .filter((r) => r.state === 'submitted')
      .map((r) => {
        const slot = pinnedAt.get(r.id);
        return {
          id: r.id,
          tenantId: r.tenantId,
          userId: r.userId,
          toolType: r.toolTypeId,
          ...(r.toolIds.length > 0 ? { toolIds: r.toolIds } : {}),
          durationMinutes: r.durationMin,
          earliestStart: minuteAtOrAfter(r.windowStart),
          latestEnd: minuteFromDate(r.windowEnd),
          material: r.material,
          waferSize: r.waferSize,
          contaminationGroup: r.contaminationGroup,
          priority: r.priority,
          order: r.seq,
          ...(r.pinned
            ? {
                pinned: slot
                  ? { slot: { toolId: slot.toolId, start: minuteFromDate(new Date(slot.startsAt)) } }
                  : {},
              }
            : {}),
          dropped: r.dropped,
        };
      }),
  });
}

/**
 * Allocates the round on the calendar as it stands and returns the proposal to review. The result is
 * judged by the solver's referee first: a proposal that breaks a rule is never shown.
 */
export function proposeAllocation(
  snapshot: SolverSnapshot,
  round: AllocationRound,
  input: AllocationInput,
  options: { revision: number; proposedAt: Date; search?: RoundSearch },
): RoundProposal {
  const state = buildSolverState(snapshot);
  const started = performance.now();
  const limit = options.search?.timeLimitMs;
  const result = allocateRound(input, state, {
    seed: round.seed,
    ...(options.search?.iterations === undefined ? {} : { iterations: options.search.iterations }),
    ...(limit === undefined ? {} : { shouldStop: () => performance.now() - started > limit }),
  });
  const violations = validateSchedule(withGrants(snapshot, input, result.grants));
  if (violations.length > 0) {
    throw new Error(
      `the round's proposal breaks ${violations.length} rules: ${violations
        .map((v) => v.detail)
        .slice(0, 3)
        .join('; ')}`,
    );
  }
  const fcfs = allocateFirstComeFirstServed(input, state);
  return {
    revision: options.revision,
    proposedAt: options.proposedAt.toISOString(),
    shares: input.shares,
    tolerancePts: input.shareTolerancePts,
    iterations: result.iterations,
    grants: result.grants.map((g) => ({
      requestId: g.requestId,
      tenantId: g.tenantId,
      toolId: g.toolId,
      startsAt: isoFromMinute(g.start),
      endsAt: isoFromMinute(g.end),
      pinned: g.pinned,
    })),
    leftOut: result.leftOut.map((l) => ({
      requestId: l.requestId,
      tenantId: l.tenantId,
      reason: l.reason,
      words: l.words,
      ...(l.share ? { share: l.share } : {}),
      explanation: explanationView(l.explanation as ToolExplanation[]),
    })),
    figures: result.figures,
    firstComeFirstServed: {
      grantedMinutes: fcfs.figures.grantedMinutes,
      shareDeviationPts: fcfs.figures.shareDeviationPts,
      jainIndex: fcfs.figures.jainIndex,
      classes: fcfs.figures.classes.map((c) => ({ tenantClass: c.tenantClass, grantedPct: c.grantedPct })),
    },
    diff: diffOf(snapshot, round, result),
  };
}

/**
 * What stops the proposal's grants from being booked now: for each grant, every rule it would break
 * beside the calendar as it is and the other grants (an empty map: all of them still fit).
 */
export function conflictsOf(
  snapshot: SolverSnapshot,
  input: AllocationInput,
  grants: readonly Grant[],
  now: Date,
): Map<string, string[]> {
  const byId = new Map(input.requests.map((r) => [r.id, r]));
  const all = withGrants(snapshot, input, grants);
  const conflicts = new Map<string, string[]>();
  for (const grant of grants) {
    const r = byId.get(grant.requestId);
    if (r === undefined) {
      conflicts.set(grant.requestId, ['the request is no longer in the round']);
      continue;
    }
    const request: PlacementRequest = {
      id: r.id,
      tenantId: r.tenantId,
      userId: r.userId,
      target: r.toolIds ? { kind: 'tools', toolIds: r.toolIds } : { kind: 'toolType', toolType: r.toolType },
      durationMinutes: r.durationMinutes,
      earliestStart: r.earliestStart,
      latestEnd: r.latestEnd,
      material: r.material,
      waferSize: r.waferSize,
      contaminationGroup: r.contaminationGroup,
    };
    const others = { ...all, reservations: all.reservations.filter((x) => x.id !== grant.requestId) };
    const broken = checkPlacement(request, grant, others, minuteAtOrAfter(now)).map((v) => v.code);
    if (broken.length > 0) conflicts.set(grant.requestId, [...new Set(broken)]);
  }
  return conflicts;
}

function withGrants(
  snapshot: SolverSnapshot,
  input: AllocationInput,
  grants: readonly Grant[],
): SolverSnapshot {
  const byId = new Map(input.requests.map((r) => [r.id, r]));
  const bookings = grants.flatMap((g): Booking[] => {
    const r = byId.get(g.requestId);
    if (r === undefined) return [];
    return [
      {
        kind: 'booking',
        id: g.requestId,
        toolId: g.toolId,
        start: g.start,
        end: g.end,
        state: 'confirmed',
        tenantId: r.tenantId,
        userId: r.userId,
        material: r.material,
        waferSize: r.waferSize,
        contaminationGroup: r.contaminationGroup,
      },
    ];
  });
  return { ...snapshot, reservations: [...snapshot.reservations, ...bookings] };
}

/** Per tool of the round: the claims already in the week, the round's grants, the free time before and after. */
function diffOf(
  snapshot: SolverSnapshot,
  round: AllocationRound,
  result: AllocationResult,
): RoundProposal['diff'] {
  const from = minuteFromDate(round.weekStart);
  const to = minuteFromDate(round.weekEnd);
  return snapshot.tools
    .filter((t) => round.toolTypeIds.includes(t.type))
    .map((tool) => {
      const existing = snapshot.reservations
        .filter((r) => r.toolId === tool.id && r.start < to && r.end > from)
        .sort((a, b) => a.start - b.start);
      const added = result.grants.filter((g) => g.toolId === tool.id).sort((a, b) => a.start - b.start);
      const before = to - from - coveredMinutes(existing, from, to);
      const after = to - from - coveredMinutes([...existing, ...added], from, to);
      return {
        toolId: tool.id,
        toolTypeId: tool.type,
        existing: existing.map((r: Reservation) => ({
          kind: r.kind,
          startsAt: isoFromMinute(r.start),
          endsAt: isoFromMinute(r.end),
        })),
        added: added.map((g) => ({
          requestId: g.requestId,
          tenantId: g.tenantId,
          startsAt: isoFromMinute(g.start),
          endsAt: isoFromMinute(g.end),
        })),
        freeMinutesBefore: before,
        freeMinutesAfter: after,
      };
    });
}

function coveredMinutes(
  intervals: readonly { start: number; end: number }[],
  from: number,
  to: number,
): number {
  let covered = 0;
  let cursor = from;
  for (const i of [...intervals].sort((a, b) => a.start - b.start)) {
    const start = Math.max(i.start, cursor);
    const end = Math.min(i.end, to);
    if (end > start) covered += end - start;
    cursor = Math.max(cursor, Math.min(i.end, to));
  }
  return covered;
}
