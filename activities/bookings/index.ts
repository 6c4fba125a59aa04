import type { ActivityDeps } from '../deps.js';
import { cancelBookingActivity } from './cancel.js';
import { decideBookingActivity, expireHoldActivity } from './decide.js';
import { currentBookingActivity, sendReminderActivity } from './follow.js';
import { placeAndHoldActivity } from './place-and-hold.js';
import { rescheduleBookingActivity } from './reschedule.js';
import { markNoShowActivity, recordCheckInActivity, recordCheckOutActivity } from './use.js';

export type { RescheduleResult } from './reschedule.js';

/** Booking side effects, each one transaction that also writes the audit log and the outbox. */
export function createBookingActivities(deps: ActivityDeps) {
  return {
    placeAndHold: placeAndHoldActivity(deps),
    decideBooking: decideBookingActivity(deps),
    expireHold: expireHoldActivity(deps),
    cancelBooking: cancelBookingActivity(deps),
    rescheduleBooking: rescheduleBookingActivity(deps),
    recordCheckIn: recordCheckInActivity(deps),
    recordCheckOut: recordCheckOutActivity(deps),
    markNoShow: markNoShowActivity(deps),
    currentBooking: currentBookingActivity(deps),
    sendReminder: sendReminderActivity(deps),
  };
}

export type BookingActivities = ReturnType<typeof createBookingActivities>;
