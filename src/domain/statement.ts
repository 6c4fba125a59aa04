import { z } from 'zod';
import { entityId, text } from './input.js';
import { monthSchema } from './month.js';

// Usage statements: what a tenant owes per project (or none) per Hong Kong month, from usage lines
// (the time used, no-shows and late cancellations at the policy's share) and lab managers'
// adjustments. Money is in integer minor units of the statement's currency.

export const usageKindSchema = z.enum(['use', 'no_show', 'late_cancel']);
export type UsageKind = z.infer<typeof usageKindSchema>;
export const statementStateSchema = z.enum(['draft', 'issued']);

/** An amount of money in minor units (cents) of the statement's currency. */
const cents = z.number().int();

export const statementLineSchema = z
  .object({
    bookingId: z.string(),
    kind: usageKindSchema,
    toolId: z.string(),
    chargedAt: z.iso.datetime().describe('The instant the charge is dated: check-out for use, the booked start otherwise'),
    bookedFrom: z.iso.datetime(),
    bookedTo: z.iso.datetime(),
    checkedInAt: z.iso.datetime().nullable(),
    checkedOutAt: z.iso.datetime().nullable(),
    minutes: z.number().int().describe('Minutes charged: used (check-in to check-out), or booked for a no-show or late cancellation'),
    rateCents: cents.describe('Hourly rate of the tool type for the tenant class'),
    chargePercent: z.number().int().nullable().describe("The policy's share of the booked time's cost (no-show, late cancellation)"),
    loadWafers: z.number().int().nullable().describe("A shared run: this booking's wafers"),
    runWafers: z.number().int().nullable().describe("A shared run: the run's wafers"),
    amountCents: cents.describe('minutes × rate / 60 × percent / 100 × load / run, rounded to the nearest minor unit (halves up)'),
  })
  .meta({ id: 'StatementLine' });
export type StatementLine = z.infer<typeof statementLineSchema>;

export const adjustmentViewSchema = z
  .object({
    id: z.string(),
    statementId: z.string(),
    amountCents: cents.describe('A charge (positive) or a credit (negative)'),
    reason: z.string(),
    correctsStatementId: z.string().nullable().describe('The issued statement this corrects, in a later month'),
    createdById: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'StatementAdjustment' });
export type AdjustmentView = z.infer<typeof adjustmentViewSchema>;

export const statementSummarySchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    tenantName: z.string(),
    projectId: z.string().nullable().describe('null: bookings charged to no project'),
    projectCode: z.string().nullable(),
    month: monthSchema,
    currency: z.string(),
    state: statementStateSchema,
    usageCents: cents.describe('The sum of the lines as rounded'),
    adjustmentsCents: cents,
    totalCents: cents.describe('usageCents + adjustmentsCents'),
    lineCount: z.number().int(),
    draftedAt: z.iso.datetime(),
    issuedAt: z.iso.datetime().nullable(),
    issuedById: z.string().nullable(),
  })
  .meta({ id: 'StatementSummary' });
export type StatementSummary = z.infer<typeof statementSummarySchema>;

export const statementViewSchema = statementSummarySchema
  .extend({ lines: z.array(statementLineSchema), adjustments: z.array(adjustmentViewSchema) })
  .meta({ id: 'Statement' });
export type StatementView = z.infer<typeof statementViewSchema>;

export const statementListQuerySchema = z
  .object({
    from: monthSchema.optional().describe('The first month, YYYY-MM'),
    to: monthSchema.optional().describe('The last month, YYYY-MM (inclusive)'),
    tenantId: entityId().optional(),
    state: statementStateSchema.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] });

export const draftRequestSchema = z
  .object({
    from: monthSchema.describe('The first month to draft'),
    to: monthSchema.optional().describe('The last month to draft (inclusive; default: from)'),
    tenantId: entityId().optional().describe('Only this tenant (default: every tenant)'),
  })
  .refine((q) => !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] });
export type DraftRequest = z.infer<typeof draftRequestSchema>;

export const newAdjustmentSchema = z.object({
  amountCents: z
    .number()
    .int()
    .min(-100_000_000)
    .max(100_000_000)
    .refine((n) => n !== 0, { message: 'must not be zero' })
    .describe('A charge (positive) or a credit (negative), in minor units'),
  reason: text({ max: 500, multiline: true }).trim().pipe(z.string().min(1, { message: 'is required: say why' })),
});
export type NewAdjustment = z.infer<typeof newAdjustmentSchema>;

export const draftReportSchema = z
  .object({
    months: z.array(monthSchema),
    statements: z.array(statementSummarySchema),
  })
  .meta({ id: 'DraftReport' });
export type DraftReport = z.infer<typeof draftReportSchema>;

export const monthCloseInputSchema = z.object({
  month: monthSchema.optional().describe('The month to close (default: the month just ended)'),
});
export type MonthCloseInput = z.infer<typeof monthCloseInputSchema>;

export const monthCloseReportSchema = z.object({ month: monthSchema, statements: z.number().int(), lines: z.number().int() });
export type MonthCloseReport = z.infer<typeof monthCloseReportSchema>;

export const monthCloseScheduleId = 'statements-month-close';
