import type { Demand, ToolAssessment } from './eligibility.js';
import { assessTool, quotaReason } from './eligibility.js';
import type { BlockReason, Interval, ToolExplanation } from './model.js';
import type { SolverState, ToolContext } from './state.js';

/**
 * Why the tool has no slot for the demand: everything that removes part of the window. Static
 * reasons (material, qualification, durations…) rule the tool out alone; otherwise the policy cuts,
 * the quota weeks, and the maintenance and bookings that fill what is left.
 */
export function explainTool(
  demand: Demand,
  context: ToolContext,
  state: SolverState,
  now: number,
  assessment: ToolAssessment = assessTool(demand, context, state, now),
): ToolExplanation {
  const toolId = context.tool.id;
  if (assessment.kind === 'blocked') return { toolId, reasons: assessment.reasons };
  const reasons: BlockReason[] = [...assessment.cuts];
  if (assessment.quotaCuts.length > 0)
    reasons.push(quotaReason(demand, context, state, assessment.quotaCuts));
  // A neighbour's changeover reaches into the window, so look that much further either side.
  const reach = context.maxChangeoverMinutes;
  const tail = demand.durationMinutes + context.policy.bufferAfterMinutes + reach;
  const seen = new Set<string>();
  const maintenance: Interval[] = [];
  const busy: Interval[] = [];
  for (const range of assessment.ranges) {
    for (const footprint of context.timeline.overlapping(range.from - reach, range.to + tail)) {
      if (seen.has(footprint.id)) continue;
      seen.add(footprint.id);
      (footprint.setup < 0 ? maintenance : busy).push({ start: footprint.start, end: footprint.until });
    }
  }
  if (maintenance.length > 0)
    reasons.push({
      code: 'TOOL_DOWN',
      status: context.tool.status,
      maintenance: mergeIntervals(maintenance),
    });
  if (busy.length > 0) reasons.push({ code: 'FULLY_BOOKED', busy: mergeIntervals(busy) });
  return { toolId, reasons };
}

/** Sorted union of intervals, touching ones joined. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && interval.start <= last.end)
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, interval.end) };
    else merged.push({ ...interval });
  }
  return merged;
}
