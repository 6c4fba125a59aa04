import { findSlots, placementRequestOf } from '../../src/calendar/placement.js';
import { bookingSnapshot } from '../../src/data/booking-view.js';
import type { Db, Tx } from '../../src/data/db.js';
import { sqlStateOf, sqlStates } from '../../src/data/sql-state.js';
import type { Actor } from '../../src/domain/actor.js';
import type { BookingRequest, BookingTiming } from '../../src/domain/booking.js';
import { bookingWorkflowId } from '../../src/domain/ids.js';
import type { PlaceAndHoldResult } from '../../src/domain/placement.js';
import type { Booking } from '../../src/generated/prisma/client.js';
import { PilotlineError } from '../../src/errors.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { lockToolTypes, toolTypesOf } from '../locks.js';
import { recordChange } from '../records.js';
import { approvalDeadline, resolveTiming } from '../timing.js';
import { policyOf, withPlacementRetries } from './placement-retries.js';
import { toBookingUser } from './transition.js';

export interface PlaceAndHoldInput {
  request: BookingRequest;
  actor: Actor;
  timingOverrides: Partial<BookingTiming>;
}

/** The booking's first step: the best slot of a fresh calendar, written as held or confirmed. */
export function placeAndHoldActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  const maxAttempts = deps.maxPlacementAttempts ?? 5;
  const placementLock = deps.placementLock ?? lockToolTypes;

  return async function placeAndHold(input: PlaceAndHoldInput): Promise<PlaceAndHoldResult> {
    const { request, actor } = input;
    const placed = async (row: Booking, tx: Pick<Db | Tx, 'tool' | 'policy'>): Promise<PlaceAndHoldResult> => {
      if (row.tenantId !== actor.tenantId || row.userId !== actor.userId) {
        throw new PilotlineError('FORBIDDEN', 'That requestId belongs to another request');
      }
      const timing = resolveTiming(await policyOf(tx, row.toolId), input.timingOverrides);
      return { kind: 'placed', snapshot: bookingSnapshot(row, clock.now()), timing, approvalRequired: row.state === 'held' };
    };
    try {
      const existing = await db.booking.findUnique({ where: { requestId: request.requestId } });
      if (existing) return await placed(existing, db);
      return await withPlacementRetries(maxAttempts, () =>
        db.$transaction(
          async (tx): Promise<PlaceAndHoldResult> => {
            await placementLock(tx, await toolTypesOf(tx, request));
            const now = clock.now();
            const placementRequest = placementRequestOf(request.requestId, request, request, actor);
            const { answer, policyRowOf } = await findSlots(tx, placementRequest, now, { maxOptions: 1 });
            if (answer.kind === 'unplaced') return answer;
            const option = answer.options[0]!;
            const timing = resolveTiming(policyRowOf(option.toolId), input.timingOverrides);
            const startsAt = new Date(option.startsAt);
            const held = option.approvalRequired;
            const row = await tx.booking.create({
              data: {
                requestId: request.requestId,
                workflowId: bookingWorkflowId(request.requestId),
                tenantId: actor.tenantId,
                userId: actor.userId,
                toolId: option.toolId,
                startsAt,
                endsAt: new Date(option.endsAt),
                state: held ? 'held' : 'confirmed',
                material: request.material,
                waferSize: request.waferSize,
                contaminationGroup: request.contaminationGroup,
                windowStart: new Date(request.earliestStart),
                windowEnd: new Date(request.latestEnd),
                purpose: request.purpose ?? null,
                approvalDeadline: held ? approvalDeadline(now, startsAt, timing.approvalTimeoutMs) : null,
              },
            });
            await recordChange(tx, {
              actor,
              action: held ? 'booking.held' : 'booking.confirmed',
              entityType: 'booking',
              entityId: row.id,
              data: { toolId: row.toolId, startsAt: option.startsAt, endsAt: option.endsAt },
              notify: held
                ? [
                    toBookingUser(row, 'booking.held', `Held ${row.toolId}: waiting for a lab manager's approval`),
                    { audience: 'lab_manager', kind: 'approval.needed', subject: `Approval needed: ${row.toolId}`, payload: { bookingId: row.id, toolId: row.toolId, startsAt: option.startsAt, endsAt: option.endsAt } },
                  ]
                : [toBookingUser(row, 'booking.confirmed', `Confirmed: ${row.toolId} at ${option.startsAt}`)],
            });
            return { kind: 'placed', snapshot: bookingSnapshot(row, clock.now()), timing, approvalRequired: held };
          },
          { timeout: 15_000 },
        ),
      );
    } catch (err) {
      // The same request racing itself (a retried activity): the other attempt's row is the answer.
      if (sqlStateOf(err) === sqlStates.uniqueViolation) {
        const row = await db.booking.findUnique({ where: { requestId: request.requestId } });
        if (row) return placed(row, db).catch((e: unknown) => Promise.reject(asActivityFailure(e)));
      }
      throw asActivityFailure(err);
    }
  };
}
