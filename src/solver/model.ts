// The placement and repair problem as plain JSON data: one zod schema per concept, types inferred.
// Time is integer minutes since the Unix epoch (UTC); every interval is half-open [start, end).
import { z } from 'zod';
import { ContaminationGroupSchema, MaterialSchema, WaferSizeSchema } from './materials.js';
import { REPAIR_MOVE_REASONS, REPAIR_UNPLACEABLE_REASONS } from './repair/reasons.js';

export * from './materials.js';

export const SOLVER_MODEL_VERSION = 1 as const;

/** Largest minute accepted (year 6053): keeps every value an exact small integer. */
export const MAX_MINUTE = 2 ** 31 - 1;

export const MinuteSchema = z.int().min(0).max(MAX_MINUTE);
export type Minute = z.infer<typeof MinuteSchema>;
const Minutes = z.int().min(0).max(MAX_MINUTE);
const Duration = z.int().min(1).max(MAX_MINUTE);
const Id = z.string().min(1);

export const IntervalSchema = z
  .object({ start: MinuteSchema, end: MinuteSchema })
  .refine((i) => i.end > i.start, { message: 'end must be after start', path: ['end'] });
export type Interval = z.infer<typeof IntervalSchema>;

export const TenantClassSchema = z.enum(['institute', 'university', 'industry']);
export type TenantClass = z.infer<typeof TenantClassSchema>;

export const ToolStatusSchema = z.enum(['up', 'down', 'requalifying']);
export type ToolStatus = z.infer<typeof ToolStatusSchema>;

/** The active booking states: the only ones that occupy a tool. */
export const BookingStateSchema = z.enum(['held', 'confirmed', 'in_use']);
export type BookingState = z.infer<typeof BookingStateSchema>;

export const MaintenanceKindSchema = z.enum(['planned', 'recurring', 'outage']);
export type MaintenanceKind = z.infer<typeof MaintenanceKindSchema>;

/** What a policy, setup rule or qualification applies to: one tool, or every tool of a type. */
export const ToolScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tool'), toolId: Id }),
  z.object({ kind: z.literal('toolType'), toolType: Id }),
]);
export type ToolScope = z.infer<typeof ToolScopeSchema>;

export const ToolSchema = z.object({
  id: Id,
  type: Id,
  name: z.string().optional(),
  materials: z.array(MaterialSchema).min(1),
  waferSizes: z.array(WaferSizeSchema).min(1),
  contaminationClass: ContaminationGroupSchema,
  /** Wafers or lots one run takes; a booking reserves the whole tool, batching is the optimizer's job. */
  batchCapacity: z.int().min(1).default(1),
  status: ToolStatusSchema.default('up'),
  /** Tools a booking of this one holds alongside it for the same interval (one level: their own links are not followed). */
  linkedToolIds: z.array(Id).optional(),
});
export type Tool = z.infer<typeof ToolSchema>;

/** The window the requester accepted: repair may move the booking anywhere inside it. */
export const AllowedWindowSchema = z
  .object({ earliestStart: MinuteSchema, latestEnd: MinuteSchema })
  .refine((w) => w.latestEnd > w.earliestStart, {
    message: 'latestEnd must be after earliestStart',
    path: ['latestEnd'],
  });
export type AllowedWindow = z.infer<typeof AllowedWindowSchema>;

export const BookingSchema = z
  .object({
    kind: z.literal('booking'),
    id: Id,
    toolId: Id,
    start: MinuteSchema,
    end: MinuteSchema,
    state: BookingStateSchema,
    tenantId: Id,
    userId: Id,
    material: MaterialSchema,
    waferSize: WaferSizeSchema,
    contaminationGroup: ContaminationGroupSchema,
    allowedWindow: AllowedWindowSchema.optional(),
    /** A member booking of a linked tool: the id of the primary tool's booking, whose interval it shares. */
    linkedTo: Id.optional(),
    /** On a batch tool: the recipe its run follows (compatible loads of the same recipe may join it). */
    recipe: Id.optional(),
    /** On a batch tool: wafers in the run, its own and those of the loads that joined it (default 1). */
    runWafers: z.int().min(1).optional(),
  })
  .refine((b) => b.end > b.start, { message: 'end must be after start', path: ['end'] });
export type Booking = z.infer<typeof BookingSchema>;

export const MaintenanceSchema = z
  .object({
    kind: z.literal('maintenance'),
    id: Id,
    toolId: Id,
    start: MinuteSchema,
    end: MinuteSchema,
    reason: MaintenanceKindSchema,
  })
  .refine((m) => m.end > m.start, { message: 'end must be after start', path: ['end'] });
export type Maintenance = z.infer<typeof MaintenanceSchema>;

export const ReservationSchema = z.discriminatedUnion('kind', [BookingSchema, MaintenanceSchema]);
export type Reservation = z.infer<typeof ReservationSchema>;

/** Sequence-dependent changeover: `minutes` between consecutive bookings whose values differ and match from → to. */
export const SetupRuleSchema = z.discriminatedUnion('dimension', [
  z.object({
    dimension: z.literal('material'),
    appliesTo: ToolScopeSchema,
    from: z.union([MaterialSchema, z.literal('any')]),
    to: z.union([MaterialSchema, z.literal('any')]),
    minutes: Minutes,
  }),
  z.object({
    dimension: z.literal('contamination'),
    appliesTo: ToolScopeSchema,
    from: z.union([ContaminationGroupSchema, z.literal('any')]),
    to: z.union([ContaminationGroupSchema, z.literal('any')]),
    minutes: Minutes,
  }),
]);
export type SetupRule = z.infer<typeof SetupRuleSchema>;

/** Booking rules; a tool's own policy overrides its type's field by field. */
export const PolicySchema = z
  .object({
    appliesTo: ToolScopeSchema,
    minDurationMinutes: Duration.optional(),
    maxDurationMinutes: Duration.optional(),
    minNoticeMinutes: Minutes.optional(),
    maxAdvanceMinutes: Minutes.optional(),
    /** Turnaround after every booking (chamber bake, clean): nothing else starts before it ends. */
    bufferAfterMinutes: Minutes.optional(),
    /** Hours per tenant per week on the tool type (all its tools together). */
    weeklyQuotaHours: z.number().min(0).optional(),
    weeklyQuotaHoursByTenantClass: z.partialRecord(TenantClassSchema, z.number().min(0)).optional(),
    approvalRequired: z.boolean().optional(),
    /** Starts offered on this grid (minutes from midnight in the facility's zone), e.g. 60 for runs on the hour. */
    startGridMinutes: z.int().min(1).max(1_440).optional(),
    /** Overrides the tenants' own priority on these tools (repair serves higher priorities first). */
    tenantPriority: z.partialRecord(TenantClassSchema, z.int()).optional(),
  })
  .refine(
    (p) =>
      p.appliesTo.kind === 'toolType' ||
      (p.weeklyQuotaHours === undefined && p.weeklyQuotaHoursByTenantClass === undefined),
    {
      message: 'quotas are per tool type: set them on a toolType policy',
      path: ['weeklyQuotaHours'],
    },
  )
  .refine(
    (p) =>
      p.minDurationMinutes === undefined ||
      p.maxDurationMinutes === undefined ||
      p.minDurationMinutes <= p.maxDurationMinutes,
    {
      message: 'minDurationMinutes must not exceed maxDurationMinutes',
      path: ['maxDurationMinutes'],
    },
  );
export type Policy = z.infer<typeof PolicySchema>;

/** A user may run the tool(s) in scope until `expiresAt` (exclusive); no expiry means indefinitely. */
export const QualificationSchema = z.object({
  userId: Id,
  appliesTo: ToolScopeSchema,
  expiresAt: MinuteSchema.optional(),
});
export type Qualification = z.infer<typeof QualificationSchema>;

export const TenantSchema = z.object({
  id: Id,
  name: z.string(),
  class: TenantClassSchema,
  /** Higher is served first when bookings compete (repair order). */
  priority: z.int().default(0),
});
export type Tenant = z.infer<typeof TenantSchema>;

/**
 * Tool time a tenant has already had that no longer holds the calendar (completed runs, no-shows) but
 * still counts toward its weekly quota on the tool type.
 */
export const QuotaUseSchema = z.object({ tenantId: Id, toolType: Id, start: MinuteSchema, end: MinuteSchema });
export type QuotaUse = z.infer<typeof QuotaUseSchema>;

/** Everything the solver knows about the line at one moment. */
export const SolverSnapshotSchema = z.object({
  version: z.literal(SOLVER_MODEL_VERSION),
  tools: z.array(ToolSchema),
  reservations: z.array(ReservationSchema),
  setupRules: z.array(SetupRuleSchema).default([]),
  policies: z.array(PolicySchema).default([]),
  qualifications: z.array(QualificationSchema).default([]),
  tenants: z.array(TenantSchema),
  quotaUse: z.array(QuotaUseSchema).optional(),
});
export type SolverSnapshot = z.infer<typeof SolverSnapshotSchema>;
export type SolverSnapshotInput = z.input<typeof SolverSnapshotSchema>;

export const BookingTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('toolType'), toolType: Id }),
  z.object({ kind: z.literal('tools'), toolIds: z.array(Id).min(1) }),
]);
export type BookingTarget = z.infer<typeof BookingTargetSchema>;

export const PlacementRequestSchema = z
  .object({
    id: Id,
    tenantId: Id,
    userId: Id,
    target: BookingTargetSchema,
    durationMinutes: Duration,
    earliestStart: MinuteSchema,
    latestEnd: MinuteSchema,
    material: MaterialSchema,
    waferSize: WaferSizeSchema,
    contaminationGroup: ContaminationGroupSchema.default('standard'),
    preferredToolId: Id.optional(),
    /** On a batch tool: the recipe to run; a planned run of the same recipe is joined while it has room. */
    recipe: Id.optional(),
    /** Wafers to load (batch tools count them against their capacity; default 1). */
    waferCount: z.int().min(1).optional(),
  })
  .refine((r) => r.latestEnd - r.earliestStart >= r.durationMinutes, {
    message: 'the window from earliestStart to latestEnd must hold durationMinutes',
    path: ['latestEnd'],
  });
export type PlacementRequest = z.infer<typeof PlacementRequestSchema>;
export type PlacementRequestInput = z.input<typeof PlacementRequestSchema>;

// ---- Output: placement options, explanations, repair plans, schedule violations ----

export const PolicyRuleSchema = z.enum([
  'MIN_DURATION',
  'MAX_DURATION',
  'MIN_NOTICE',
  'MAX_ADVANCE',
  'REQUEST_WINDOW',
]);
export type PolicyRule = z.infer<typeof PolicyRuleSchema>;

export const QuotaWeekSchema = z.object({
  weekStart: MinuteSchema,
  usedHours: z.number(),
  allowedHours: z.number(),
});
export type QuotaWeek = z.infer<typeof QuotaWeekSchema>;

/** Why a tool cannot take a request (or part of its window): the codes match PilotlineError codes. */
export const BlockReasonSchema = z.discriminatedUnion('code', [
  z.object({ code: z.literal('NOT_QUALIFIED'), userId: Id }),
  z.object({ code: z.literal('QUALIFICATION_EXPIRED'), userId: Id, expiresAt: MinuteSchema }),
  z.object({
    code: z.literal('INCOMPATIBLE_MATERIAL'),
    material: MaterialSchema,
    contaminationGroup: ContaminationGroupSchema,
    acceptedMaterials: z.array(MaterialSchema),
    toolContaminationClass: ContaminationGroupSchema,
  }),
  z.object({
    code: z.literal('WAFER_SIZE'),
    waferSize: WaferSizeSchema,
    acceptedWaferSizes: z.array(WaferSizeSchema),
  }),
  /** The tool is not in service, or maintenance windows cover the part of the window listed. */
  z.object({ code: z.literal('TOOL_DOWN'), status: ToolStatusSchema, maintenance: z.array(IntervalSchema) }),
  /** Other bookings (with their buffers) fill the window: their merged busy intervals. */
  z.object({ code: z.literal('FULLY_BOOKED'), busy: z.array(IntervalSchema) }),
  z.object({
    code: z.literal('QUOTA_EXCEEDED'),
    toolType: Id,
    requestedHours: z.number(),
    weeks: z.array(QuotaWeekSchema),
  }),
  /** A policy rule rules the request out (durations) or cuts its window (notice before `boundary`, advance after it). */
  z.object({
    code: z.literal('OUTSIDE_POLICY'),
    rule: PolicyRuleSchema,
    limitMinutes: Minutes,
    requestedMinutes: Minutes.optional(),
    boundary: MinuteSchema.optional(),
  }),
  z.object({ code: z.literal('UNKNOWN_TOOL') }),
  /** A planned run of this batch tool inside the window that the request may not join, and why (no other tenant named). */
  z.object({
    code: z.literal('BATCH_RUN'),
    start: MinuteSchema,
    end: MinuteSchema,
    why: z.array(z.enum(['RECIPE_DIFFERS', 'MATERIAL_DIFFERS', 'CONTAMINATION_DIFFERS', 'WAFER_SIZE_DIFFERS', 'DURATION_DIFFERS', 'NO_ROOM', 'OUTSIDE_WINDOW'])),
    loadWafers: z.int(),
    capacityWafers: z.int(),
  }),
]);
export type BlockReason = z.infer<typeof BlockReasonSchema>;
export type BlockReasonCode = BlockReason['code'];

export const ToolExplanationSchema = z.object({
  toolId: Id,
  /** Set on a linked tool's entry: the candidate tool that needs it alongside. */
  linkedTo: Id.optional(),
  reasons: z.array(BlockReasonSchema),
});
export type ToolExplanation = z.infer<typeof ToolExplanationSchema>;

export const PlacementOptionSchema = z.object({
  toolId: Id,
  start: MinuteSchema,
  end: MinuteSchema,
  approvalRequired: z.boolean(),
  preferred: z.boolean(),
  /** Free minutes the option leaves stranded next to it, too short for another booking. */
  fragmentationMinutes: Minutes,
  /** With a start grid: the feasible starts of the option's free gap inside the window (both inclusive). */
  gap: z.object({ firstStart: MinuteSchema, lastStart: MinuteSchema }).optional(),
  /** The linked tools held alongside for the same interval (absent when the tool has none). */
  linkedToolIds: z.array(Id).optional(),
  /** Joins the planned run held by this booking (same recipe, room left) instead of a run of its own. */
  joinsRun: Id.optional(),
});
export type PlacementOption = z.infer<typeof PlacementOptionSchema>;

export const PlacementResultSchema = z.discriminatedUnion('status', [
  z.object({
    version: z.literal(SOLVER_MODEL_VERSION),
    requestId: Id,
    status: z.literal('feasible'),
    options: z.array(PlacementOptionSchema).min(1),
  }),
  z.object({
    version: z.literal(SOLVER_MODEL_VERSION),
    requestId: Id,
    status: z.literal('infeasible'),
    explanation: z.array(ToolExplanationSchema),
  }),
]);
export type PlacementResult = z.infer<typeof PlacementResultSchema>;

/** A maintenance window to plan: the same interval on one or more tools. */
export const RepairWindowSchema = z
  .object({
    id: Id,
    toolIds: z.array(Id).min(1),
    start: MinuteSchema,
    end: MinuteSchema,
    reason: MaintenanceKindSchema.default('planned'),
  })
  .refine((w) => w.end > w.start, { message: 'end must be after start', path: ['end'] });
export type RepairWindow = z.infer<typeof RepairWindowSchema>;
export type RepairWindowInput = z.input<typeof RepairWindowSchema>;

export const ToolSlotSchema = z.object({ toolId: Id, start: MinuteSchema, end: MinuteSchema });
export type ToolSlot = z.infer<typeof ToolSlotSchema>;

/**
 * Why a booking moved where it did (the rule is in src/solver/README.md): to the free start nearest
 * its own, or further than that, inside its own window and policies, so that more bookings are kept.
 */
export const RepairMoveReasonSchema = z.enum(REPAIR_MOVE_REASONS);
export type RepairMoveReason = z.infer<typeof RepairMoveReasonSchema>;

export const RepairMoveSchema = z.object({
  bookingId: Id,
  tenantId: Id,
  from: ToolSlotSchema,
  to: ToolSlotSchema,
  reason: RepairMoveReasonSchema,
});
export type RepairMove = z.infer<typeof RepairMoveSchema>;

/**
 * Why a booking cannot be kept: no free start in its window on any tool it may use, or it would fit
 * alone but every start it may use went to displaced bookings of equal or higher priority.
 */
export const RepairUnplaceableReasonSchema = z.enum(REPAIR_UNPLACEABLE_REASONS);
export type RepairUnplaceableReason = z.infer<typeof RepairUnplaceableReasonSchema>;

export const RepairUnplaceableSchema = z.object({
  bookingId: Id,
  tenantId: Id,
  from: ToolSlotSchema,
  reason: RepairUnplaceableReasonSchema,
  /** Per candidate tool, what blocks the booking's window in the repaired calendar. */
  explanation: z.array(ToolExplanationSchema),
});
export type RepairUnplaceable = z.infer<typeof RepairUnplaceableSchema>;

/** In-use bookings are never moved: the maintenance has to wait for them or be re-planned. */
export const RepairConflictSchema = z.object({
  bookingId: Id,
  tenantId: Id,
  at: ToolSlotSchema,
  reason: z.literal('IN_USE'),
});
export type RepairConflict = z.infer<typeof RepairConflictSchema>;

export const RepairMetricsSchema = z.object({
  displaced: Minutes,
  moved: Minutes,
  unplaceable: Minutes,
  conflicts: Minutes,
  displacementMinutes: Minutes,
  tenantsTouched: Minutes,
});
export type RepairMetrics = z.infer<typeof RepairMetricsSchema>;

export const RepairPlanSchema = z.object({
  version: z.literal(SOLVER_MODEL_VERSION),
  windowId: Id,
  /** The maintenance reservations to add, one per tool. */
  maintenance: z.array(MaintenanceSchema),
  moves: z.array(RepairMoveSchema),
  unplaceable: z.array(RepairUnplaceableSchema),
  conflicts: z.array(RepairConflictSchema),
  metrics: RepairMetricsSchema,
  /** At most this many displaced bookings can be kept, whatever the search: computed apart from it. */
  upperBound: Minutes,
});
export type RepairPlan = z.infer<typeof RepairPlanSchema>;

export const ViolationCodeSchema = z.enum([
  'INVALID_INTERVAL',
  'DUPLICATE_ID',
  'UNKNOWN_TOOL',
  'UNKNOWN_TENANT',
  'WRONG_TOOL',
  'TOOL_DOWN',
  'OVERLAP',
  'CHANGEOVER',
  'MAINTENANCE_OVERLAP',
  'NOT_QUALIFIED',
  'QUALIFICATION_EXPIRED',
  'INCOMPATIBLE_MATERIAL',
  'WAFER_SIZE',
  'OUTSIDE_POLICY',
  'QUOTA_EXCEEDED',
  /** A linked group whose members do not share the primary's interval, or a member missing or on a tool not linked. */
  'LINKED_GROUP',
  /** A batch tool's run loaded with more wafers than the tool takes. */
  'BATCH_CAPACITY',
]);
export type ViolationCode = z.infer<typeof ViolationCodeSchema>;

/** One broken constraint of a schedule, as found by the independent checker. */
export const ViolationSchema = z.object({
  code: ViolationCodeSchema,
  reservationIds: z.array(Id),
  toolId: Id.optional(),
  tenantId: Id.optional(),
  detail: z.string(),
});
export type Violation = z.infer<typeof ViolationSchema>;
