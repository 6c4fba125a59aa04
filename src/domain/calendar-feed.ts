import { z } from 'zod';
import { entityId } from './input.js';

// Private iCalendar feeds: a secret URL per person (their bookings) or per tool (its bookings and
// maintenance, other tenants' bookings only as busy for a tenant user). The URL needs no session.

export const calendarFeedScopeSchema = z.enum(['user', 'tool']);

export const calendarFeedInputSchema = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('user').describe('My own bookings') }),
  z.object({ scope: z.literal('tool').describe("One tool's bookings and maintenance, as I may see them"), toolId: entityId() }),
]);
export type CalendarFeedInput = z.infer<typeof calendarFeedInputSchema>;

export const calendarFeedViewSchema = z
  .object({
    id: z.uuid(),
    scope: calendarFeedScopeSchema,
    toolId: z.string().nullable(),
    createdAt: z.iso.datetime({ offset: true }),
    rotatedAt: z.iso.datetime({ offset: true }).nullable(),
    revokedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'CalendarFeed' });
export type CalendarFeedView = z.infer<typeof calendarFeedViewSchema>;

/** A feed with its secret URL: answered once, when created or rotated (only a hash is stored). */
export const issuedCalendarFeedSchema = z.object({
  feed: calendarFeedViewSchema,
  url: z.url().describe('Subscribe to this in a calendar program; anyone holding it sees the feed, so keep it private'),
});

/** The secret part of a feed URL: `/calendar/<token>.ics`. */
export const calendarFeedFileSchema = z
  .string()
  .regex(/^plcal_[A-Za-z0-9_-]{32}\.ics$/, 'must be a feed file name, plcal_….ics')
  .describe('The secret file name of a feed, as issued');

/** Feeds a person may hold at once (revoked ones do not count). */
export const maxCalendarFeedsPerUser = 20;
