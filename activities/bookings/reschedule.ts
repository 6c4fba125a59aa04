import { findSlots, placementRequestOf } from '../../src/calendar/placement.js';
import { bookingSnapshot } from '../../src/data/booking-view.js';
import { type Actor } from '../../src/domain/actor.js';
import { hasRole, managerRoles } from '../../src/domain/roles.js';
import type { BookingRequest, BookingSnapshot, SlotWish } from '../../src/domain/booking.js';
import type { Explanation } from '../../src/domain/placement.js';
import { PilotlineError } from '../../src/errors.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { lockToolTypes, toolTypesOf } from '../locks.js';
import { recordChange } from '../records.js';
import { approvalDeadline, resolveTiming } from '../timing.js';
import { membersIn, syncLinkedMembers } from './linked.js';
import { handOverRun } from './shared-run.js';
import { withPlacementRetries } from './placement-retries.js';
import { toBookingUser } from './transition.js';

export type RescheduleResult = { kind: 'moved'; snapshot: BookingSnapshot } | { kind: 'unplaced'; explanation: Explanation };

/** Moves the booking to the best slot of a new window, or says why none fits (it then keeps its slot). */
export function rescheduleBookingActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  const maxAttempts = deps.maxPlacementAttempts ?? 5;
  const placementLock = deps.placementLock ?? lockToolTypes;

  return async function rescheduleBooking(input: { bookingId: string; actor: Actor; wish: SlotWish }): Promise<RescheduleResult> {
    try {
      const outcome = await withPlacementRetries(maxAttempts, () =>
        db.$transaction(
          async (tx) => {
            const booking = await tx.booking.findUnique({ where: { id: input.bookingId } });
            if (!booking) throw new PilotlineError('NOT_FOUND', `No booking ${input.bookingId}`);
            if (booking.state !== 'held' && booking.state !== 'confirmed') {
              throw new PilotlineError('INVALID_STATE', `A ${booking.state} booking cannot be rescheduled`);
            }
            await placementLock(tx, await toolTypesOf(tx, input.wish));
            const now = clock.now();
            const owner: Actor = { userId: booking.userId, tenantId: booking.tenantId, role: 'tenant_user' };
            const lot = {
              material: booking.material as BookingRequest['material'],
              waferSize: booking.waferSize as BookingRequest['waferSize'],
              contaminationGroup: booking.contaminationGroup as BookingRequest['contaminationGroup'],
              recipe: booking.recipe ?? undefined,
              waferCount: booking.waferCount,
            };
            const request = placementRequestOf(booking.requestId, input.wish, lot, owner);
            // Its linked tools move with it: their old slots are free for the new one too.
            const members = await membersIn(tx, booking.id, ['held', 'confirmed']);
            const exclude = [booking.id, ...members.map((m) => m.id)];
            // A training booking moves with its trainer beside the trainee: no qualification needed.
            const { answer, policyRowOf } = await findSlots(tx, request, now, {
              maxOptions: 1,
              exclude,
              training: booking.trainerId !== null,
              catalogue: deps.catalogue,
            });
            if (answer.kind === 'unplaced') return answer;
            const option = answer.options[0]!;
            const startsAt = new Date(option.startsAt);
            // A new slot that needs approval goes back to the lab managers, unless one moved it.
            const held = booking.state === 'held' || (option.approvalRequired && !hasRole(input.actor.role, managerRoles));
            const timing = resolveTiming(policyRowOf(option.toolId), {});
            const updated = await tx.booking.update({
              where: { id: booking.id, state: booking.state },
              data: {
                toolId: option.toolId,
                startsAt,
                endsAt: new Date(option.endsAt),
                windowStart: new Date(input.wish.earliestStart),
                windowEnd: new Date(input.wish.latestEnd),
                state: held ? 'held' : 'confirmed',
                approvalDeadline: held ? approvalDeadline(now, startsAt, timing.approvalTimeoutMs) : null,
                // A slot chosen by the tenant replaces maintenance's: nothing left to decline.
                movedByMaintenanceId: null,
                sharedRunId: option.joinsRun ?? null,
              },
            });
            await syncLinkedMembers(tx, updated, option.linkedToolIds ?? []);
            // A run's holder moving away leaves the run to the loads that joined it.
            if (!booking.sharedRunId && (updated.startsAt.getTime() !== booking.startsAt.getTime() || updated.toolId !== booking.toolId)) await handOverRun(tx, booking);
            await recordChange(tx, {
              actor: input.actor,
              action: 'booking.rescheduled',
              entityType: 'booking',
              entityId: booking.id,
              data: {
                from: { toolId: booking.toolId, startsAt: booking.startsAt.toISOString(), endsAt: booking.endsAt.toISOString() },
                to: { toolId: option.toolId, startsAt: option.startsAt, endsAt: option.endsAt },
                state: updated.state,
              },
              notify: [
                toBookingUser(updated, 'booking.rescheduled', `Rescheduled: ${option.toolId} at ${option.startsAt}`),
                ...(held && booking.state !== 'held'
                  ? [{ audience: 'lab_manager', kind: 'approval.needed', subject: `Approval needed: ${option.toolId}`, payload: { bookingId: booking.id, toolId: option.toolId, startsAt: option.startsAt, endsAt: option.endsAt } }]
                  : []),
              ],
            });
            return { kind: 'moved' as const, row: updated };
          },
          { timeout: 15_000 },
        ),
      );
      return outcome.kind === 'moved' ? { kind: 'moved', snapshot: bookingSnapshot(outcome.row, clock.now()) } : outcome;
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}
