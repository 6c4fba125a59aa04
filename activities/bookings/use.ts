import type { Actor } from '../../src/domain/actor.js';
import type { BookingSnapshot } from '../../src/domain/booking.js';
import type { ActivityDeps } from '../deps.js';
import { billUsage, chargeMissedBooking } from '../usage.js';
import { toBookingUser, transitionBooking } from './transition.js';

// Using the tool: check-in, check-out (billed from the actual times), or no check-in at all.

export function recordCheckInActivity(deps: ActivityDeps) {
  return function recordCheckIn(input: { bookingId: string; actor: Actor }): Promise<BookingSnapshot> {
    return transitionBooking(deps, input.bookingId, {
      from: ['confirmed'],
      to: 'in_use',
      actor: input.actor,
      action: 'booking.checked_in',
      data: (_row, now) => ({ checkedInAt: now }),
    });
  };
}

/** Closes the booking and bills the actual minutes; `auto` bills up to the planned end. */
export function recordCheckOutActivity(deps: ActivityDeps) {
  return function recordCheckOut(input: { bookingId: string; actor?: Actor; auto: boolean }): Promise<BookingSnapshot> {
    return transitionBooking(deps, input.bookingId, {
      from: ['in_use'],
      to: 'completed',
      actor: input.actor,
      action: input.auto ? 'booking.auto_checked_out' : 'booking.checked_out',
      data: (row, now) => ({ checkedOutAt: input.auto ? row.endsAt : now }),
      after: (tx, row) => billUsage(tx, row),
      notify: (row) => [toBookingUser(row, 'booking.completed', `Completed: ${row.toolId}`)],
    });
  };
}

export function markNoShowActivity(deps: ActivityDeps) {
  return function markNoShow(input: { bookingId: string }): Promise<BookingSnapshot> {
    return transitionBooking(deps, input.bookingId, {
      from: ['confirmed'],
      to: 'no_show',
      actor: undefined,
      action: 'booking.no_show',
      frees: 'no_show',
      // The policy's share of the booked time's cost.
      after: (tx, row) => chargeMissedBooking(tx, row, 'no_show'),
      notify: (row) => [toBookingUser(row, 'booking.no_show', `No check-in: your slot on ${row.toolId} was released`)],
    });
  };
}
