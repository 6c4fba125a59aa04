import { randomUUID } from 'node:crypto';
import { allocationInputOf, conflictsOf, loadRoundCalendar } from '../../src/calendar/round-plan.js';
import { isExclusionViolation } from '../../src/data/sql-state.js';
import { roundSnapshot } from '../../src/data/round-view.js';
import type { Tx } from '../../src/data/db.js';
import type { Actor } from '../../src/domain/actor.js';
import type { Role } from '../../src/domain/roles.js';
import { bookingWorkflowId } from '../../src/domain/ids.js';
import type { RoundOutcome, PublishedBooking, RoundSnapshot } from '../../src/domain/round.js';
import { minuteFromDate } from '../../src/domain/time.js';
import type { AllocationRequest, AllocationRound, Prisma } from '../../src/generated/prisma/client.js';
import { PilotlineError } from '../../src/errors.js';
import type { Grant } from '../../src/solver/allocate/index.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { lockToolTypes } from '../locks.js';
import { recordChange, type NotificationDraft } from '../records.js';
import { proposalOf } from './propose.js';
import { lockRound, weekOf } from './rows.js';

export type PublishResult =
  | { kind: 'published'; snapshot: RoundSnapshot; bookings: PublishedBooking[] }
  /** The calendar changed since the proposal: nothing was written. */
  | { kind: 'conflicts'; snapshot: RoundSnapshot; conflicts: { requestId: string; rules: string[] }[] };

/**
 * Approves the proposal as a whole and writes it in one transaction: every grant a confirmed booking
 * (checked first against the calendar as it is now, the tool types locked, the exclusion constraint
 * beneath), every request its outcome, every requester told. If the calendar changed since the
 * proposal, nothing is written and the conflicts are returned. A retry after success answers the same.
 */
export function publishRoundActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function publishRound(input: {
    roundId: string;
    actor: Actor;
    revision: number;
    note?: string;
  }): Promise<PublishResult> {
    const { roundId, actor, revision } = input;
    try {
      const published = await db.allocationRound.findUnique({ where: { id: roundId } });
      if (published?.state === 'published')
        return {
          kind: 'published',
          snapshot: roundSnapshot(published, clock.now()),
          bookings: await publishedBookings(deps, published),
        };
      return await db.$transaction(
        async (tx): Promise<PublishResult> => {
          const round = await lockRound(tx, roundId);
          if (round.state !== 'proposed')
            throw new PilotlineError(
              'INVALID_STATE',
              `The round is ${round.state}; only a proposed round is approved`,
            );
          if (round.revision !== revision) {
            throw new PilotlineError(
              'INVALID_STATE',
              `Proposal ${round.revision} is the one in review; you approved ${revision}`,
              {
                details: { revision: round.revision },
              },
            );
          }
          if (clock.now().getTime() >= round.approvalDeadline.getTime()) {
            throw new PilotlineError('INVALID_STATE', `The approval deadline ${round.approvalDeadline.toISOString()} has passed`);
          }
          await lockToolTypes(tx, round.toolTypeIds);
          const proposal = proposalOf(round.proposal);
          if (!proposal) throw new PilotlineError('INVALID_STATE', 'The round has no proposal to approve');
          const requests = await tx.allocationRequest.findMany({
            where: { roundId, state: 'submitted' },
            orderBy: { seq: 'asc' },
          });
          const now = clock.now();
          const snapshot = await loadRoundCalendar(tx, round, requests);
          const allocation = allocationInputOf(round, requests, proposal, now);
          const grants: Grant[] = proposal.grants.map((g) => ({
            requestId: g.requestId,
            tenantId: g.tenantId,
            toolId: g.toolId,
            start: minuteFromDate(new Date(g.startsAt)),
            end: minuteFromDate(new Date(g.endsAt)),
            pinned: g.pinned,
          }));
          const conflicts = conflictsOf(snapshot, allocation, grants, now);
          if (conflicts.size > 0) {
            return {
              kind: 'conflicts',
              snapshot: roundSnapshot(round, now),
              conflicts: [...conflicts].map(([requestId, rules]) => ({ requestId, rules })),
            };
          }
          const bookings = await writeBookings(tx, round, requests, proposal.grants);
          const leftOut = new Map(proposal.leftOut.map((l) => [l.requestId, l]));
          for (const request of requests) {
            const left = leftOut.get(request.id);
            if (!left) continue;
            const outcome: RoundOutcome = {
              kind: 'left_out',
              reason: left.reason,
              words: left.words,
              ...(left.share ? { share: left.share } : {}),
              explanation: left.explanation,
            };
            await tx.allocationRequest.update({
              where: { id: request.id },
              data: { state: 'left_out', outcome: outcome as Prisma.InputJsonValue },
            });
          }
          const updated = await tx.allocationRound.update({
            where: { id: roundId },
            data: { state: 'published', publishedAt: now, decidedById: actor.userId },
          });
          await recordChange(tx, {
            actor,
            action: 'round.published',
            entityType: 'round',
            entityId: roundId,
            data: {
              revision,
              bookings: bookings.length,
              leftOut: leftOut.size,
              ...(input.note ? { note: input.note } : {}),
            },
            notify: notices(round, requests, proposal.grants, leftOut, new Map(bookings.map((b) => [b.published.roundRequestId, b.bookingId]))),
          });
          return {
            kind: 'published',
            snapshot: roundSnapshot(updated, clock.now()),
            bookings: bookings.map((b) => b.published),
          };
        },
        { timeout: 60_000 },
      );
    } catch (err) {
      if (isExclusionViolation(err)) {
        const round = await db.allocationRound.findUnique({ where: { id: roundId } });
        if (round)
          return {
            kind: 'conflicts',
            snapshot: roundSnapshot(round, clock.now()),
            conflicts: [{ requestId: '', rules: ['OVERLAP'] }],
          };
      }
      throw asActivityFailure(err);
    }
  };
}

/** The grants as confirmed bookings, each with a booking request id of its own (a booking workflow's). */
async function writeBookings(
  tx: Tx,
  round: AllocationRound,
  requests: readonly AllocationRequest[],
  grants: readonly { requestId: string; toolId: string; startsAt: string; endsAt: string }[],
) {
  const byId = new Map(requests.map((r) => [r.id, r]));
  const roles = await rolesOf(tx, requests);
  const written: { bookingId: string; published: PublishedBooking }[] = [];
  for (const grant of grants) {
    const request = byId.get(grant.requestId)!;
    const bookingRequestId = randomUUID();
    const booking = await tx.booking.create({
      data: {
        requestId: bookingRequestId,
        workflowId: bookingWorkflowId(bookingRequestId),
        tenantId: request.tenantId,
        userId: request.userId,
        toolId: grant.toolId,
        startsAt: new Date(grant.startsAt),
        endsAt: new Date(grant.endsAt),
        state: 'confirmed',
        material: request.material,
        waferSize: request.waferSize,
        contaminationGroup: request.contaminationGroup,
        windowStart: request.windowStart,
        windowEnd: request.windowEnd,
        purpose: request.purpose ?? `Allocation round ${round.id}`,
      },
    });
    const outcome: RoundOutcome = {
      kind: 'granted',
      toolId: grant.toolId,
      startsAt: grant.startsAt,
      endsAt: grant.endsAt,
    };
    await tx.allocationRequest.update({
      where: { id: request.id },
      data: { state: 'granted', bookingId: booking.id, outcome: outcome as Prisma.InputJsonValue },
    });
    await recordChange(tx, {
      actor: undefined,
      action: 'booking.confirmed',
      entityType: 'booking',
      entityId: booking.id,
      data: {
        roundId: round.id,
        roundRequestId: request.id,
        toolId: booking.toolId,
        startsAt: grant.startsAt,
        endsAt: grant.endsAt,
      },
    });
    written.push({ bookingId: booking.id, published: publishedBookingOf(request, bookingRequestId, roles) });
  }
  return written;
}

/** The requesters' roles: their bookings' workflows act for them. */
async function rolesOf(
  db: Pick<Tx, 'user'>,
  requests: readonly AllocationRequest[],
): Promise<Map<string, Role>> {
  const users = await db.user.findMany({
    where: { id: { in: [...new Set(requests.map((r) => r.userId))] } },
    select: { id: true, role: true },
  });
  return new Map(users.map((u) => [u.id, u.role]));
}

function publishedBookingOf(
  request: AllocationRequest,
  bookingRequestId: string,
  roles: ReadonlyMap<string, Role>,
): PublishedBooking {
  return {
    roundRequestId: request.id,
    bookingRequestId,
    actor: {
      userId: request.userId,
      tenantId: request.tenantId,
      role: roles.get(request.userId) ?? 'tenant_user',
    },
    toolTypeId: request.toolTypeId,
    toolIds: [...request.toolIds],
    durationMin: request.durationMin,
    earliestStart: request.windowStart.toISOString(),
    latestEnd: request.windowEnd.toISOString(),
    material: request.material as PublishedBooking['material'],
    waferSize: request.waferSize as PublishedBooking['waferSize'],
    contaminationGroup: request.contaminationGroup as PublishedBooking['contaminationGroup'],
    purpose: request.purpose,
  };
}

/** After a publication that succeeded (a retried activity): the bookings it wrote. */
async function publishedBookings(deps: ActivityDeps, round: AllocationRound): Promise<PublishedBooking[]> {
  const granted = await deps.db.allocationRequest.findMany({
    where: { roundId: round.id, state: 'granted' },
    include: { booking: { select: { requestId: true } } },
    orderBy: { seq: 'asc' },
  });
  const roles = await rolesOf(deps.db, granted);
  return granted.filter((r) => r.booking).map((r) => publishedBookingOf(r, r.booking!.requestId, roles));
}

/** Each requester hears their outcome; lab managers that the round is published. */
function notices(
  round: AllocationRound,
  requests: readonly AllocationRequest[],
  grants: readonly { requestId: string; toolId: string; startsAt: string; endsAt: string }[],
  leftOut: ReadonlyMap<string, { words: string }>,
  bookingIds: ReadonlyMap<string, string>,
): NotificationDraft[] {
  const week = { roundId: round.id, weekStart: round.weekStart.toISOString() };
  const granted = new Map(grants.map((g) => [g.requestId, g]));
  const drafts: NotificationDraft[] = [];
  for (const r of requests) {
    const grant = granted.get(r.id);
    if (grant) {
      drafts.push({
        recipientId: r.userId,
        tenantId: r.tenantId,
        kind: 'round.granted',
        subject: `Granted in the round for ${weekOf(round)}: ${grant.toolId} ${grant.startsAt}–${grant.endsAt}`,
        payload: {
          ...week,
          roundRequestId: r.id,
          ...(bookingIds.has(r.id) ? { bookingId: bookingIds.get(r.id) } : {}),
          toolId: grant.toolId,
          startsAt: grant.startsAt,
          endsAt: grant.endsAt,
        },
      });
    } else {
      drafts.push({
        recipientId: r.userId,
        tenantId: r.tenantId,
        kind: 'round.left_out',
        subject: `Not granted in the round for ${weekOf(round)}: ${leftOut.get(r.id)?.words ?? ''}`,
        payload: {
          ...week,
          roundRequestId: r.id,
          toolTypeId: r.toolTypeId,
          toolIds: r.toolIds,
          windowStart: r.windowStart.toISOString(),
          windowEnd: r.windowEnd.toISOString(),
          detail: leftOut.get(r.id)?.words ?? '',
        },
      });
    }
  }
  drafts.push({
    audience: 'lab_manager',
    kind: 'round.published',
    subject: `Round for ${weekOf(round)} published: ${grants.length} bookings`,
    payload: { ...week, granted: grants.length, requests: requests.length },
  });
  return drafts;
}
