import { bookingSnapshot } from '../../src/data/booking-view.js';
import type { BookingSnapshot } from '../../src/domain/booking.js';
import { PilotlineError } from '../../src/errors.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';

/** The booking as the database holds it now (a workflow catching up with a change made elsewhere). */
export function currentBookingActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function currentBooking(input: { bookingId: string }): Promise<BookingSnapshot> {
    const row = await db.booking.findUnique({ where: { id: input.bookingId } });
    if (!row) throw asActivityFailure(new PilotlineError('NOT_FOUND', `No booking ${input.bookingId}`));
    return bookingSnapshot(row, clock.now());
  };
}

/** A reminder before the start, to a booking still confirmed. */
export function sendReminderActivity(deps: ActivityDeps) {
  const { db } = deps;
  return async function sendReminder(input: { bookingId: string; minutesBefore: number }): Promise<void> {
    const row = await db.booking.findUnique({ where: { id: input.bookingId } });
    if (!row || row.state !== 'confirmed') return;
    await db.notification.create({
      data: {
        recipientId: row.userId,
        tenantId: row.tenantId,
        kind: 'booking.reminder',
        subject: `Reminder: ${row.toolId} starts in ${formatLead(input.minutesBefore)}`,
        payload: { bookingId: row.id, toolId: row.toolId, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString(), minutesBefore: input.minutesBefore },
      },
    });
  };
}

function formatLead(minutes: number): string {
  if (minutes >= 1440 && minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes >= 60 && minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}
