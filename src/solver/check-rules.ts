import type {
  Booking,
  ContaminationGroup,
  Policy,
  SetupRule,
  SolverSnapshot,
  TenantClass,
  Tool,
  Violation,
} from './model.js';
import { MINUTES_PER_WEEK, WEEK_ANCHOR_MINUTE } from './week.js';

// The referee's own reading of the rules, written apart from the solver's indexes on purpose:
// plain scans over the snapshot, so a bug in one is unlikely to hide the same bug in the other.

const CLEANLINESS: readonly ContaminationGroup[] = ['cmos-clean', 'standard', 'au-metal'];

export class Rulebook {
  private readonly toolsById: Map<string, Tool>;

  constructor(readonly snapshot: SolverSnapshot) {
    this.toolsById = new Map(snapshot.tools.map((t) => [t.id, t]));
  }

  tool(id: string): Tool | undefined {
    return this.toolsById.get(id);
  }

  tenantClass(tenantId: string): TenantClass | undefined {
    return this.snapshot.tenants.find((t) => t.id === tenantId)?.class;
  }

  /** The tool's own policy wins over its type's; among equals, the later one wins. */
  policyValue<K extends keyof Policy>(tool: Tool, key: K): Policy[K] | undefined {
    let fromType: Policy[K] | undefined;
    let fromTool: Policy[K] | undefined;
    for (const policy of this.snapshot.policies) {
      if (policy[key] === undefined) continue;
      const scope = policy.appliesTo;
      if (scope.kind === 'tool' && scope.toolId === tool.id) fromTool = policy[key];
      if (scope.kind === 'toolType' && scope.toolType === tool.type) fromType = policy[key];
    }
    return fromTool ?? fromType;
  }

  bufferAfter(tool: Tool): number {
    return this.policyValue(tool, 'bufferAfterMinutes') ?? 0;
  }

  /** Minutes of changeover from one booking to the next on the tool: the longest matching rule. */
  changeover(tool: Tool, before: Booking, after: Booking): number {
    let minutes = 0;
    for (const rule of this.snapshot.setupRules) {
      const scope = rule.appliesTo;
      const covers = scope.kind === 'tool' ? scope.toolId === tool.id : scope.toolType === tool.type;
      if (covers && setupRuleMatches(rule, before, after)) minutes = Math.max(minutes, rule.minutes);
    }
    return minutes;
  }

  /** The latest expiry over the user's qualifications on the tool or its type; undefined when none. */
  qualifiedUntil(userId: string, tool: Tool): number | undefined {
    let until: number | undefined;
    for (const q of this.snapshot.qualifications) {
      if (q.userId !== userId) continue;
      const scope = q.appliesTo;
      const covers = scope.kind === 'tool' ? scope.toolId === tool.id : scope.toolType === tool.type;
      if (covers) until = Math.max(until ?? -Infinity, q.expiresAt ?? Infinity);
    }
    return until;
  }

  /** The tenant class's weekly allowance on a tool type in minutes; undefined when unlimited. */
  weeklyQuotaMinutes(toolType: string, tenantClass: TenantClass): number | undefined {
    let byClass: Policy['weeklyQuotaHoursByTenantClass'];
    let flat: number | undefined;
    for (const policy of this.snapshot.policies) {
      if (policy.appliesTo.kind !== 'toolType' || policy.appliesTo.toolType !== toolType) continue;
      if (policy.weeklyQuotaHoursByTenantClass !== undefined) byClass = policy.weeklyQuotaHoursByTenantClass;
      if (policy.weeklyQuotaHours !== undefined) flat = policy.weeklyQuotaHours;
    }
    const hours = byClass?.[tenantClass] ?? flat;
    return hours === undefined ? undefined : Math.round(hours * 60);
  }

  /** What is wrong with the booking on its own: tool fit, qualification, duration rules. */
  bookingViolations(booking: Booking, tool: Tool): Violation[] {
    const found: Violation[] = [];
    const flag = (code: Violation['code'], detail: string) =>
      found.push({ code, reservationIds: [booking.id], toolId: tool.id, tenantId: booking.tenantId, detail });
    if (!tool.materials.includes(booking.material))
      flag('INCOMPATIBLE_MATERIAL', `${tool.id} does not take ${booking.material}`);
    if (CLEANLINESS.indexOf(booking.contaminationGroup) > CLEANLINESS.indexOf(tool.contaminationClass)) {
      flag(
        'INCOMPATIBLE_MATERIAL',
        `${booking.contaminationGroup} wafers may not enter a ${tool.contaminationClass} tool`,
      );
    }
    if (!tool.waferSizes.includes(booking.waferSize))
      flag('WAFER_SIZE', `${tool.id} does not take ${booking.waferSize} mm wafers`);
    const until = this.qualifiedUntil(booking.userId, tool);
    if (until === undefined) flag('NOT_QUALIFIED', `${booking.userId} is not qualified on ${tool.id}`);
    else if (booking.end > until)
      flag(
        'QUALIFICATION_EXPIRED',
        `${booking.userId}'s qualification ends at ${until}, before ${booking.end}`,
      );
    if ((booking.runWafers ?? 1) > tool.batchCapacity)
      flag('BATCH_CAPACITY', `${booking.runWafers} wafers in a run of ${tool.id}, which takes ${tool.batchCapacity}`);
    const duration = booking.end - booking.start;
    const min = this.policyValue(tool, 'minDurationMinutes');
    const max = this.policyValue(tool, 'maxDurationMinutes');
    if (min !== undefined && duration < min)
      flag('OUTSIDE_POLICY', `MIN_DURATION: ${duration} < ${min} minutes`);
    if (max !== undefined && duration > max)
      flag('OUTSIDE_POLICY', `MAX_DURATION: ${duration} > ${max} minutes`);
    return found;
  }
}

function setupRuleMatches(rule: SetupRule, before: Booking, after: Booking): boolean {
  const [a, b] =
    rule.dimension === 'material'
      ? [before.material, after.material]
      : [before.contaminationGroup, after.contaminationGroup];
  return a !== b && (rule.from === 'any' || rule.from === a) && (rule.to === 'any' || rule.to === b);
}

/** Minutes of [start, end) falling in each quota week, keyed by the week's first minute. */
export function minutesByWeek(start: number, end: number): Map<number, number> {
  const weeks = new Map<number, number>();
  let weekStart =
    start - ((((start - WEEK_ANCHOR_MINUTE) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK);
  for (; weekStart < end; weekStart += MINUTES_PER_WEEK) {
    weeks.set(weekStart, Math.min(end, weekStart + MINUTES_PER_WEEK) - Math.max(start, weekStart));
  }
  return weeks;
}
