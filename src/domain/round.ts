import { z } from 'zod';
import { LEFT_OUT_REASONS } from '../solver/allocate/reasons.js';
import { ContaminationGroupSchema, MaterialSchema } from '../solver/materials.js';
import { actorSchema } from './actor.js';
import { bookingTimingSchema, waferSizeSchema } from './booking.js';
import { calendarDay, entityId, instant, noteSchema, text } from './input.js';
import { explanationSchema } from './placement.js';

// Allocation rounds: the contracts of the API, the round workflow and its activities.

const isoInstant = z.iso.datetime({ offset: true });
const percent = z.number().min(0).max(100);

/** Target share of each tenant class in percent; a table that does not add up to 100 % is refused. */
export const classSharesSchema = z
  .object({ institute: percent, university: percent, industry: percent })
  .refine((s) => Math.abs(s.institute + s.university + s.industry - 100) < 1e-6, {
    message: 'the shares must add up to 100 %',
  })
  .meta({ id: 'ClassShares' });
export type ClassSharesView = z.infer<typeof classSharesSchema>;

export const roundStates = ['open', 'closed', 'proposed', 'published', 'lapsed'] as const;
export const roundStateSchema = z.enum(roundStates);
export type RoundState = z.infer<typeof roundStateSchema>;

export const roundRequestStateSchema = z.enum(['submitted', 'withdrawn', 'granted', 'left_out', 'lapsed']);
export type RoundRequestState = z.infer<typeof roundRequestStateSchema>;

/** The lab managers' standing choices: which tool types go to rounds, the shares, the round's timing. */
export const allocationSettingsSchema = z
  .object({
    toolTypeIds: z
      .array(entityId())
      .max(50)
      .describe('The tool types whose time is given out in weekly rounds'),
    shares: classSharesSchema,
    tolerancePts: z
      .number()
      .min(0)
      .max(20)
      .describe('How far a class may stray from its target share (points)'),
  })
  .meta({ id: 'AllocationSettings' });
export type AllocationSettingsView = z.infer<typeof allocationSettingsSchema>;

/** When a round opened by a manager closes and must be approved by; absent: the defaults before its week. */
export const roundOpenSchema = z
  .object({
    weekStart: calendarDay().describe('The Monday (Hong Kong) the round’s week starts'),
    closesAt: instant()
      .optional()
      .describe('Requests are taken until then (default: 5 days before the week)'),
    approvalDeadline: instant()
      .optional()
      .describe('A lab manager approves by then (default: 2 days before the week)'),
    toolTypeIds: z.array(entityId()).min(1).max(50).optional().describe('Default: the allocated tool types'),
    shares: classSharesSchema.optional().describe('Default: the standing shares'),
  })
  // Monday 00:00 in Hong Kong is Sunday 16:00 UTC.
  .refine((r) => new Date(`${r.weekStart}T00:00:00+08:00`).getUTCDay() === 0, {
    message: 'must be a Monday',
    path: ['weekStart'],
  });
export type RoundOpen = z.infer<typeof roundOpenSchema>;

export const roundViewSchema = z
  .object({
    id: z.string(),
    weekStart: isoInstant,
    weekEnd: isoInstant,
    toolTypeIds: z.array(z.string()),
    closesAt: isoInstant,
    approvalDeadline: isoInstant,
    state: roundStateSchema,
    shares: z.object({ institute: z.number(), university: z.number(), industry: z.number() }),
    tolerancePts: z.number(),
    revision: z.number().int().describe('The proposal in review; an approval names it'),
    proposedAt: isoInstant.nullable(),
    publishedAt: isoInstant.nullable(),
    lapsedAt: isoInstant.nullable(),
  })
  .meta({ id: 'Round' });
export type RoundView = z.infer<typeof roundViewSchema>;

/** A tenant's request to a round: a duration somewhere in a window of the round's week. */
export const roundRequestSubmitSchema = z
  .object({
    requestId: z.uuid().describe('Client-chosen UUID; submitting twice keeps one request'),
    toolTypeId: entityId(),
    toolIds: z.array(entityId()).min(1).max(20).optional().describe('Any of these tools of the type'),
    durationMin: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60),
    earliestStart: instant(),
    latestEnd: instant(),
    material: MaterialSchema,
    waferSize: waferSizeSchema,
    contaminationGroup: ContaminationGroupSchema.default('standard'),
    priority: z
      .number()
      .int()
      .min(1)
      .max(3)
      .default(2)
      .describe('Your own ranking of your requests: 3 first'),
    purpose: text({ max: 500, multiline: true }).optional(),
  })
  .refine((r) => Date.parse(r.latestEnd) - Date.parse(r.earliestStart) >= r.durationMin * 60_000, {
    message: 'must leave at least durationMin after earliestStart',
    path: ['latestEnd'],
  });
export type RoundRequestSubmit = z.infer<typeof roundRequestSubmitSchema>;

export const shareFactsSchema = z.object({
  tenantClass: z.string(),
  toolType: z.string(),
  targetPct: z.number(),
  grantedPct: z.number(),
  wouldBePct: z.number(),
  tolerancePts: z.number(),
});

/** What the published round decided for a request. */
export const roundOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('granted'), toolId: z.string(), startsAt: isoInstant, endsAt: isoInstant }),
  z.object({
    kind: z.literal('left_out'),
    reason: z.enum(LEFT_OUT_REASONS),
    words: z.string(),
    share: shareFactsSchema.optional(),
    explanation: explanationSchema,
  }),
  z.object({ kind: z.literal('lapsed'), words: z.string() }),
]);
export type RoundOutcome = z.infer<typeof roundOutcomeSchema>;

export const roundRequestViewSchema = z
  .object({
    id: z.string(),
    requestId: z.string(),
    roundId: z.string(),
    tenantId: z.string(),
    userId: z.string(),
    toolTypeId: z.string(),
    toolIds: z.array(z.string()),
    durationMin: z.number().int(),
    earliestStart: isoInstant,
    latestEnd: isoInstant,
    material: z.string(),
    waferSize: z.number().int(),
    contaminationGroup: z.string(),
    priority: z.number().int(),
    purpose: z.string().nullable(),
    state: roundRequestStateSchema,
    pinned: z.boolean(),
    dropped: z.boolean(),
    submittedAt: isoInstant,
    bookingId: z.string().nullable(),
    outcome: roundOutcomeSchema.nullable(),
  })
  .meta({ id: 'RoundRequest' });
export type RoundRequestView = z.infer<typeof roundRequestViewSchema>;

/** A lab manager's changes before the solver runs again: the whole pin and drop sets, the shares. */
export const roundRerunSchema = z.object({
  pinned: z
    .array(z.uuid())
    .max(2_000)
    .optional()
    .describe('Requests to keep (at their proposed slot), replacing the pinned set'),
  dropped: z
    .array(z.uuid())
    .max(2_000)
    .optional()
    .describe('Requests to leave out, replacing the dropped set'),
  shares: classSharesSchema.optional(),
  note: noteSchema.optional(),
});
export type RoundRerun = z.infer<typeof roundRerunSchema>;

export const roundApproveSchema = z.object({
  revision: z.number().int().min(1).describe('The proposal approved, as reviewed'),
  note: noteSchema.optional(),
});
export type RoundApprove = z.infer<typeof roundApproveSchema>;

// ---- The round workflow's messages ----

/** The round a workflow runs: created by its first activity when missing. */
export const roundPlanSchema = z.object({
  id: z.string().min(1).max(40),
  weekStart: isoInstant,
  closesAt: isoInstant,
  approvalDeadline: isoInstant,
  toolTypeIds: z.array(entityId()).max(50).optional(),
  shares: classSharesSchema.optional(),
});
export type RoundPlan = z.infer<typeof roundPlanSchema>;

export const roundWorkflowInputSchema = z.object({
  plan: roundPlanSchema,
  actor: actorSchema,
  /** Overrides of the published bookings' durations (tests run in seconds). */
  bookingTiming: bookingTimingSchema.partial().optional(),
  /** The solver's budget per proposal. */
  search: z
    .object({
      iterations: z.number().int().min(0).max(1_000_000).optional(),
      timeLimitMs: z.number().int().min(1).max(60_000).optional(),
    })
    .optional(),
});
export type RoundWorkflowInput = z.infer<typeof roundWorkflowInputSchema>;

/** A round as an activity saw it, its deadlines as offsets from the activity's clock (see BookingSnapshot). */
export const roundSnapshotSchema = z.object({
  round: roundViewSchema,
  closesInMs: z.number(),
  approvalDeadlineInMs: z.number(),
});
export type RoundSnapshot = z.infer<typeof roundSnapshotSchema>;

export const closeRoundInputSchema = z.object({ actor: actorSchema, note: noteSchema.optional() });
export type CloseRoundInput = z.infer<typeof closeRoundInputSchema>;

export const rerunRoundInputSchema = roundRerunSchema.extend({ actor: actorSchema });
export type RerunRoundInput = z.infer<typeof rerunRoundInputSchema>;

export const approveRoundInputSchema = roundApproveSchema.extend({ actor: actorSchema });
export type ApproveRoundInput = z.infer<typeof approveRoundInputSchema>;

/** What the Schedule's firing starts: the round for the week `weeksAhead` Mondays on. */
export const roundOpeningInputSchema = z.object({
  weeksAhead: z.number().int().min(1).max(8).default(2),
  /** Tests: close and lapse this long after opening instead of the days before the week. */
  closeAfterMs: z.number().int().min(1).optional(),
  approvalAfterMs: z.number().int().min(1).optional(),
  bookingTiming: bookingTimingSchema.partial().optional(),
});
export type RoundOpeningInput = z.input<typeof roundOpeningInputSchema>;

/** A published grant whose booking needs its own booking workflow. */
export const publishedBookingSchema = z.object({
  roundRequestId: z.string(),
  bookingRequestId: z.uuid(),
  actor: actorSchema,
  toolTypeId: z.string(),
  toolIds: z.array(z.string()),
  durationMin: z.number().int(),
  earliestStart: isoInstant,
  latestEnd: isoInstant,
  material: MaterialSchema,
  waferSize: waferSizeSchema,
  contaminationGroup: ContaminationGroupSchema,
  purpose: z.string().nullable(),
});
export type PublishedBooking = z.infer<typeof publishedBookingSchema>;

/** The round workflow's end. */
export type RoundOutcomeOfWorkflow =
  { kind: 'published'; round: RoundView; bookings: number } | { kind: 'lapsed'; round: RoundView };

/** Words for a round that no lab manager approved in time. */
export const lapsedWords =
  'The round was not approved by its deadline: it published nothing. The time returns to first come, first served.';

/** When a round closes and must be approved by, before its week starts (unless a manager says otherwise). */
export const roundTiming = { closeLeadHours: 5 * 24, approvalLeadHours: 2 * 24 } as const;

const hourMs = 3_600_000;
const weekMs = 7 * 24 * hourMs;
/** Hong Kong keeps UTC+8 all year; a week starts on Monday 00:00 there (Thursday 1970-01-01 + 4 days − 8 h). */
const anchorMs = 4 * 24 * hourMs - 8 * hourMs;

/** Monday 00:00 Hong Kong of the week holding `at`. */
export function hongKongWeekStart(at: Date): Date {
  const ms = at.getTime();
  return new Date(ms - ((((ms - anchorMs) % weekMs) + weekMs) % weekMs));
}

/** A round's id: the Hong Kong date of its week's Monday, `YYYY-MM-DD`. */
export function roundIdOf(weekStart: Date): string {
  return new Date(weekStart.getTime() + 8 * hourMs).toISOString().slice(0, 10);
}

/** The Monday 00:00 Hong Kong a `YYYY-MM-DD` names. */
export function weekStartOfDay(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

export const roundWeekMs = weekMs;
