import type { Demand, ToolAssessment } from './eligibility.js';
import { assessTool } from './eligibility.js';
import { explainTool } from './explain.js';
import type { Booking, Tool, ToolExplanation } from './model.js';
import type { StartRange } from './ranges.js';
import type { SetupKey } from './setup.js';
import { setupKeyOf } from './setup.js';
import type { SolverState, ToolContext } from './state.js';
import { compareIds } from './state.js';
import type { Slot } from './timeline.js';
import { earliestSlot, latestSlot } from './timeline.js';

// Linked tools: a primary tool and the tools it needs alongside it (a stepper and its reticle slot)
// are held for one interval, all or none. A start is joint when every tool of the group has a free
// slot there; the search walks the tools in turn until they agree (each step only moves forward,
// or backward, to the next start one of them can take, so it ends after at most one step per gap).

/** One tool of a group, with the starts its policies, qualification and quota leave open. */
export interface GroupMember {
  readonly context: ToolContext;
  readonly ranges: readonly StartRange[];
}

/** The group's verdict before its calendars: every tool open (with the starts they share), or what blocks which. */
export type GroupAssessment =
  | { readonly kind: 'open'; readonly members: GroupMember[]; readonly ranges: StartRange[] }
  | { readonly kind: 'blocked' };

/** The linked tool ids of `tool`, in id order, without the tool itself. */
export function linkedToolIdsOf(tool: Pick<Tool, 'id' | 'linkedToolIds'>): string[] {
  return [...new Set(tool.linkedToolIds ?? [])].filter((id) => id !== tool.id).sort(compareIds);
}

/**
 * Assesses the primary (already open) and each linked tool for the demand; the group is open when
 * every one is, on the starts they all leave open. An unknown linked tool blocks the group.
 */
export function assessGroup(
  demand: Demand,
  primary: ToolContext,
  primaryAssessment: Extract<ToolAssessment, { kind: 'open' }>,
  state: SolverState,
  now: number,
): GroupAssessment {
  const members: GroupMember[] = [{ context: primary, ranges: primaryAssessment.ranges }];
  let ranges: StartRange[] = [...primaryAssessment.ranges];
  for (const toolId of linkedToolIdsOf(primary.tool)) {
    const context = state.tools.get(toolId);
    if (context === undefined) return { kind: 'blocked' };
    const assessment = assessTool(demand, context, state, now);
    if (assessment.kind === 'blocked') return { kind: 'blocked' };
    members.push({ context, ranges: assessment.ranges });
    ranges = intersectRanges(ranges, assessment.ranges);
  }
  return ranges.length === 0 ? { kind: 'blocked' } : { kind: 'open', members, ranges };
}

/** Why each linked tool of `primary` cannot take the demand (entries marked `linkedTo`), in id order. */
export function explainLinkedTools(demand: Demand, primary: ToolContext, state: SolverState, now: number): ToolExplanation[] {
  return linkedToolIdsOf(primary.tool).map((toolId): ToolExplanation => {
    const context = state.tools.get(toolId);
    if (context === undefined) return { toolId, linkedTo: primary.tool.id, reasons: [{ code: 'UNKNOWN_TOOL' }] };
    return { ...explainTool(demand, context, state, now), linkedTo: primary.tool.id };
  });
}

/** A joint start and the primary's own slot there (for fragmentation); `until` is the last start of the shared gap. */
export interface JointSlot {
  readonly start: number;
  readonly primarySlot: Slot;
  readonly until: number;
}

/** The earliest start at or after `from` inside `ranges` where every member has a free slot of `durationMinutes`. */
export function earliestJointStart(
  members: readonly GroupMember[],
  ranges: readonly StartRange[],
  durationMinutes: number,
  setup: SetupKey,
  from: number,
): JointSlot | undefined {
  let t = from;
  for (;;) {
    let agreed = true;
    let latest = t;
    let primarySlot: Slot | undefined;
    let until = Infinity;
    for (const [i, member] of members.entries()) {
      const slot = slotFrom(member, ranges, durationMinutes, setup, t, 'forward');
      if (slot === undefined) return undefined;
      if (slot.start !== t) agreed = false;
      latest = Math.max(latest, slot.start);
      if (i === 0) primarySlot = slot;
      until = Math.min(until, slot.lastStart);
    }
    if (agreed) return { start: t, primarySlot: primarySlot!, until };
    t = latest;
  }
}

/** The latest start at or before `from` inside `ranges` where every member has a free slot. */
export function latestJointStart(
  members: readonly GroupMember[],
  ranges: readonly StartRange[],
  durationMinutes: number,
  setup: SetupKey,
  from: number,
): number | undefined {
  let t = from;
  for (;;) {
    let agreed = true;
    let earliest = t;
    for (const member of members) {
      const slot = slotFrom(member, ranges, durationMinutes, setup, t, 'backward');
      if (slot === undefined) return undefined;
      if (slot.start !== t) agreed = false;
      earliest = Math.min(earliest, slot.start);
    }
    if (agreed) return t;
    t = earliest;
  }
}

/** The member's nearest free start from `t` in the given direction, inside its own and the shared ranges. */
function slotFrom(
  member: GroupMember,
  shared: readonly StartRange[],
  durationMinutes: number,
  setup: SetupKey,
  t: number,
  direction: 'forward' | 'backward',
): Slot | undefined {
  const ranges = intersectRanges(shared, member.ranges);
  if (direction === 'forward') {
    for (const range of ranges) {
      if (range.to < t) continue;
      const query = { durationMinutes, setup, earliestStart: Math.max(t, range.from), latestStart: range.to };
      const slot = earliestSlot(member.context.timeline, query);
      if (slot !== undefined) return slot;
    }
    return undefined;
  }
  for (let i = ranges.length - 1; i >= 0; i--) {
    const range = ranges[i]!;
    if (range.from > t) continue;
    const query = { durationMinutes, setup, earliestStart: range.from, latestStart: Math.min(t, range.to) };
    const slot = latestSlot(member.context.timeline, query);
    if (slot !== undefined) return slot;
  }
  return undefined;
}

/** The starts both sorted lists of ranges allow. */
export function intersectRanges(a: readonly StartRange[], b: readonly StartRange[]): StartRange[] {
  const out: StartRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const from = Math.max(a[i]!.from, b[j]!.from);
    const to = Math.min(a[i]!.to, b[j]!.to);
    if (from <= to) out.push({ from, to });
    if (a[i]!.to < b[j]!.to) i++;
    else j++;
  }
  return out;
}

/** A linked group on the calendar: the primary's booking and its members' (all off the state while it is re-placed). */
export interface LinkedGroup {
  readonly primary: Booking;
  readonly members: readonly Booking[];
}

export type LinkedGroupPlacement =
  | { readonly kind: 'placed'; readonly start: number }
  | { readonly kind: 'unplaceable'; readonly explanation: ToolExplanation[] };

/**
 * Where a displaced group goes: the joint start nearest its own (later wins a tie) on the same tools,
 * inside its allowed window (else `flexMinutes` either side) and every member's policies. The group's
 * bookings must be off `state`; the state is not changed.
 */
export function placeLinkedGroup(
  group: LinkedGroup,
  state: SolverState,
  options: { now: number; flexMinutes: number },
): LinkedGroupPlacement {
  const { primary } = group;
  const duration = primary.end - primary.start;
  const window = primary.allowedWindow ?? {
    earliestStart: primary.start - options.flexMinutes,
    latestEnd: primary.end + options.flexMinutes,
  };
  const demand: Demand = {
    tenantId: primary.tenantId,
    userId: primary.userId,
    durationMinutes: duration,
    material: primary.material,
    waferSize: primary.waferSize,
    contaminationGroup: primary.contaminationGroup,
    earliestStart: Math.max(0, window.earliestStart),
    latestEnd: window.latestEnd,
  };
  const contexts = [primary, ...group.members].map((b) => state.toolContext(b.toolId));
  const members: GroupMember[] = [];
  let ranges: StartRange[] | undefined;
  for (const context of contexts) {
    const assessment = assessTool(demand, context, state, options.now);
    if (assessment.kind === 'blocked') return unplaceable(demand, contexts, state, options.now);
    members.push({ context, ranges: assessment.ranges });
    ranges = ranges === undefined ? [...assessment.ranges] : intersectRanges(ranges, assessment.ranges);
  }
  if (!ranges?.length) return unplaceable(demand, contexts, state, options.now);
  const setup = setupKeyOf(primary.material, primary.contaminationGroup);
  const later = earliestJointStart(members, ranges, duration, setup, primary.start)?.start;
  const earlier = latestJointStart(members, ranges, duration, setup, primary.start);
  if (later === undefined && earlier === undefined) return unplaceable(demand, contexts, state, options.now);
  const start =
    later === undefined ? earlier! : earlier === undefined || later - primary.start <= primary.start - earlier ? later : earlier;
  return { kind: 'placed', start };
}

function unplaceable(demand: Demand, contexts: readonly ToolContext[], state: SolverState, now: number): LinkedGroupPlacement {
  const [primary, ...linked] = contexts;
  return {
    kind: 'unplaceable',
    explanation: [
      explainTool(demand, primary!, state, now),
      ...linked.map((c) => ({ ...explainTool(demand, c, state, now), linkedTo: primary!.tool.id })),
    ],
  };
}
