import { z } from 'zod';
import { entityId, minutes } from './input.js';

// Booking rules per tool type or tool (a tool's own policy wins over its type's). A change takes
// effect for new requests; existing bookings that would break the new rule are listed.

const day = 24 * 60;

/** Each term with its meaning; bounds keep a typo from making a tool unbookable for a century. */
const terms = {
  minDurationMin: z.number().int().min(1).max(14 * day).describe('Shortest booking'),
  maxDurationMin: z.number().int().min(1).max(14 * day).describe('Longest booking'),
  minNoticeMin: minutes(90 * day).describe('How long before its start a booking must be asked for'),
  maxAdvanceMin: minutes(3 * 365 * day).describe('The horizon: how far ahead a booking may start'),
  bufferAfterMin: minutes(2 * day).describe('Free time after every booking'),
  weeklyQuotaMin: minutes(7 * day).nullable().describe("Per tenant per tool type per week; null: no quota (a tool type's policy only)"),
  approvalRequired: z.boolean().describe('Held until a lab manager approves'),
  approvalTimeoutMin: minutes(30 * day).describe('Hold time: how long a held booking waits for a decision'),
  checkInGraceMin: minutes(day).describe('No check-in this long after the start: a no-show, the slot released'),
  lateCancelMin: minutes(30 * day).describe('Cancelling later than this before the start is late'),
  lateCancelChargePercent: z.number().int().min(0).max(100).describe("Share of the booking's cost a late cancellation is charged"),
  noShowChargePercent: z.number().int().min(0).max(100).describe("Share of the booking's cost a no-show is charged"),
  reminderOffsetsMin: z.array(minutes(30 * day)).max(5).describe('Reminders before the start'),
  startGridMin: z.number().int().min(1).max(day).nullable().describe('The request form offers starts on this grid (minutes from midnight HKT); null: quarter hours'),
};

const minNotAboveMax = (p: { minDurationMin?: number; maxDurationMin?: number }) =>
  p.minDurationMin === undefined || p.maxDurationMin === undefined || p.minDurationMin <= p.maxDurationMin;
export const minAboveMaxMessage = 'must not be above maxDurationMin';

export const newPolicySchema = z
  .object({
    toolTypeId: entityId().optional(),
    toolId: entityId().optional(),
    minDurationMin: terms.minDurationMin,
    maxDurationMin: terms.maxDurationMin,
    minNoticeMin: terms.minNoticeMin.default(0),
    maxAdvanceMin: terms.maxAdvanceMin,
    bufferAfterMin: terms.bufferAfterMin.default(0),
    weeklyQuotaMin: terms.weeklyQuotaMin.default(null),
    approvalRequired: terms.approvalRequired.default(false),
    approvalTimeoutMin: terms.approvalTimeoutMin.default(day),
    checkInGraceMin: terms.checkInGraceMin.default(15),
    lateCancelMin: terms.lateCancelMin.default(day),
    lateCancelChargePercent: terms.lateCancelChargePercent.default(50),
    noShowChargePercent: terms.noShowChargePercent.default(100),
    reminderOffsetsMin: terms.reminderOffsetsMin.default([day, 60]),
    startGridMin: terms.startGridMin.default(null),
  })
  .refine((s) => (s.toolTypeId === undefined) !== (s.toolId === undefined), {
    message: 'give toolTypeId or toolId, not both',
    path: ['toolTypeId'],
  })
  .refine(minNotAboveMax, { message: minAboveMaxMessage, path: ['minDurationMin'] })
  .refine((s) => s.toolId === undefined || s.weeklyQuotaMin === null, {
    message: "quotas are per tool type: set it on the type's policy",
    path: ['weeklyQuotaMin'],
  });
export type NewPolicy = z.infer<typeof newPolicySchema>;

export const policyChangeSchema = z
  .object(terms)
  .partial()
  .refine((change) => Object.keys(change).length > 0, { message: 'send at least one term to change' })
  .refine(minNotAboveMax, { message: minAboveMaxMessage, path: ['minDurationMin'] });
export type PolicyChange = z.infer<typeof policyChangeSchema>;

export const policyViewSchema = z
  .object({
    id: z.string(),
    toolTypeId: z.string().nullable(),
    toolId: z.string().nullable(),
    minDurationMin: z.number().int(),
    maxDurationMin: z.number().int(),
    minNoticeMin: z.number().int(),
    maxAdvanceMin: z.number().int(),
    bufferAfterMin: z.number().int(),
    weeklyQuotaMin: z.number().int().nullable(),
    approvalRequired: z.boolean(),
    approvalTimeoutMin: z.number().int(),
    checkInGraceMin: z.number().int(),
    lateCancelMin: z.number().int(),
    lateCancelChargePercent: z.number().int(),
    noShowChargePercent: z.number().int(),
    reminderOffsetsMin: z.array(z.number().int()),
    startGridMin: z.number().int().nullable(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Policy' });
export type PolicyView = z.infer<typeof policyViewSchema>;
