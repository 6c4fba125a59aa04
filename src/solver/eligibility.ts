import { ContaminationGroupSchema } from './model.js';
import type { BlockReason, ContaminationGroup, Material, WaferSize } from './model.js';
import type { QuotaCut } from './quota.js';
import { quotaStartRanges } from './quota.js';
import type { StartRange } from './ranges.js';
import type { SolverState, ToolContext } from './state.js';
import { MINUTES_PER_HOUR, weekStartOf } from './week.js';

/** What is to be placed: a new request, or a booking that repair has to move. */
export interface Demand {
  readonly tenantId: string;
  readonly userId: string;
  readonly durationMinutes: number;
  readonly material: Material;
  readonly waferSize: WaferSize;
  readonly contaminationGroup: ContaminationGroup;
  readonly earliestStart: number;
  readonly latestEnd: number;
}

/** A tool's verdict on a demand before looking at its calendar. */
export type ToolAssessment =
  | { readonly kind: 'blocked'; readonly reasons: BlockReason[] }
  | {
      readonly kind: 'open';
      /** Policy rules and qualification expiry that cut part of the window away. */
      readonly cuts: BlockReason[];
      /** Starts left after those cuts and the weekly quota, in time order. */
      readonly ranges: StartRange[];
      readonly quotaCuts: QuotaCut[];
    };

const CONTAMINATION_ORDER = ContaminationGroupSchema.options;

export function assessTool(
  demand: Demand,
  context: ToolContext,
  state: SolverState,
  now: number,
): ToolAssessment {
  const blockers = toolBlockers(demand, context, state);
  if (blockers.reasons.length > 0) return { kind: 'blocked', reasons: blockers.reasons };
  const { policy, tool } = context;
  const d = demand.durationMinutes;
  let earliestStart = demand.earliestStart;
  let latestStart = demand.latestEnd - d;
  if (earliestStart > latestStart) {
    const requested = demand.latestEnd - demand.earliestStart;
    return {
      kind: 'blocked',
      reasons: [
        {
          code: 'OUTSIDE_POLICY',
          rule: 'REQUEST_WINDOW',
          limitMinutes: d,
          requestedMinutes: Math.max(0, requested),
        },
      ],
    };
  }
  const cuts: BlockReason[] = [];
  const noticeBoundary = now + policy.minNoticeMinutes;
  if (noticeBoundary > earliestStart) {
    earliestStart = noticeBoundary;
    cuts.push({
      code: 'OUTSIDE_POLICY',
      rule: 'MIN_NOTICE',
      limitMinutes: policy.minNoticeMinutes,
      boundary: noticeBoundary,
    });
  }
  const advanceBoundary = now + policy.maxAdvanceMinutes;
  if (advanceBoundary < latestStart) {
    latestStart = advanceBoundary;
    cuts.push({
      code: 'OUTSIDE_POLICY',
      rule: 'MAX_ADVANCE',
      limitMinutes: policy.maxAdvanceMinutes,
      boundary: Math.max(0, advanceBoundary),
    });
  }
  if (blockers.qualifiedUntil - d < latestStart) {
    latestStart = blockers.qualifiedUntil - d;
    cuts.push({ code: 'QUALIFICATION_EXPIRED', userId: demand.userId, expiresAt: blockers.qualifiedUntil });
  }
  if (earliestStart > latestStart) return { kind: 'blocked', reasons: cuts };
  const limit = policy.weeklyQuotaMinutes[state.tenant(demand.tenantId).class];
  const usage = limit === Infinity ? undefined : state.quota.weeksOf(demand.tenantId, tool.type);
  const quota = quotaStartRanges(usage, limit, d, earliestStart, latestStart);
  return { kind: 'open', cuts, ranges: quota.ranges, quotaCuts: quota.cuts };
}

/** The reasons this tool can never take the demand, whatever the time, and until when the user may run it. */
function toolBlockers(
  demand: Demand,
  context: ToolContext,
  state: SolverState,
): { reasons: BlockReason[]; qualifiedUntil: number } {
  const { tool, policy } = context;
  const reasons: BlockReason[] = [];
  if (tool.status !== 'up') reasons.push({ code: 'TOOL_DOWN', status: tool.status, maintenance: [] });
  const cleanEnough =
    CONTAMINATION_ORDER.indexOf(demand.contaminationGroup) <=
    CONTAMINATION_ORDER.indexOf(tool.contaminationClass);
  if (!tool.materials.includes(demand.material) || !cleanEnough) {
    reasons.push({
      code: 'INCOMPATIBLE_MATERIAL',
      material: demand.material,
      contaminationGroup: demand.contaminationGroup,
      acceptedMaterials: [...tool.materials],
      toolContaminationClass: tool.contaminationClass,
    });
  }
  if (!tool.waferSizes.includes(demand.waferSize)) {
    reasons.push({
      code: 'WAFER_SIZE',
      waferSize: demand.waferSize,
      acceptedWaferSizes: [...tool.waferSizes],
    });
  }
  const expiry = state.qualifications.expiryFor(demand.userId, tool);
  if (expiry === undefined) reasons.push({ code: 'NOT_QUALIFIED', userId: demand.userId });
  const d = demand.durationMinutes;
  if (d < policy.minDurationMinutes) {
    reasons.push({
      code: 'OUTSIDE_POLICY',
      rule: 'MIN_DURATION',
      limitMinutes: policy.minDurationMinutes,
      requestedMinutes: d,
    });
  }
  if (d > policy.maxDurationMinutes) {
    reasons.push({
      code: 'OUTSIDE_POLICY',
      rule: 'MAX_DURATION',
      limitMinutes: policy.maxDurationMinutes,
      requestedMinutes: d,
    });
  }
  return { reasons, qualifiedUntil: expiry ?? -Infinity };
}

export function quotaReason(
  demand: Demand,
  context: ToolContext,
  state: SolverState,
  cuts: readonly QuotaCut[],
): BlockReason {
  const limit = context.policy.weeklyQuotaMinutes[state.tenant(demand.tenantId).class];
  return {
    code: 'QUOTA_EXCEEDED',
    toolType: context.tool.type,
    requestedHours: demand.durationMinutes / MINUTES_PER_HOUR,
    weeks: cuts.map((cut) => ({
      weekStart: weekStartOf(cut.week),
      usedHours: cut.usedMinutes / MINUTES_PER_HOUR,
      allowedHours: limit / MINUTES_PER_HOUR,
    })),
  };
}
