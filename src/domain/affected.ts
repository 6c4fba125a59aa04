import { z } from 'zod';
import { bookingStateSchema } from './booking.js';
import { entityId } from './input.js';

// "What this change would break": the existing bookings a change of policy, tool, setup rule or
// person touches. Changes take effect for new requests only; these bookings are listed for a lab
// manager to decide on (cancel, hand over), never changed by the listing.

/** Why a booking is listed. */
export const affectedReasons = [
  'tool_retired',
  'user_deactivated',
  'qualification_lapsed',
  'qualification_revoked',
  'outside_policy',
  'quota_exceeded',
  'buffer',
  'changeover',
  'tool_capability',
] as const;
export const affectedReasonSchema = z.enum(affectedReasons);
export type AffectedReason = z.infer<typeof affectedReasonSchema>;

export const affectedBookingSchema = z
  .object({
    bookingId: z.string(),
    tenantId: z.string(),
    userId: z.string(),
    toolId: z.string(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    state: bookingStateSchema,
    /** Set when the booking is a step of a lot route: act on it through the lot. */
    lotId: z.string().nullable(),
    reason: affectedReasonSchema,
    detail: z.string(),
  })
  .meta({ id: 'AffectedBooking' });
export type AffectedBooking = z.infer<typeof affectedBookingSchema>;

export const busySlotSchema = z.object({ toolId: z.string(), startsAt: z.iso.datetime(), endsAt: z.iso.datetime() });

/** The bookings a change affects; a tenant-scoped viewer sees other tenants' only as busy time. */
export const affectedListingSchema = z
  .object({
    bookings: z.array(affectedBookingSchema),
    busy: z.array(busySlotSchema).optional().describe("Other tenants' affected bookings, as busy time only"),
  })
  .meta({ id: 'AffectedBookings' });
export type AffectedListing = z.infer<typeof affectedListingSchema>;

/** The answer of a change that may affect bookings: whether it was applied, the result, what it touches. */
export function changeAnswerSchema<K extends string, S extends z.ZodType>(key: K, view: S) {
  return z.object({
    applied: z.boolean().describe('false for a dry run: nothing was changed'),
    affected: affectedListingSchema,
    ...({ [key]: view } as Record<K, S>),
  });
}

/** Bookings a lab manager should look at: on retired tools, of deactivated people, flagged by a lapsed qualification. */
export const attentionSchema = z.object({ bookings: z.array(affectedBookingSchema) });

export const handOverSchema = z.object({ userId: entityId().describe('Another active person of the same tenant, qualified on the tool') });
