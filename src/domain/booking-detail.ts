import { z } from 'zod';
import { bookingViewSchema } from './booking.js';

// What the lists and the detail page of a booking show besides the booking itself: the names of the
// people, tenant and tool, when its actions open, what has happened to it, and what an action costs.

const isoInstant = z.iso.datetime({ offset: true });

export const actionTimesSchema = z.object({
  checkInOpensAt: isoInstant.describe('Check-in opens (15 min before the start)'),
  noShowAt: isoInstant.describe('No check-in by then: a no-show, the slot released'),
  lateCancelFrom: isoInstant.describe('Cancelling a confirmed booking from then on is late'),
});

/** A booking in a list: the booking, the names to show instead of ids, and when its actions change. */
export const bookingListEntrySchema = bookingViewSchema
  .extend({
    userName: z.string(),
    tenantName: z.string(),
    toolName: z.string(),
    times: actionTimesSchema,
  })
  .meta({ id: 'BookingListEntry' });
export type BookingListEntry = z.infer<typeof bookingListEntrySchema>;

export const bookingListSchema = z.object({
  bookings: z.array(bookingListEntrySchema),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});
export type BookingList = z.infer<typeof bookingListSchema>;

const slotSchema = z.object({ toolId: z.string(), startsAt: isoInstant, endsAt: isoInstant });

/** One thing that happened to a booking, as its viewer may see it. */
export const bookingHistoryEntrySchema = z.object({
  at: isoInstant,
  action: z.string().describe('e.g. booking.approved, booking.checked_in, maintenance.moved'),
  summary: z.string().describe('What happened, in words'),
  actor: z.object({ name: z.string(), role: z.string() }).nullable().describe('Who did it; null: Pilotline itself (a deadline, a timer)'),
  slot: slotSchema.nullable().describe('The slot it took or moved to, where it did'),
  note: z.string().nullable(),
});
export type BookingHistoryEntry = z.infer<typeof bookingHistoryEntrySchema>;

export const bookingHistorySchema = z
  .object({ bookingId: z.string(), entries: z.array(bookingHistoryEntrySchema).describe('Oldest first') })
  .meta({ id: 'BookingHistory' });
export type BookingHistory = z.infer<typeof bookingHistorySchema>;

const chargeSchema = z.object({ amountCents: z.number().int(), currency: z.string() });

export const bookingActionStateSchema = z.object({
  action: z.enum(['check-in', 'check-out', 'cancel', 'decline-move', 'reschedule', 'approve', 'reject']),
  allowed: z.boolean(),
  note: z.string(),
  changesAt: isoInstant.nullable().describe('When this changes by the clock alone'),
});

/** What each action on a booking would do now, before it is taken. */
export const bookingActionsViewSchema = z
  .object({
    bookingId: z.string(),
    at: isoInstant.describe('The instant this answer holds for'),
    times: actionTimesSchema,
    actions: z.array(bookingActionStateSchema),
    rate: z
      .object({ hourlyRateCents: z.number().int(), currency: z.string(), tenantClass: z.string() })
      .nullable()
      .describe("The tool type's hourly rate for the booking tenant's class; null: none set"),
    cancel: z.object({
      late: z.boolean().describe('Cancelling now is a late cancellation'),
      lateFrom: isoInstant.nullable().describe('When cancelling becomes late; null: never (not confirmed)'),
      penaltyFree: z.boolean().describe('Maintenance moved the booking: declining the move cancels it without penalty'),
      chargePercent: z.number().int().nullable().describe("The policy's late-cancellation charge, a share of the booking's cost; null: the policy names none"),
      charge: chargeSchema.nullable().describe('What cancelling now is charged; null: nothing, or no charge term'),
    }),
    noShow: z.object({
      at: isoInstant.nullable(),
      chargePercent: z.number().int().nullable(),
      charge: chargeSchema.nullable(),
    }),
  })
  .meta({ id: 'BookingActions' });
export type BookingActionsView = z.infer<typeof bookingActionsViewSchema>;

/** A share of a booking's cost at an hourly rate, rounded to the cent. */
export function chargeOf(durationMin: number, hourlyRateCents: number, percent: number): number {
  return Math.round((hourlyRateCents * durationMin * percent) / 6_000);
}
