// An allocation round as plain JSON data: the requests of one week on allocated tool types, the
// target shares per tenant class, and the answer (grants, requests left out with their reason, and
// the fairness figures). Time is integer minutes since the Unix epoch, intervals half-open.
import { z } from 'zod';
import { ContaminationGroupSchema, MaterialSchema, WaferSizeSchema } from '../materials.js';
import {
  MinuteSchema,
  SOLVER_MODEL_VERSION,
  TenantClassSchema,
  ToolExplanationSchema,
  type TenantClass,
} from '../model.js';
import { LEFT_OUT_REASONS } from './reasons.js';

const Id = z.string().min(1);
const Duration = z
  .int()
  .min(1)
  .max(14 * 1_440);

/** Target share of each tenant class in percent; they add up to 100. */
export const ClassSharesSchema = z
  .object({
    institute: z.number().min(0).max(100),
    university: z.number().min(0).max(100),
    industry: z.number().min(0).max(100),
  })
  .refine((s) => Math.abs(s.institute + s.university + s.industry - 100) < 1e-6, {
    message: 'the shares must add up to 100 %',
  });
export type ClassShares = z.infer<typeof ClassSharesSchema>;

export const AllocationRequestSchema = z
  .object({
    id: Id,
    tenantId: Id,
    userId: Id,
    /** The pool: every tool of this type, or only `toolIds` of it ("any of these tools"). */
    toolType: Id,
    toolIds: z.array(Id).min(1).optional(),
    durationMinutes: Duration,
    earliestStart: MinuteSchema,
    latestEnd: MinuteSchema,
    material: MaterialSchema,
    waferSize: WaferSizeSchema,
    contaminationGroup: ContaminationGroupSchema.default('standard'),
    /** The tenant's own ranking of its requests: 3 first, 1 last. */
    priority: z.int().min(1).max(3).default(2),
    /** Submission order (first come, first served reads it; the round only breaks ties with it). */
    order: z.int().min(0),
    /** The lab manager pinned it: granted whatever the shares, at `slot` when that still fits. */
    pinned: z.object({ slot: z.object({ toolId: Id, start: MinuteSchema }).optional() }).optional(),
    /** The lab manager dropped it from the round. */
    dropped: z.boolean().default(false),
  })
  .refine((r) => r.latestEnd - r.earliestStart >= r.durationMinutes, {
    message: 'the window from earliestStart to latestEnd must hold durationMinutes',
    path: ['latestEnd'],
  });
export type AllocationRequest = z.infer<typeof AllocationRequestSchema>;
export type AllocationRequestInput = z.input<typeof AllocationRequestSchema>;

export const AllocationInputSchema = z.object({
  version: z.literal(SOLVER_MODEL_VERSION),
  requests: z.array(AllocationRequestSchema),
  shares: ClassSharesSchema,
  /** How far (percentage points) a class's share may stray from its target to grant more hours. */
  shareTolerancePts: z.number().min(0).max(100).default(1),
  /** The moment of allocation: policies' notice and advance are measured from here. */
  now: MinuteSchema,
});
export type AllocationInput = z.infer<typeof AllocationInputSchema>;
export type AllocationInputData = z.input<typeof AllocationInputSchema>;

export const GrantSchema = z.object({
  requestId: Id,
  tenantId: Id,
  toolId: Id,
  start: MinuteSchema,
  end: MinuteSchema,
  pinned: z.boolean(),
});
export type Grant = z.infer<typeof GrantSchema>;

export const LeftOutReasonSchema = z.enum(LEFT_OUT_REASONS);
export type LeftOutReason = z.infer<typeof LeftOutReasonSchema>;

/** The numbers a share reason quotes: the class's target and what granting the request would make of it. */
export const ShareFactsSchema = z.object({
  tenantClass: TenantClassSchema,
  toolType: Id,
  targetPct: z.number(),
  grantedPct: z.number(),
  wouldBePct: z.number(),
  tolerancePts: z.number(),
});
export type ShareFacts = z.infer<typeof ShareFactsSchema>;

export const LeftOutSchema = z.object({
  requestId: Id,
  tenantId: Id,
  reason: LeftOutReasonSchema,
  /** The reason in words any tenant may read: it names no other tenant and no other booking. */
  words: z.string(),
  share: ShareFactsSchema.optional(),
  /** Per candidate tool, what blocks the request's window (busy time only, never whose). */
  explanation: z.array(ToolExplanationSchema),
});
export type LeftOut = z.infer<typeof LeftOutSchema>;

export const ClassFiguresSchema = z.object({
  tenantClass: TenantClassSchema,
  targetPct: z.number(),
  /** The target after the share of satisfied classes was passed on. */
  effectiveTargetPct: z.number(),
  requestedMinutes: z.int(),
  grantedMinutes: z.int(),
  grantedPct: z.number(),
  /** Every request of the class that could have fit was granted: its unused share went to the others. */
  satisfied: z.boolean(),
});
export type ClassFigures = z.infer<typeof ClassFiguresSchema>;

export const PoolFiguresSchema = z.object({
  toolType: Id,
  /** Free minutes of the pool's tools in the requests' windows before the round. */
  freeMinutes: z.int(),
  grantedMinutes: z.int(),
  deviationPts: z.number(),
  classes: z.array(ClassFiguresSchema),
});
export type PoolFigures = z.infer<typeof PoolFiguresSchema>;

export const TenantFiguresSchema = z.object({
  tenantId: Id,
  tenantClass: TenantClassSchema,
  requestedMinutes: z.int(),
  grantedMinutes: z.int(),
  /** Its fair part of its class's granted time (equal split, capped by what it could use). */
  fairMinutes: z.int(),
});
export type TenantFigures = z.infer<typeof TenantFiguresSchema>;

export const AllocationFiguresSchema = z.object({
  requestedMinutes: z.int(),
  grantedMinutes: z.int(),
  requests: z.int(),
  granted: z.int(),
  /** Max over classes of |granted share − effective target share| over all pools, in points. */
  shareDeviationPts: z.number(),
  /** The same, worst pool. */
  maxPoolDeviationPts: z.number(),
  /** Jain's index over tenants of granted / fair minutes (1 is perfectly even). */
  jainIndex: z.number(),
  classes: z.array(ClassFiguresSchema),
  pools: z.array(PoolFiguresSchema),
  tenants: z.array(TenantFiguresSchema),
});
export type AllocationFigures = z.infer<typeof AllocationFiguresSchema>;

export const AllocationResultSchema = z.object({
  version: z.literal(SOLVER_MODEL_VERSION),
  grants: z.array(GrantSchema),
  leftOut: z.array(LeftOutSchema),
  figures: AllocationFiguresSchema,
  /** Search work done (iterations run), for the bench and the audit. */
  iterations: z.int(),
});
export type AllocationResult = z.infer<typeof AllocationResultSchema>;

export const TENANT_CLASSES: readonly TenantClass[] = TenantClassSchema.options;
