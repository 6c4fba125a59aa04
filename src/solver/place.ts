import type { ToolAssessment } from './eligibility.js';
import { assessTool } from './eligibility.js';
import { runsForRequest } from './batch.js';
import { explainTool } from './explain.js';
import type { GroupMember } from './linked.js';
import { assessGroup, earliestJointStart, explainLinkedTools, linkedToolIdsOf } from './linked.js';
import type { PlacementOption, PlacementRequest, PlacementResult, ToolExplanation } from './model.js';
import { SOLVER_MODEL_VERSION } from './model.js';
import type { SetupKey } from './setup.js';
import { setupKeyOf } from './setup.js';
import type { SolverState, ToolContext } from './state.js';
import { compareIds } from './state.js';
import type { Slot } from './timeline.js';
import { rankedGridStarts, type StartGrid } from './start-grid.js';

export interface PlaceBookingOptions {
  /** How many options to return (default 5). */
  readonly maxOptions?: number;
  /** At most this many per tool (default: maxOptions), to offer a spread of tools. */
  readonly maxOptionsPerTool?: number;
  /**
   * Offer up to `startsPerGap` starts in each free gap on a grid: the tool policy's own start grid,
   * else `minutes` (from `originMinute`). Without it: the earliest start of each gap, on no grid.
   */
  readonly grid?: { readonly minutes: number; readonly originMinute?: number; readonly startsPerGap: number };
}

/** An option and its rank among the starts of its own gap (0: the gap's best). */
interface Ranked {
  readonly option: PlacementOption;
  readonly rankInGap: number;
}

/**
 * Online placement of one request: the best feasible options across its eligible tools — earliest
 * start first, then the preferred tool, then the least fragmentation — or, when there is none, an
 * explanation per candidate tool of what blocks its window. With a grid, each gap offers several
 * starts and every gap's best comes before any gap's second best. Reads the state, never changes it.
 */
export function placeBooking(
  request: PlacementRequest,
  state: SolverState,
  now: number,
  options: PlaceBookingOptions = {},
): PlacementResult {
  const maxOptions = Math.max(1, options.maxOptions ?? 5);
  const perTool = Math.max(1, Math.min(options.maxOptionsPerTool ?? maxOptions, maxOptions));
  const { contexts } = candidateTools(request, state);
  const setup = setupKeyOf(request.material, request.contaminationGroup);
  const found: Ranked[] = [];
  const assessments = contexts.map((context) => assessTool(request, context, state, now));
  contexts.forEach((context, i) => {
    const assessment = assessments[i]!;
    if (assessment.kind !== 'open') return;
    // A planned run of the same recipe with room left is joined rather than waited for.
    found.push(...runsForRequest(request, context, state, assessment).joins.map(firstOfItsGap));
    if (linkedToolIdsOf(context.tool).length === 0) {
      collectOptions(request, context, setup, assessment.ranges, perTool, options.grid, found);
      return;
    }
    // A tool with linked tools is offered only where all of them are free as well (one start per shared gap).
    const group = assessGroup(request, context, assessment, state, now);
    if (group.kind === 'open') collectJointOptions(request, group.members, group.ranges, setup, perTool, found);
  });
  if (found.length > 0) {
    found.sort(compareRanked);
    if (found.length > maxOptions) found.length = maxOptions;
    return {
      version: SOLVER_MODEL_VERSION,
      requestId: request.id,
      status: 'feasible',
      options: found.map((r) => r.option),
    };
  }
  return {
    version: SOLVER_MODEL_VERSION,
    requestId: request.id,
    status: 'infeasible',
    explanation: explainRequest(request, state, now, assessments),
  };
}

/** One explanation per candidate tool (unknown tool ids included), in tool id order. */
export function explainRequest(
  request: PlacementRequest,
  state: SolverState,
  now: number,
  assessments?: readonly ToolAssessment[],
): ToolExplanation[] {
  const { contexts, unknownIds } = candidateTools(request, state);
  const explanation: ToolExplanation[] = contexts.flatMap((context, i) => [
    withRunRefusals(explainTool(request, context, state, now, assessments?.[i]), request, context, state, now, assessments?.[i]),
    // What blocks the tools it needs alongside (listed after it, marked `linkedTo`).
    ...explainLinkedTools(request, context, state, now),
  ]);
  for (const toolId of unknownIds) explanation.push({ toolId, reasons: [{ code: 'UNKNOWN_TOOL' }] });
  return explanation.sort(
    (a, b) => compareIds(a.linkedTo ?? a.toolId, b.linkedTo ?? b.toolId) || Number(a.linkedTo !== undefined) - Number(b.linkedTo !== undefined) || compareIds(a.toolId, b.toolId),
  );
}

/** A batch tool's explanation with the planned runs in the window the request may not join, and why. */
function withRunRefusals(
  explanation: ToolExplanation,
  request: PlacementRequest,
  context: ToolContext,
  state: SolverState,
  now: number,
  assessment: ToolAssessment = assessTool(request, context, state, now),
): ToolExplanation {
  const { refused } = runsForRequest(request, context, state, assessment);
  return refused.length ? { ...explanation, reasons: [...explanation.reasons, ...refused] } : explanation;
}

/** The tools a request may use, in id order: every tool of its type, or the ids it names. */
export function candidateTools(
  request: PlacementRequest,
  state: SolverState,
): { contexts: ToolContext[]; unknownIds: string[] } {
  if (request.target.kind === 'toolType')
    return { contexts: state.toolsByType.get(request.target.toolType) ?? [], unknownIds: [] };
  const contexts: ToolContext[] = [];
  const unknownIds: string[] = [];
  for (const toolId of [...new Set(request.target.toolIds)].sort(compareIds)) {
    const context = state.tools.get(toolId);
    if (context === undefined) unknownIds.push(toolId);
    else contexts.push(context);
  }
  return { contexts, unknownIds };
}

/** The tool's options, at most `perTool`: one per gap, or (with a grid) the best ranked starts of its gaps. */
function collectOptions(
  request: PlacementRequest,
  context: ToolContext,
  setup: SetupKey,
  ranges: readonly { from: number; to: number }[],
  perTool: number,
  gridOption: PlaceBookingOptions['grid'],
  into: Ranked[],
): void {
  const { tool, policy, timeline } = context;
  const duration = request.durationMinutes;
  const preferred = request.preferredToolId === tool.id;
  const grid: StartGrid | undefined = gridOption && {
    minutes: policy.startGridMinutes ?? gridOption.minutes,
    originMinute: gridOption.originMinute ?? 0,
  };
  const mine: Ranked[] = [];
  let gaps = 0;
  for (const range of ranges) {
    if (gaps >= perTool) break;
    const query = { durationMinutes: duration, setup, earliestStart: range.from, latestStart: range.to };
    timeline.forEachSlot(query, (slot: Slot): boolean => {
      // Every start from slot.start to the gap's last (inside the range) fits this gap.
      const lastStart = Math.min(slot.lastStart, range.to);
      const starts = grid ? rankedGridStarts(slot.start, lastStart, grid, gridOption!.startsPerGap) : [slot.start];
      starts.forEach((start, rankInGap) => {
        mine.push({
          rankInGap,
          option: {
            toolId: tool.id,
            start,
            end: start + duration,
            approvalRequired: policy.approvalRequired,
            preferred,
            fragmentationMinutes: strandedMinutes(start, slot, context),
            ...(grid ? { gap: { firstStart: slot.start, lastStart } } : {}),
          },
        });
      });
      return ++gaps < perTool;
    });
  }
  mine.sort(compareRanked);
  into.push(...mine.slice(0, perTool));
}

/** Options on a primary tool with linked tools: joint starts, one per gap they share. */
function collectJointOptions(
  request: PlacementRequest,
  members: readonly GroupMember[],
  ranges: readonly { from: number; to: number }[],
  setup: SetupKey,
  perTool: number,
  into: Ranked[],
): void {
  const primary = members[0]!.context;
  const linkedToolIds = members.slice(1).map((m) => m.context.tool.id);
  let from = ranges[0]!.from;
  for (let count = 0; count < perTool; count++) {
    const joint = earliestJointStart(members, ranges, request.durationMinutes, setup, from);
    if (joint === undefined) return;
    into.push(firstOfItsGap({
      toolId: primary.tool.id,
      start: joint.start,
      end: joint.start + request.durationMinutes,
      approvalRequired: members.some((m) => m.context.policy.approvalRequired),
      preferred: request.preferredToolId === primary.tool.id,
      fragmentationMinutes: strandedMinutes(joint.start, joint.primarySlot, primary),
      linkedToolIds,
    }));
    if (!Number.isFinite(joint.until)) return;
    from = joint.until + 1;
  }
}

/** An option offered alone in its gap (a run to join, a joint start of linked tools). */
function firstOfItsGap(option: PlacementOption): Ranked {
  return { option, rankInGap: 0 };
}

/** Free time a start leaves on either side of it in its gap that is too short for the shortest allowed booking. */
function strandedMinutes(start: number, slot: Slot, context: ToolContext): number {
  const usable = context.policy.minDurationMinutes + context.policy.bufferAfterMinutes;
  const before = start - slot.firstStart;
  const after = slot.lastStart - start;
  return (before > 0 && before < usable ? before : 0) + (after > 0 && after < usable ? after : 0);
}

/** Every gap's best start before any gap's second best; then as compareOptions. */
function compareRanked(a: Ranked, b: Ranked): number {
  return a.rankInGap - b.rankInGap || compareOptions(a.option, b.option);
}

function compareOptions(a: PlacementOption, b: PlacementOption): number {
  return (
    // Joining a planned run fills the furnace instead of running it twice.
    Number(b.joinsRun !== undefined) - Number(a.joinsRun !== undefined) ||
    a.start - b.start ||
    Number(b.preferred) - Number(a.preferred) ||
    a.fragmentationMinutes - b.fragmentationMinutes ||
    compareIds(a.toolId, b.toolId)
  );
}
