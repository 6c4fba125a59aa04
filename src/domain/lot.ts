import { z } from 'zod';
import { ContaminationGroupSchema, MaterialSchema } from '../solver/materials.js';
import { actorSchema } from './actor.js';
import { bookingStateSchema, waferSizeSchema } from './booking.js';
import { explanationSchema } from './placement.js';
import { entityId, instant, text } from './input.js';

const isoInstant = z.iso.datetime({ offset: true });

/** The longest wait between two steps of a route (30 days), and the longest route window. */
const maxLagMin = 30 * 24 * 60;
export const maxLotWindowDays = 366;
export const maxLotSteps = 40;

export const lotStepRequestSchema = z
  .object({
    name: text({ min: 1, max: 120 }),
    toolTypeId: entityId(),
    durationMin: z.number().int().min(1).max(3 * 24 * 60),
    /** Shortest wait after this step before the next may start (e.g. cool-down). */
    minLagToNextMin: z.number().int().min(0).max(maxLagMin).default(0),
    /** The Q-time limit: the next step must start within this many minutes of this one's end. */
    maxLagToNextMin: z.number().int().min(0).max(maxLagMin).optional(),
    contaminationGroup: ContaminationGroupSchema.optional().describe("What the wafers carry at this step; default: the lot's"),
  })
  .refine((s) => s.maxLagToNextMin === undefined || s.maxLagToNextMin >= s.minLagToNextMin, {
    message: 'must not be below minLagToNextMin',
    path: ['maxLagToNextMin'],
  });
export type LotStepRequest = z.infer<typeof lotStepRequestSchema>;

/** A wafer lot's whole process flow, to be held all together or not at all. */
export const lotRequestSchema = z
  .object({
    requestId: z.uuid(),
    name: text({ min: 1, max: 120 }),
    material: MaterialSchema,
    waferSize: waferSizeSchema,
    contaminationGroup: ContaminationGroupSchema.default('standard'),
    earliestStart: instant(),
    latestEnd: instant(),
    steps: z.array(lotStepRequestSchema).min(1).max(maxLotSteps),
    projectId: z.uuid().optional().describe('The project charged: one the requester belongs to (see POST /api/bookings)'),
  })
  .refine((l) => Date.parse(l.latestEnd) > Date.parse(l.earliestStart), { message: 'must be after earliestStart', path: ['latestEnd'] })
  .refine((l) => Date.parse(l.latestEnd) - Date.parse(l.earliestStart) <= maxLotWindowDays * 86_400_000, {
    message: `must be at most ${maxLotWindowDays} days after earliestStart`,
    path: ['latestEnd'],
  });
export type LotRequest = z.infer<typeof lotRequestSchema>;

export const lotStateSchema = z.enum(['requested', 'held', 'confirmed', 'in_progress', 'completed', 'rejected', 'cancelled', 'expired']);
export type LotState = z.infer<typeof lotStateSchema>;

export const lotStepViewSchema = z.object({
  seq: z.number().int(),
  name: z.string(),
  toolTypeId: z.string(),
  durationMin: z.number().int(),
  minLagToNextMin: z.number().int(),
  maxLagToNextMin: z.number().int().nullable(),
  booking: z
    .object({
      id: z.string(),
      toolId: z.string(),
      startsAt: isoInstant,
      endsAt: isoInstant,
      state: bookingStateSchema,
      checkedInAt: isoInstant.nullable(),
      checkedOutAt: isoInstant.nullable(),
    })
    .nullable(),
});
export type LotStepView = z.infer<typeof lotStepViewSchema>;

export const lotViewSchema = z
  .object({
    id: z.string(),
    requestId: z.string(),
    name: z.string(),
    tenantId: z.string(),
    userId: z.string(),
    material: z.string(),
    waferSize: z.number().int(),
    state: lotStateSchema,
    earliestStart: isoInstant,
    latestEnd: isoInstant,
    approvalDeadline: isoInstant.nullable(),
    /** Why the lot was cancelled (by its owner, or released by maintenance) or rejected (the lab manager's reason). */
    cancelReason: z.string().nullable(),
    projectId: z.string().nullable(),
    steps: z.array(lotStepViewSchema),
  })
  .meta({ id: 'Lot' });
export type LotView = z.infer<typeof lotViewSchema>;

/** A lot as an activity saw it, with the approval deadline as an offset from its clock. */
export const lotSnapshotSchema = z.object({ lot: lotViewSchema, approvalDeadlineInMs: z.number().nullable() });
export type LotSnapshot = z.infer<typeof lotSnapshotSchema>;

/** A step that can no longer start within its Q-time limit after the step before it. */
export const qtimeAlertSchema = z.object({
  afterSeq: z.number().int(),
  nextSeq: z.number().int(),
  limitMin: z.number().int(),
  /** Minutes past the limit at which the next step can start (or did start). */
  exceededByMin: z.number().int(),
  detail: z.string(),
});
export type QtimeAlert = z.infer<typeof qtimeAlertSchema>;

/** What a lot workflow hears when maintenance moved or released its route (already in the database). */
export const lotRevisionNoticeSchema = z.object({ lotId: z.string(), alert: qtimeAlertSchema.nullable() });
export type LotRevisionNotice = z.infer<typeof lotRevisionNoticeSchema>;

export const lotWorkflowInputSchema = z.object({
  request: lotRequestSchema,
  actor: actorSchema,
  timing: z.object({ approvalTimeoutMs: z.number().int().min(0) }).partial().optional(),
});
export type LotWorkflowInput = z.infer<typeof lotWorkflowInputSchema>;

export const lotStepInputSchema = z.object({ actor: actorSchema, seq: z.number().int().min(1).max(maxLotSteps) });
export type LotStepInput = z.infer<typeof lotStepInputSchema>;

/** Why a route does not fit: per step, each candidate tool's reasons, or a word on the route as a whole. */
export const lotExplanationSchema = z
  .array(z.object({ seq: z.number().int(), name: z.string(), tools: explanationSchema, detail: z.string().optional() }))
  .meta({ id: 'LotExplanation' });
export type LotExplanation = z.infer<typeof lotExplanationSchema>;

/** The first answer of a lot workflow: every step held (or confirmed), or why the route does not fit. */
export type PlaceLotResult =
  | { kind: 'placed'; snapshot: LotSnapshot; approvalRequired: boolean }
  | { kind: 'unplaced'; explanation: LotExplanation };

export interface LotStatus {
  lot: LotView | null;
  alerts: QtimeAlert[];
  unplaced: boolean;
}
