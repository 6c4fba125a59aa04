import type { Demand } from './eligibility.js';
import { assessTool } from './eligibility.js';
import { explainTool } from './explain.js';
import type {
  Booking,
  Maintenance,
  RepairConflict,
  RepairMove,
  RepairPlan,
  RepairUnplaceable,
  RepairWindow,
} from './model.js';
import { SOLVER_MODEL_VERSION } from './model.js';
import { Journal } from './journal.js';
import { setupKeyOf } from './setup.js';
import type { SolverState, ToolContext } from './state.js';
import { compareIds } from './state.js';
import { earliestSlot, latestSlot } from './timeline.js';
import { MINUTES_PER_DAY } from './week.js';

export interface RepairOptions {
  /** The moment of planning: moved bookings keep the policy's notice and advance from here. */
  readonly now: number;
  /** How far a booking without an allowed window may move either way (default one day). */
  readonly defaultFlexMinutes?: number;
  /**
   * What moving to another tool costs, in minutes of displacement. The default (a billion) means the
   * same tool always wins when it has a slot in the booking's window; lower it to trade time for tools.
   */
  readonly toolChangePenaltyMinutes?: number;
}

/** A displaced booking with what the repair needs to know about it. */
interface Displaced {
  readonly booking: Booking;
  readonly priority: number;
  readonly demand: Demand;
  readonly candidates: readonly ToolContext[];
}

interface Placement {
  readonly toolId: string;
  readonly start: number;
  readonly cost: number;
}

/**
 * Plans the moves a new maintenance window forces: every booking whose footprint overlaps the window
 * on its tools moves to the nearest slot within its own allowed window and policy — on the same
 * tool, else on an equivalent tool its user is qualified on — or is listed as unplaceable with the
 * reasons. In-use bookings never move; they are listed as conflicts. Bookings outside the window are
 * never touched, so the tenants touched are exactly those of the displaced bookings.
 *
 * Order: higher tenant priority first, confirmed before held, then the bookings nearest a window
 * edge (they have the cheapest moves), so the middle of the window spreads out to both sides.
 * Then one improvement pass retries each unplaceable booking by moving one already-moved booking
 * of no higher priority out of its way. The state is left as found; applyRepairPlan applies a plan.
 */
export function repairAfterMaintenance(
  window: RepairWindow,
  state: SolverState,
  options: RepairOptions,
): RepairPlan {
  const penalty = options.toolChangePenaltyMinutes ?? 1e9;
  const flex = options.defaultFlexMinutes ?? MINUTES_PER_DAY;
  const toolIds = [...new Set(window.toolIds)].sort(compareIds);
  const contexts = toolIds.map((id) => state.toolContext(id));
  const conflicts: RepairConflict[] = [];
  const displaced: Displaced[] = [];
  for (const context of contexts) {
    for (const footprint of context.timeline.overlapping(window.start, window.end)) {
      const booking = state.reservation(footprint.id);
      if (booking?.kind !== 'booking') continue;
      if (booking.state === 'in_use')
        conflicts.push({
          bookingId: booking.id,
          tenantId: booking.tenantId,
          at: slotOf(booking),
          reason: 'IN_USE',
        });
      else displaced.push(describe(booking, context, state, flex));
    }
  }
  const maintenance: Maintenance[] = contexts.map(({ tool }) => ({
    kind: 'maintenance',
    id: `${window.id}/${tool.id}`,
    toolId: tool.id,
    start: window.start,
    end: window.end,
    reason: window.reason,
  }));

  const journal = new Journal(state);
  try {
    for (const d of displaced) journal.remove(d.booking.id);
    for (const m of maintenance) journal.add(m);
    const order = [...displaced].sort((a, b) => compareUrgency(a, b, window));
    const placed = new Map<string, Placement>();
    const stranded: Displaced[] = [];
    for (const d of order) {
      const best = bestPlacement(d, state, options.now, penalty);
      if (best === undefined) stranded.push(d);
      else place(d, best, placed, journal);
    }
    const unplaceable = retryStranded(stranded, order, placed, state, options.now, penalty, journal);
    return planOf(window, maintenance, order, placed, unplaceable, conflicts, state, options.now);
  } finally {
    journal.rollback();
  }
}

/** Applies a plan to the state: the maintenance goes in, moved bookings move, unplaceable ones leave. */
export function applyRepairPlan(plan: RepairPlan, state: SolverState): void {
  for (const { bookingId } of plan.unplaceable) state.remove(bookingId);
  const moved = plan.moves.map(({ bookingId, to }) => {
    const booking = state.remove(bookingId);
    if (booking?.kind !== 'booking') throw new Error(`no booking ${bookingId} to move`);
    return { ...booking, toolId: to.toolId, start: to.start, end: to.end };
  });
  for (const m of plan.maintenance) state.add(m);
  for (const booking of moved) state.add(booking);
}

function describe(booking: Booking, context: ToolContext, state: SolverState, flex: number): Displaced {
  const tenant = state.tenant(booking.tenantId);
  const window = booking.allowedWindow ?? {
    earliestStart: Math.max(0, booking.start - flex),
    latestEnd: booking.end + flex,
  };
  const sameType = (state.toolsByType.get(context.tool.type) ?? []).filter((c) => c !== context);
  return {
    booking,
    priority: context.policy.tenantPriority[tenant.class] ?? tenant.priority,
    demand: {
      tenantId: booking.tenantId,
      userId: booking.userId,
      durationMinutes: booking.end - booking.start,
      material: booking.material,
      waferSize: booking.waferSize,
      contaminationGroup: booking.contaminationGroup,
      earliestStart: window.earliestStart,
      latestEnd: window.latestEnd,
    },
    candidates: [context, ...sameType],
  };
}

function compareUrgency(a: Displaced, b: Displaced, window: RepairWindow): number {
  const edge = (d: Displaced) =>
    Math.min(Math.abs(d.booking.start - window.start), Math.abs(window.end - d.booking.end));
  const firm = (d: Displaced) => (d.booking.state === 'confirmed' ? 0 : 1);
  return (
    b.priority - a.priority ||
    firm(a) - firm(b) ||
    edge(a) - edge(b) ||
    a.booking.start - b.booking.start ||
    compareIds(a.booking.id, b.booking.id)
  );
}

/** The cheapest slot for the booking over its candidate tools: |start shift|, plus the penalty on another tool. */
function bestPlacement(
  d: Displaced,
  state: SolverState,
  now: number,
  penalty: number,
): Placement | undefined {
  const { booking, demand } = d;
  const setup = setupKeyOf(booking.material, booking.contaminationGroup);
  let best: Placement | undefined;
  for (const context of d.candidates) {
    const toolCost = context.tool.id === booking.toolId ? 0 : penalty;
    if (best !== undefined && toolCost >= best.cost) continue;
    const assessment = assessTool(demand, context, state, now);
    if (assessment.kind === 'blocked') continue;
    const start = nearestStart(context, assessment.ranges, booking.start, demand.durationMinutes, setup);
    if (start === undefined) continue;
    const cost = Math.abs(start - booking.start) + toolCost;
    if (best === undefined || cost < best.cost) best = { toolId: context.tool.id, start, cost };
  }
  return best;
}

/** The feasible start closest to `target` in the ranges (a later one on a tie), or undefined. */
function nearestStart(
  context: ToolContext,
  ranges: readonly { from: number; to: number }[],
  target: number,
  durationMinutes: number,
  setup: number,
): number | undefined {
  let later: number | undefined;
  for (const range of ranges) {
    if (range.to < target) continue;
    later = earliestSlot(context.timeline, {
      durationMinutes,
      setup,
      earliestStart: Math.max(range.from, target),
      latestStart: range.to,
    })?.start;
    if (later !== undefined) break;
  }
  let earlier: number | undefined;
  for (let i = ranges.length - 1; i >= 0; i--) {
    const range = ranges[i]!;
    if (range.from > target) continue;
    earlier = latestSlot(context.timeline, {
      durationMinutes,
      setup,
      earliestStart: range.from,
      latestStart: Math.min(range.to, target),
    })?.start;
    if (earlier !== undefined) break;
  }
  if (later === undefined) return earlier;
  if (earlier === undefined) return later;
  return target - earlier < later - target ? earlier : later;
}

function place(d: Displaced, at: Placement, placed: Map<string, Placement>, journal: Journal): void {
  const { booking } = d;
  journal.add({
    ...booking,
    toolId: at.toolId,
    start: at.start,
    end: at.start + (booking.end - booking.start),
  });
  placed.set(booking.id, at);
}

/**
 * Improvement pass: for each stranded booking, try to move one already-moved booking of no higher
 * priority, whose new slot sits on a tool and inside the window the stranded one could use, elsewhere.
 */
function retryStranded(
  stranded: readonly Displaced[],
  order: readonly Displaced[],
  placed: Map<string, Placement>,
  state: SolverState,
  now: number,
  penalty: number,
  journal: Journal,
): Displaced[] {
  const still: Displaced[] = [];
  for (const s of stranded) {
    const toolIds = new Set(s.candidates.map((c) => c.tool.id));
    const rescued = order.some((m) => {
      const at = placed.get(m.booking.id);
      if (at === undefined || m.priority > s.priority || !toolIds.has(at.toolId)) return false;
      const end = at.start + m.demand.durationMinutes;
      if (end <= s.demand.earliestStart || at.start >= s.demand.latestEnd) return false;
      const mark = journal.mark();
      journal.remove(m.booking.id);
      const forStranded = bestPlacement(s, state, now, penalty);
      if (forStranded !== undefined) {
        place(s, forStranded, placed, journal);
        const forMoved = bestPlacement(m, state, now, penalty);
        if (forMoved !== undefined) {
          place(m, forMoved, placed, journal);
          return true;
        }
      }
      journal.rollbackTo(mark);
      placed.set(m.booking.id, at);
      placed.delete(s.booking.id);
      return false;
    });
    if (!rescued) still.push(s);
  }
  // A rescue moves a booking away from somewhere: give the others one last look at the final calendar.
  return still.filter((s) => {
    const at = bestPlacement(s, state, now, penalty);
    if (at !== undefined) place(s, at, placed, journal);
    return at === undefined;
  });
}

function planOf(
  window: RepairWindow,
  maintenance: Maintenance[],
  order: readonly Displaced[],
  placed: ReadonlyMap<string, Placement>,
  stranded: readonly Displaced[],
  conflicts: RepairConflict[],
  state: SolverState,
  now: number,
): RepairPlan {
  const byStart = (a: Displaced, b: Displaced) =>
    a.booking.start - b.booking.start || compareIds(a.booking.id, b.booking.id);
  const moves: RepairMove[] = [];
  for (const d of [...order].sort(byStart)) {
    const at = placed.get(d.booking.id);
    if (at === undefined) continue;
    const to = { toolId: at.toolId, start: at.start, end: at.start + d.demand.durationMinutes };
    moves.push({ bookingId: d.booking.id, tenantId: d.booking.tenantId, from: slotOf(d.booking), to });
  }
  const unplaceable: RepairUnplaceable[] = [...stranded].sort(byStart).map((d) => ({
    bookingId: d.booking.id,
    tenantId: d.booking.tenantId,
    from: slotOf(d.booking),
    explanation: d.candidates.map((c) => explainTool(d.demand, c, state, now)),
  }));
  const tenants = new Set([...moves, ...unplaceable].map((x) => x.tenantId));
  return {
    version: SOLVER_MODEL_VERSION,
    windowId: window.id,
    maintenance,
    moves,
    unplaceable,
    conflicts: conflicts.sort((a, b) => a.at.start - b.at.start || compareIds(a.bookingId, b.bookingId)),
    metrics: {
      displaced: moves.length + unplaceable.length,
      moved: moves.length,
      unplaceable: unplaceable.length,
      conflicts: conflicts.length,
      displacementMinutes: moves.reduce((sum, m) => sum + Math.abs(m.to.start - m.from.start), 0),
      tenantsTouched: tenants.size,
    },
  };
}

function slotOf(booking: Booking): { toolId: string; start: number; end: number } {
  return { toolId: booking.toolId, start: booking.start, end: booking.end };
}
