import type { Actor } from '../../src/domain/actor.js';
import type { BookingSnapshot } from '../../src/domain/booking.js';
import type { ActivityDeps } from '../deps.js';
import { toBookingUser, transitionBooking } from './transition.js';

/** A lab manager's decision on a held booking. */
export function decideBookingActivity(deps: ActivityDeps) {
  return function decideBooking(input: { bookingId: string; approve: boolean; actor: Actor; note?: string }): Promise<BookingSnapshot> {
    return transitionBooking(deps, input.bookingId, {
      from: ['held'],
      to: input.approve ? 'confirmed' : 'rejected',
      actor: input.actor,
      action: input.approve ? 'booking.approved' : 'booking.rejected',
      ...(input.approve ? {} : { frees: 'rejected' }),
      // A rejection keeps its reason on the booking: the requester reads it there, not only in the mail.
      data: () => ({ decidedById: input.actor.userId, approvalDeadline: null, ...(input.approve ? {} : { cancelReason: input.note ?? null }) }),
      notify: (row) => [
        toBookingUser(row, input.approve ? 'booking.approved' : 'booking.rejected', `${input.approve ? 'Approved' : 'Rejected'}: ${row.toolId}`, {
          note: input.note ?? null,
        }),
      ],
    });
  };
}

/** No decision before the deadline: the hold is released. */
export function expireHoldActivity(deps: ActivityDeps) {
  return function expireHold(input: { bookingId: string }): Promise<BookingSnapshot> {
    return transitionBooking(deps, input.bookingId, {
      from: ['held'],
      to: 'expired',
      actor: undefined,
      action: 'booking.expired',
      frees: 'hold_expired',
      notify: (row) => [toBookingUser(row, 'booking.expired', `No decision in time: your hold on ${row.toolId} was released`)],
    });
  };
}
