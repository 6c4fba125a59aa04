import { z } from 'zod';
import { REPAIR_MOVE_REASONS, REPAIR_UNPLACEABLE_REASONS } from '../solver/repair/reasons.js';
import { actorSchema } from './actor.js';
import { qtimeAlertSchema } from './lot.js';
import { explanationSchema } from './placement.js';
import { entityId, instant, noteSchema, text } from './input.js';

const isoInstant = z.iso.datetime({ offset: true });

export const maintenanceKindSchema = z.enum(['planned', 'recurring', 'outage']);
export type MaintenanceKind = z.infer<typeof maintenanceKindSchema>;

export const maintenanceStateSchema = z.enum([
  'proposed',
  'scheduled',
  'in_progress',
  'awaiting_requalification',
  'completed',
  'cancelled',
]);
export type MaintenanceState = z.infer<typeof maintenanceStateSchema>;

const slotSchema = z.object({ toolId: z.string(), startsAt: isoInstant, endsAt: isoInstant });

/**
 * A lot route in the window's way, repaired as one route: every step not yet started re-planned
 * within its Q-times (`moved`, each step's old and new slot), or the whole lot `released`.
 */
export const lotRepairViewSchema = z.object({
  lotId: z.string(),
  tenantId: z.string(),
  name: z.string(),
  outcome: z.enum(['moved', 'released']),
  steps: z.array(z.object({ seq: z.number().int(), bookingId: z.string(), from: slotSchema, to: slotSchema.nullable() })),
  /** Why it was released, or what the move keeps. */
  detail: z.string(),
  /** Set when a step already run can no longer be followed within its Q-time. */
  qtimeAlert: qtimeAlertSchema.nullable(),
});
export type LotRepairView = z.infer<typeof lotRepairViewSchema>;

/** Why, as a code and in words with the repair's rule; absent from impacts planned before repairs gave reasons. */
const moveReason = { reason: z.enum(REPAIR_MOVE_REASONS).optional(), reasonText: z.string().optional() };
const unplaceableReason = { reason: z.enum(REPAIR_UNPLACEABLE_REASONS).optional(), reasonText: z.string().optional() };

/** What a maintenance window does to the calendar: the repair plan, in the API's terms. */
export const impactSchema = z
  .object({
    moves: z.array(z.object({ bookingId: z.string(), tenantId: z.string(), from: slotSchema, to: slotSchema, ...moveReason })),
    unplaceable: z.array(
      z.object({ bookingId: z.string(), tenantId: z.string(), from: slotSchema, ...unplaceableReason, explanation: explanationSchema }),
    ),
    /** In-use bookings are never moved: a planned window must wait for them; an outage interrupts them. */
    conflicts: z.array(z.object({ bookingId: z.string(), tenantId: z.string(), at: slotSchema })),
    /** Lot routes in the way, each moved or released as a whole (their steps are not in moves or unplaceable). */
    lots: z.array(lotRepairViewSchema).default([]),
    busy: z
      .array(slotSchema)
      .optional()
      .describe("A tenant user's view: other tenants' bookings in the way, only as busy time (they are left out of the lists above)"),
    metrics: z.object({
      displaced: z.number().int(),
      moved: z.number().int(),
      unplaceable: z.number().int(),
      conflicts: z.number().int(),
      displacementMinutes: z.number().int(),
      tenantsTouched: z.number().int(),
    }),
  })
  .meta({ id: 'MaintenanceImpact' });
export type Impact = z.infer<typeof impactSchema>;

/** What a maintenance window may be: long enough to do something, short enough to be a plan. */
export const maintenanceLimits = {
  minMinutes: 15,
  maxDays: 90,
  /** How far ahead a window may start. */
  maxAdvanceDays: 2 * 366,
} as const;

const lengthOf = (m: { startsAt: string; endsAt: string }) => Date.parse(m.endsAt) - Date.parse(m.startsAt);

/** Ops' request for maintenance on one or more tools. */
export const maintenanceRequestSchema = z
  .object({
    requestId: z.uuid().describe('Client-chosen UUID; a retry with the same id finds the same maintenance'),
    kind: maintenanceKindSchema.default('planned'),
    toolIds: z
      .array(entityId())
      .min(1)
      .max(20)
      .refine((ids) => new Set(ids).size === ids.length, { message: 'must not name a tool twice' }),
    startsAt: instant(),
    endsAt: instant(),
    reason: text({ min: 1, max: 500, multiline: true }),
    requiresRequalification: z.boolean().optional().describe('Default: the tool’s own setting'),
  })
  .refine((m) => lengthOf(m) >= maintenanceLimits.minMinutes * 60_000, {
    message: `must be at least ${maintenanceLimits.minMinutes} minutes after startsAt`,
    path: ['endsAt'],
  })
  .refine((m) => lengthOf(m) <= maintenanceLimits.maxDays * 86_400_000, {
    message: `must be at most ${maintenanceLimits.maxDays} days after startsAt`,
    path: ['endsAt'],
  });
export type MaintenanceRequest = z.infer<typeof maintenanceRequestSchema>;

export const maintenanceTimingSchema = z.object({
  /** A proposal nobody confirmed lapses this long before its start. */
  confirmBeforeStartMs: z.number().int().min(0),
});
export type MaintenanceTiming = z.infer<typeof maintenanceTimingSchema>;

export const maintenanceWorkflowInputSchema = z.object({
  request: maintenanceRequestSchema,
  actor: actorSchema,
  /** Outages and recurring PM apply at once; planned maintenance waits for ops to confirm the impact. */
  autoConfirm: z.boolean(),
  timing: maintenanceTimingSchema.partial().optional(),
});
export type MaintenanceWorkflowInput = z.infer<typeof maintenanceWorkflowInputSchema>;

export const maintenanceViewSchema = z
  .object({
    id: z.string(),
    requestId: z.string(),
    kind: maintenanceKindSchema,
    state: maintenanceStateSchema,
    toolIds: z.array(z.string()),
    startsAt: isoInstant,
    endsAt: isoInstant,
    reason: z.string(),
    requiresRequalification: z.boolean(),
    createdById: z.string(),
  })
  .meta({ id: 'Maintenance' });
export type MaintenanceView = z.infer<typeof maintenanceViewSchema>;

/** What every maintenance write answers with: the maintenance and its impact on the calendar. */
export const maintenanceAnswerSchema = z.object({ maintenance: maintenanceViewSchema, impact: impactSchema.nullable() });
export type MaintenanceAnswer = z.infer<typeof maintenanceAnswerSchema>;

/** A maintenance as an activity saw it, with its instants as offsets from the activity's clock. */
export const maintenanceSnapshotSchema = z.object({
  maintenance: maintenanceViewSchema,
  startsInMs: z.number(),
  endsInMs: z.number(),
});
export type MaintenanceSnapshot = z.infer<typeof maintenanceSnapshotSchema>;

export const opsInputSchema = z.object({ actor: actorSchema, note: noteSchema.optional() });
export type OpsInput = z.infer<typeof opsInputSchema>;

export const extendInputSchema = z.object({ actor: actorSchema, endsAt: instant() });
export type ExtendInput = z.infer<typeof extendInputSchema>;

export const requalificationInputSchema = z.object({
  actor: actorSchema,
  passed: z.boolean(),
  notes: text({ max: 2000, multiline: true }).optional(),
});
export type RequalificationInput = z.infer<typeof requalificationInputSchema>;

export interface MaintenanceStatus {
  maintenance: MaintenanceView | null;
  impact: Impact | null;
  /** Bookings whose workflows have not yet been told of their new slot. */
  pendingRevisions: number;
}

export type MaintenanceOutcome = { maintenance: MaintenanceView; impact: Impact | null };

/** What a preventive-maintenance Schedule passes to each occurrence's workflow. */
export const recurringMaintenanceInputSchema = z.object({
  planId: entityId(),
  toolId: entityId(),
  everyDays: z.number().int().min(1),
  durationMin: z.number().int().min(1),
  requiresRequalification: z.boolean(),
  /** The window starts this many days after the occurrence fires. */
  leadDays: z.number().int().min(0).max(90),
});
export type RecurringMaintenanceInput = z.infer<typeof recurringMaintenanceInputSchema>;

/** One tool's Temporal Schedule of a preventive-maintenance plan. */
export const pmScheduleViewSchema = z.object({
  scheduleId: z.string(),
  toolId: z.string(),
  paused: z.boolean(),
  note: z.string().nullable(),
  /** Start of each upcoming maintenance window (firing time + lead days). */
  nextWindows: z.array(z.iso.datetime()),
  /** Maintenance days skipped (YYYY-MM-DD, Hong Kong). */
  skippedDays: z.array(z.string()),
});
export type PmScheduleView = z.infer<typeof pmScheduleViewSchema>;

/** A preventive-maintenance plan (every N days for M minutes) and its schedules. */
export const maintenancePlanViewSchema = z
  .object({
    id: z.string(),
    toolTypeId: z.string().nullable(),
    toolIds: z.array(z.string()),
    everyDays: z.number().int(),
    durationMin: z.number().int(),
    requiresRequalification: z.boolean(),
    scheduled: z.boolean().describe('Whether its Temporal Schedules exist'),
    paused: z.boolean(),
    schedules: z.array(pmScheduleViewSchema),
  })
  .meta({ id: 'MaintenancePlan' });
export type MaintenancePlanView = z.infer<typeof maintenancePlanViewSchema>;
