import { z } from 'zod';
import { bookingViewSchema } from './booking.js';
import { lotViewSchema } from './lot.js';

// What a lab manager needs beside a held request to decide it: who asks (by name), how much of
// their weekly quota it takes, how they used the line lately, and what it collides with.

const isoInstant = z.iso.datetime({ offset: true });

/** How many days back "recent usage" looks. */
export const recentUsageDays = 30;

export const quotaUseSchema = z.object({
  toolTypeId: z.string(),
  weekStart: isoInstant.describe('Monday 00:00 Hong Kong time of the quota week'),
  usedMin: z.number().int().describe("The tenant's other time on this tool type that week, held to completed"),
  requestMin: z.number().int().describe('What this request adds to the week'),
  limitMin: z.number().int().nullable().describe('The weekly quota per tenant; null: none'),
});

export const recentUsageSchema = z.object({
  days: z.number().int(),
  usedMin: z.number().int().describe('Minutes used on the tool types of this request (check-in to check-out)'),
  allToolsMin: z.number().int().describe('Minutes used on every tool'),
  completed: z.number().int(),
  noShows: z.number().int(),
  lateCancels: z.number().int(),
});

export const approvalConflictSchema = z.object({
  kind: z
    .enum(['pending', 'maintenance', 'tool_down', 'qualification'])
    .describe('pending: another request waits for the same tool type that day; maintenance: ops propose work over the slot; tool_down: the tool is not in service; qualification: the user\'s qualification lapses before the slot ends'),
  toolId: z.string(),
  startsAt: isoInstant.nullable(),
  endsAt: isoInstant.nullable(),
  detail: z.string(),
  ref: z.object({ kind: z.enum(['booking', 'lot', 'maintenance']), id: z.string() }).nullable(),
});
export type ApprovalConflict = z.infer<typeof approvalConflictSchema>;

export const approvalInsightSchema = z
  .object({
    tenant: z.object({ id: z.string(), name: z.string(), class: z.string() }),
    user: z.object({ id: z.string(), name: z.string() }),
    quota: z.array(quotaUseSchema),
    recent: recentUsageSchema,
    conflicts: z.array(approvalConflictSchema),
  })
  .meta({ id: 'ApprovalInsight' });
export type ApprovalInsight = z.infer<typeof approvalInsightSchema>;

export const approvalsSchema = z.object({
  bookings: z.array(bookingViewSchema).describe('Held bookings that are not a step of a lot route'),
  lots: z.array(lotViewSchema).describe('Held lot routes, with every step'),
  insights: z.record(z.string(), approvalInsightSchema).describe('By booking or lot id: names, quota use, recent usage, conflicts'),
});
export type Approvals = z.infer<typeof approvalsSchema>;
