import { randomUUID } from 'node:crypto';
import { findSlots, placementRequestOf } from '../../src/calendar/placement.js';
import { bookingById, insertPlacedBooking } from '../../src/data/booking-insert.js';
import { bookingSnapshot } from '../../src/data/booking-view.js';
import { chooseProjectToCharge } from '../../src/data/project-charge.js';
import { sqlStateOf, sqlStates } from '../../src/data/sql-state.js';
import { inTransaction, poolOf, type SqlClient } from '../../src/data/sql.js';
import type { Actor } from '../../src/domain/actor.js';
import type { BookingRequest, BookingTiming } from '../../src/domain/booking.js';
import { bookingWorkflowId } from '../../src/domain/ids.js';
import type { PlaceAndHoldResult } from '../../src/domain/placement.js';
import type { TrainingBooking } from '../../src/domain/training-booking.js';
import type { Booking } from '../../src/generated/prisma/client.js';
import { PilotlineError } from '../../src/errors.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { lockToolTypes, lockToolTypesText, toolTypesIn, toolTypesOf } from '../locks.js';
import { resolveTiming } from '../timing.js';
import { policyOf, withPlacementRetries } from './placement-retries.js';
import { toBookingUser } from './transition.js';

export interface PlaceAndHoldInput {
  request: BookingRequest;
  actor: Actor;
  timingOverrides: Partial<BookingTiming>;
  /** A training booking: made by `actor` (a lab manager) for the trainee, who owns it. */
  training?: TrainingBooking | undefined;
}

/** Who a booking belongs to: its requester, or the trainee of a training booking. */
function ownerOf(input: PlaceAndHoldInput): Actor {
  const { training, actor } = input;
  return training ? { userId: training.traineeId, tenantId: training.traineeTenantId, role: 'tenant_user' } : actor;
}

/** The booking's first step: the best slot of a fresh calendar, written as held or confirmed. */
export function placeAndHoldActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  const maxAttempts = deps.maxPlacementAttempts ?? 5;
  const placementLock = deps.placementLock ?? lockToolTypes;

  return async function placeAndHold(input: PlaceAndHoldInput): Promise<PlaceAndHoldResult> {
    const { request, actor, training } = input;
    const owner = ownerOf(input);
    const placed = (row: Booking, policy: Parameters<typeof resolveTiming>[0]): PlaceAndHoldResult => {
      if (row.tenantId !== owner.tenantId || row.userId !== owner.userId) {
        throw new PilotlineError('FORBIDDEN', 'That requestId belongs to another request');
      }
      const timing = resolveTiming(policy, input.timingOverrides);
      return { kind: 'placed', snapshot: bookingSnapshot(row, clock.now()), timing, approvalRequired: row.state === 'held' };
    };

    /** One placement transaction, or the tool types it must lock instead (the catalogue changed since it was cached). */
    const attempt = (locked: readonly string[] | undefined) => {
      // Types known before the transaction: the default lock goes with its BEGIN (one round trip less).
      const lockFirst = locked && !deps.placementLock ? lockToolTypesText(locked) : undefined;
      return inTransaction(poolOf(db), async (client): Promise<PlaceAndHoldResult | { relock: string[] }> => {
        const types = locked ?? (await toolTypesOf(client, request));
        if (!lockFirst) await placementLock(client, types);
        const now = clock.now();
        const placementRequest = placementRequestOf(request.requestId, request, request, owner);
        // The calendar read also says whether this request was booked already (a retried
        // activity whose first attempt committed): then that booking is the answer, charged as it was.
        // It also reads the owner's tenant and projects, for the charge below.
        const { answer, policyRowOf, bookedId, booker, catalogue } = await findSlots(client, placementRequest, now, {
          maxOptions: 1,
          training: training !== undefined,
          catalogue: deps.catalogue,
          requestId: request.requestId,
          booker: owner,
        });
        const needed = toolTypesIn(catalogue, request);
        if (needed.some((t) => !types.includes(t))) return { relock: [...new Set([...types, ...needed])].sort() };
        if (bookedId) {
          const row = await bookingById(client, bookedId);
          if (!row) throw new Error(`booking ${bookedId} vanished inside its own transaction`);
          return placed(row, policyRowOf(row.toolId));
        }
        // Checked again here: a membership may have ended (or the tenant been suspended) since the API looked.
        const projectId = chooseProjectToCharge(booker!, request.projectId, now);
        if (answer.kind === 'unplaced') return answer;
        const option = answer.options[0]!;
        const timing = resolveTiming(policyRowOf(option.toolId), input.timingOverrides);
        const startsAt = new Date(option.startsAt);
        const endsAt = new Date(option.endsAt);
        // A lab manager made the training booking: nothing left to approve.
        const held = option.approvalRequired && !training;
        const booking = {
          id: randomUUID(),
          requestId: request.requestId,
          workflowId: bookingWorkflowId(request.requestId),
          tenantId: owner.tenantId,
          userId: owner.userId,
          toolId: option.toolId,
          startsAt,
          endsAt,
        };
        // Its linked tools, held for the same interval: all or none (one statement).
        const linkedToolIds = [...(option.linkedToolIds ?? [])].sort();
        const row = await insertPlacedBooking(
          client,
          {
            ...booking,
            projectId,
            trainerId: training?.trainerId ?? null,
            state: held ? 'held' : 'confirmed',
            material: request.material,
            waferSize: request.waferSize,
            contaminationGroup: request.contaminationGroup,
            windowStart: new Date(request.earliestStart),
            windowEnd: new Date(request.latestEnd),
            purpose: request.purpose ?? null,
            recipe: request.recipe ?? null,
            waferCount: request.waferCount ?? 1,
            // Joining a planned run (same recipe, room left, read under the tool type's lock).
            sharedRunId: option.joinsRun ?? null,
            approvalDeadline: held ? new Date(Math.min(now.getTime() + timing.approvalTimeoutMs, startsAt.getTime())) : null,
          },
          linkedToolIds,
          {
            actor,
            action: held ? 'booking.held' : 'booking.confirmed',
            entityType: 'booking',
            entityId: booking.id,
            data: {
              toolId: booking.toolId,
              startsAt: option.startsAt,
              endsAt: option.endsAt,
              ...(projectId ? { projectId } : {}),
              ...(training ? { training } : {}),
              ...(linkedToolIds.length ? { linkedToolIds } : {}),
              ...(option.joinsRun ? { joinedRun: option.joinsRun, waferCount: request.waferCount ?? 1 } : {}),
            },
            notify: held
              ? [
                  toBookingUser(booking, 'booking.held', `Held ${booking.toolId}: waiting for a lab manager's approval`),
                  { audience: 'lab_manager', kind: 'approval.needed', subject: `Approval needed: ${booking.toolId}`, payload: { bookingId: booking.id, toolId: booking.toolId, startsAt: option.startsAt, endsAt: option.endsAt } },
                ]
              : [
                  toBookingUser(booking, 'booking.confirmed', `Confirmed: ${booking.toolId} at ${option.startsAt}`),
                  ...(training
                    ? [{ recipientId: training.trainerId, kind: 'training.scheduled', subject: `You train ${booking.userId} on ${booking.toolId} at ${option.startsAt}`, payload: { bookingId: booking.id } }]
                    : []),
                ],
          },
        );
        if (training) await scheduleTraining(client, training, row.id);
        return { kind: 'placed', snapshot: bookingSnapshot(row, clock.now()), timing, approvalRequired: held, linkedToolIds };
      }, lockFirst);
    };

    try {
      return await withPlacementRetries(maxAttempts, async () => {
        // The types to lock, from the cached catalogue when there is one (no statement); checked
        // against the database's catalogue under the lock, and locked again wider if it moved on.
        let locked = deps.catalogue?.current() ? toolTypesIn(deps.catalogue.current()!.rows, request) : undefined;
        for (;;) {
          const outcome = await attempt(locked);
          if (!('relock' in outcome)) return outcome;
          locked = outcome.relock;
        }
      });
    } catch (err) {
      // The same request racing itself (a retried activity): the other attempt's row is the answer.
      if (sqlStateOf(err) === sqlStates.uniqueViolation) {
        const row = await db.booking.findUnique({ where: { requestId: request.requestId } });
        if (row) return policyOf(db, row.toolId).then((policy) => placed(row, policy)).catch((e: unknown) => Promise.reject(asActivityFailure(e)));
      }
      throw asActivityFailure(err);
    }
  };
}

/** The training request the booking answers: scheduled with it, in the same transaction. */
async function scheduleTraining(client: SqlClient, training: TrainingBooking, bookingId: string): Promise<void> {
  const { rowCount } = await client.query({
    text: `UPDATE training_requests SET status = 'scheduled', booking_id = $1::uuid, updated_at = now()
           WHERE id = $2::uuid AND user_id = $3 AND status = 'requested'`,
    values: [bookingId, training.trainingRequestId, training.traineeId],
  });
  if (rowCount !== 1) throw new PilotlineError('INVALID_STATE', 'The training request is no longer waiting for a training');
}
