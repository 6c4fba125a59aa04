import type { Demand } from '../eligibility.js';
import { assessTool } from '../eligibility.js';
import type { Booking } from '../model.js';
import type { StartRange } from '../ranges.js';
import type { SetupKey } from '../setup.js';
import { setupKeyOf } from '../setup.js';
import type { SolverState, ToolContext } from '../state.js';
import { compareIds } from '../state.js';
import { MINUTES_PER_DAY } from '../week.js';

// The repair as a small problem of its own: the displaced bookings (jobs), the tools they may use with
// the calendar that stays put (everything else, plus the new maintenance), and the quota accounts
// they share. Built once from a state in which the displaced bookings are already taken out.

/** One tool a job may use, with the starts its window, policy, qualification and quota leave. */
export interface JobOption {
  readonly tool: number;
  readonly ranges: readonly StartRange[];
  /** Duration plus the tool's buffer: the time the job's footprint holds. */
  readonly footprint: number;
  /** Cost of using this tool instead of the booking's own, in minutes of displacement. */
  readonly penalty: number;
}

export interface RepairJob {
  readonly index: number;
  readonly booking: Booking;
  /** Higher is served first: the tenant's priority, or the tool policy's override for its class. */
  readonly priority: number;
  /** Index of `priority` among the problem's priority levels, highest first. */
  readonly level: number;
  readonly demand: Demand;
  readonly duration: number;
  readonly target: number;
  readonly setup: SetupKey;
  /** Every tool the booking may move to (its own first), for the explanations. */
  readonly candidates: readonly ToolContext[];
  /** The candidates not ruled out before looking at the calendar. */
  readonly options: readonly JobOption[];
  /** Its quota account, or -1 when its tenant has no quota on the tool type. */
  readonly account: number;
}

export interface RepairTool {
  readonly index: number;
  readonly context: ToolContext;
}

export interface QuotaAccount {
  readonly tenantId: string;
  readonly toolType: string;
  readonly limitMinutes: number;
}

export interface RepairProblem {
  readonly jobs: readonly RepairJob[];
  readonly tools: readonly RepairTool[];
  readonly accounts: readonly QuotaAccount[];
  /** Distinct priorities, highest first. */
  readonly levels: readonly number[];
}

export interface ProblemOptions {
  readonly now: number;
  readonly defaultFlexMinutes?: number;
  readonly toolChangePenaltyMinutes?: number;
}

/**
 * The problem for these displaced bookings. `state` must already hold the calendar the repair works
 * on: displaced bookings removed, the maintenance added.
 */
export function buildRepairProblem(
  displaced: readonly Booking[],
  state: SolverState,
  options: ProblemOptions,
): RepairProblem {
  const flex = options.defaultFlexMinutes ?? MINUTES_PER_DAY;
  const penalty = options.toolChangePenaltyMinutes ?? 1e9;
  const tools: RepairTool[] = [];
  const toolIndex = new Map<string, number>();
  const accounts: QuotaAccount[] = [];
  const accountIndex = new Map<string, number>();
  const toolOf = (context: ToolContext): number => {
    let index = toolIndex.get(context.tool.id);
    if (index === undefined) {
      index = tools.length;
      tools.push({ index, context });
      toolIndex.set(context.tool.id, index);
    }
    return index;
  };
  const accountOf = (tenantId: string, context: ToolContext): number => {
    const tenantClass = state.tenant(tenantId).class;
    const limitMinutes = context.policy.weeklyQuotaMinutes[tenantClass];
    if (limitMinutes === Infinity) return -1;
    const key = `${tenantId}\u0000${context.tool.type}`;
    let index = accountIndex.get(key);
    if (index === undefined) {
      index = accounts.length;
      accounts.push({ tenantId, toolType: context.tool.type, limitMinutes });
      accountIndex.set(key, index);
    }
    return index;
  };

  const sorted = [...displaced].sort((a, b) => a.start - b.start || compareIds(a.id, b.id));
  const priorities = sorted.map((booking) => priorityOf(booking, state));
  const levels = [...new Set(priorities)].sort((a, b) => b - a);
  const jobs = sorted.map((booking, index): RepairJob => {
    const own = state.toolContext(booking.toolId);
    const sameType = (state.toolsByType.get(own.tool.type) ?? []).filter((c) => c !== own);
    const candidates = [own, ...sameType];
    const window = booking.allowedWindow ?? {
      earliestStart: Math.max(0, booking.start - flex),
      latestEnd: booking.end + flex,
    };
    const demand: Demand = {
      tenantId: booking.tenantId,
      userId: booking.userId,
      durationMinutes: booking.end - booking.start,
      material: booking.material,
      waferSize: booking.waferSize,
      contaminationGroup: booking.contaminationGroup,
      earliestStart: window.earliestStart,
      latestEnd: window.latestEnd,
    };
    const jobOptions: JobOption[] = [];
    for (const context of candidates) {
      const assessment = assessTool(demand, context, state, options.now);
      if (assessment.kind === 'blocked' || assessment.ranges.length === 0) continue;
      jobOptions.push({
        tool: toolOf(context),
        ranges: assessment.ranges,
        footprint: demand.durationMinutes + context.policy.bufferAfterMinutes,
        penalty: context === own ? 0 : penalty,
      });
    }
    const priority = priorities[index]!;
    return {
      index,
      booking,
      priority,
      level: levels.indexOf(priority),
      demand,
      duration: demand.durationMinutes,
      target: booking.start,
      setup: setupKeyOf(booking.material, booking.contaminationGroup),
      candidates,
      options: jobOptions,
      account: accountOf(booking.tenantId, own),
    };
  });
  return { jobs, tools, accounts, levels };
}

function priorityOf(booking: Booking, state: SolverState): number {
  const tenant = state.tenant(booking.tenantId);
  return state.toolContext(booking.toolId).policy.tenantPriority[tenant.class] ?? tenant.priority;
}
