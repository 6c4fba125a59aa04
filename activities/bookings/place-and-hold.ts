import { findSlots, placementRequestOf } from '../../src/calendar/placement.js';
import { bookingSnapshot } from '../../src/data/booking-view.js';
import type { Db, Tx } from '../../src/data/db.js';
import { chooseProjectToCharge } from '../../src/data/project-charge.js';
import { sqlStateOf, sqlStates } from '../../src/data/sql-state.js';
import type { Actor } from '../../src/domain/actor.js';
import type { BookingRequest, BookingTiming } from '../../src/domain/booking.js';
import { bookingWorkflowId } from '../../src/domain/ids.js';
import type { PlaceAndHoldResult } from '../../src/domain/placement.js';
import type { TrainingBooking } from '../../src/domain/training-booking.js';
import type { Booking } from '../../src/generated/prisma/client.js';
import { PilotlineError } from '../../src/errors.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { lockToolTypes, toolTypesOf } from '../locks.js';
import { recordChange } from '../records.js';
import { approvalDeadline, resolveTiming } from '../timing.js';
import { syncLinkedMembers } from './linked.js';
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
    const placed = async (row: Booking, tx: Pick<Db | Tx, 'tool' | 'policy'>): Promise<PlaceAndHoldResult> => {
      if (row.tenantId !== owner.tenantId || row.userId !== owner.userId) {
        throw new PilotlineError('FORBIDDEN', 'That requestId belongs to another request');
      }
      const timing = resolveTiming(await policyOf(tx, row.toolId), input.timingOverrides);
      return { kind: 'placed', snapshot: bookingSnapshot(row, clock.now()), timing, approvalRequired: row.state === 'held' };
    };
    try {
      return await withPlacementRetries(maxAttempts, () =>
        db.$transaction(
          async (tx): Promise<PlaceAndHoldResult> => {
            await placementLock(tx, await toolTypesOf(tx, request));
            const now = clock.now();
            const placementRequest = placementRequestOf(request.requestId, request, request, owner);
            // The calendar read also says whether this request was booked already (a retried
            // activity whose first attempt committed): then that booking is the answer, charged as it was.
            // It also reads the owner's tenant and projects, for the charge below.
            const { answer, policyRowOf, bookedId, booker } = await findSlots(tx, placementRequest, now, {
              maxOptions: 1,
              training: training !== undefined,
              catalogue: deps.catalogue,
              requestId: request.requestId,
              booker: owner,
            });
            if (bookedId) return placed(await tx.booking.findUniqueOrThrow({ where: { id: bookedId } }), tx);
            // Checked again here: a membership may have ended (or the tenant been suspended) since the API looked.
            const projectId = chooseProjectToCharge(booker!, request.projectId, now);
            if (answer.kind === 'unplaced') return answer;
            const option = answer.options[0]!;
            const timing = resolveTiming(policyRowOf(option.toolId), input.timingOverrides);
            const startsAt = new Date(option.startsAt);
            // A lab manager made the training booking: nothing left to approve.
            const held = option.approvalRequired && !training;
            const row = await tx.booking.create({
              data: {
                requestId: request.requestId,
                workflowId: bookingWorkflowId(request.requestId),
                tenantId: owner.tenantId,
                userId: owner.userId,
                projectId,
                trainerId: training?.trainerId ?? null,
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
                recipe: request.recipe ?? null,
                waferCount: request.waferCount ?? 1,
                // Joining a planned run (same recipe, room left, read under the tool type's lock).
                sharedRunId: option.joinsRun ?? null,
                approvalDeadline: held ? approvalDeadline(now, startsAt, timing.approvalTimeoutMs) : null,
              },
            });
            if (training) await scheduleTraining(tx, training, row.id);
            // Its linked tools, held for the same interval: all or none (one transaction). A new
            // booking has no members yet, so without linked tools there is nothing to sync.
            const linkedToolIds = option.linkedToolIds ?? [];
            if (linkedToolIds.length) await syncLinkedMembers(tx, row, linkedToolIds);
            await recordChange(tx, {
              actor,
              action: held ? 'booking.held' : 'booking.confirmed',
              entityType: 'booking',
              entityId: row.id,
              data: {
                toolId: row.toolId,
                startsAt: option.startsAt,
                endsAt: option.endsAt,
                ...(projectId ? { projectId } : {}),
                ...(training ? { training } : {}),
                ...(linkedToolIds.length ? { linkedToolIds } : {}),
                ...(option.joinsRun ? { joinedRun: option.joinsRun, waferCount: row.waferCount } : {}),
              },
              notify: held
                ? [
                    toBookingUser(row, 'booking.held', `Held ${row.toolId}: waiting for a lab manager's approval`),
                    { audience: 'lab_manager', kind: 'approval.needed', subject: `Approval needed: ${row.toolId}`, payload: { bookingId: row.id, toolId: row.toolId, startsAt: option.startsAt, endsAt: option.endsAt } },
                  ]
                : [
                    toBookingUser(row, 'booking.confirmed', `Confirmed: ${row.toolId} at ${option.startsAt}`),
                    ...(training
                      ? [{ recipientId: training.trainerId, kind: 'training.scheduled', subject: `You train ${row.userId} on ${row.toolId} at ${option.startsAt}`, payload: { bookingId: row.id } }]
                      : []),
                  ],
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

/** The training request the booking answers: scheduled with it, in the same transaction. */
async function scheduleTraining(tx: Tx, training: TrainingBooking, bookingId: string): Promise<void> {
  const { count } = await tx.trainingRequest.updateMany({
    where: { id: training.trainingRequestId, userId: training.traineeId, status: 'requested' },
    data: { status: 'scheduled', bookingId },
  });
  if (count !== 1) throw new PilotlineError('INVALID_STATE', 'The training request is no longer waiting for a training');
}
