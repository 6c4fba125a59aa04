import type { Actor } from '../../src/domain/actor.js';
import type { BookingSnapshot } from '../../src/domain/booking.js';
import type { ActivityDeps } from '../deps.js';
import { resolveTiming } from '../timing.js';
import { chargeMissedBooking } from '../usage.js';
import { policyOf } from './placement-retries.js';
import { toBookingUser, transitionBooking } from './transition.js';

/** Cancels before use; a confirmed booking cancelled inside the policy's late-cancel lead is marked late. */
export function cancelBookingActivity(deps: ActivityDeps) {
  const { db } = deps;
  return async function cancelBooking(input: { bookingId: string; actor: Actor; reason?: string; penaltyFree?: boolean }): Promise<BookingSnapshot> {
    const row = await db.booking.findUnique({ where: { id: input.bookingId } });
    const policy = row ? await policyOf(db, row.toolId) : null;
    const lateCancelMs = resolveTiming(policy, {}).lateCancelMs;
    return transitionBooking(deps, input.bookingId, {
      from: ['held', 'confirmed'],
      to: 'cancelled',
      actor: input.actor,
      action: 'booking.cancelled',
      frees: 'cancelled',
      data: (r, now) => ({
        cancelReason: input.reason ?? null,
        lateCancel: !input.penaltyFree && r.state === 'confirmed' && r.startsAt.getTime() - now.getTime() < lateCancelMs,
      }),
      // A late cancellation pays the policy's share of the booked time's cost.
      after: (tx, r) => (r.lateCancel ? chargeMissedBooking(tx, r, 'late_cancel') : Promise.resolve()),
      notify: (r) => [toBookingUser(r, 'booking.cancelled', `Cancelled: ${r.toolId}${r.lateCancel ? ' (late)' : ''}`, { lateCancel: r.lateCancel })],
    });
  };
}
