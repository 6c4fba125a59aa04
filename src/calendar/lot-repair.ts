import type { LotRow } from '../data/lot-view.js';
import type { QtimeAlert } from '../domain/lot.js';
import { minuteAtOrAfter, minuteFromDate } from '../domain/time.js';
import type { Booking, Maintenance, Material, ToolSlot, WaferSize } from '../solver/model.js';
import type { SolverState } from '../solver/state.js';
import { describeUnplaced, replanRoute, routeAlert, routeStep, stepsToPlan, type LotStepRow, type RouteAnchor } from './route-replan.js';

// A lot's steps are tied together by Q-times, so maintenance never repairs them one by one: the
// steps not yet started are re-planned as one route around the window, or the whole lot is released.

/** What maintenance does to one lot route. */
export interface LotRepair {
  lotId: string;
  workflowId: string;
  tenantId: string;
  name: string;
  outcome: 'moved' | 'released';
  /** Every step not yet started: its slot now and (moved) its slot after the repair. */
  steps: Array<{ seq: number; bookingId: string; from: ToolSlot; to: ToolSlot | null }>;
  detail: string;
  alert: QtimeAlert | null;
}

export interface LotRepairOptions {
  now: number;
  timeLimitMs: number;
  /** In-use step bookings an outage interrupts: they end `now`, and the rest of their route follows. */
  interrupted: ReadonlySet<string>;
}

/**
 * Repairs the lots in a window's way on `state`, which holds the calendar without the window:
 * `maintenance` is in place while the routes are planned. Leaves the moved steps on `state` at
 * their new slots and the released ones off it, so the single bookings are repaired around them.
 */
export async function repairLotRoutes(
  lots: readonly LotRow[],
  state: SolverState,
  maintenance: readonly Maintenance[],
  options: LotRepairOptions,
): Promise<LotRepair[]> {
  const routes = lots
    .map((lot) => ({ lot, ...stepsToPlan(lot) }))
    .filter((r) => r.steps.length > 0)
    .sort((a, b) => slotOf(a.steps[0]!).start - slotOf(b.steps[0]!).start || (a.lot.id < b.lot.id ? -1 : 1));
  // Each route is planned against the others' new slots, never their old ones.
  for (const { steps } of routes) for (const s of steps) state.remove(s.booking!.id);
  for (const m of maintenance) state.add(m);
  try {
    const repairs: LotRepair[] = [];
    for (const { lot, anchor, steps } of routes) {
      const after = anchor ? { step: anchor, end: anchorEnd(anchor, options) } : null;
      repairs.push(await repairRoute(lot, steps, after, state, options));
    }
    return repairs;
  } finally {
    for (const m of maintenance) state.remove(m.id);
  }
}

async function repairRoute(
  lot: LotRow,
  steps: LotStepRow[],
  anchor: RouteAnchor | null,
  state: SolverState,
  options: LotRepairOptions,
): Promise<LotRepair> {
  const plan = await replanRoute(lot, steps, anchor, state, options);
  const alert = routeAlert(plan, anchor, steps[0]!);
  const base = { lotId: lot.id, workflowId: lot.workflowId, tenantId: lot.tenantId, name: lot.name, alert };
  if (plan.kind === 'unplaced') {
    return {
      ...base,
      outcome: 'released',
      steps: steps.map((s) => ({ seq: s.seq, bookingId: s.booking!.id, from: slotOf(s), to: null })),
      detail: `No re-plan of the route fits its window and Q-times (${describeUnplaced(plan)})`,
    };
  }
  for (const slot of plan.slots) state.add(stepReservation(lot, steps.find((s) => s.seq === slot.seq)!, slot));
  return {
    ...base,
    outcome: 'moved',
    steps: plan.slots.map((slot) => {
      const step = steps.find((s) => s.seq === slot.seq)!;
      return { seq: slot.seq, bookingId: step.booking!.id, from: slotOf(step), to: { toolId: slot.toolId, start: slot.start, end: slot.end } };
    }),
    detail: alert?.detail ?? `${plan.slots.length} step(s) re-planned as one route within its Q-times`,
  };
}

/** When the step before the ones to plan ends: now if the outage interrupts it, else as booked or run. */
function anchorEnd(step: LotStepRow, options: LotRepairOptions): number {
  const booking = step.booking!;
  if (options.interrupted.has(booking.id)) return options.now;
  if (booking.state === 'completed') return minuteAtOrAfter(booking.checkedOutAt ?? booking.endsAt);
  return minuteFromDate(booking.endsAt);
}

function slotOf(step: LotStepRow): ToolSlot {
  const b = step.booking!;
  return { toolId: b.toolId, start: minuteFromDate(b.startsAt), end: minuteFromDate(b.endsAt) };
}

/** A step at its new slot, as the calendar will hold it (its window is its slot). */
function stepReservation(lot: LotRow, step: LotStepRow, slot: ToolSlot): Booking {
  return {
    kind: 'booking',
    id: step.booking!.id,
    toolId: slot.toolId,
    start: slot.start,
    end: slot.end,
    state: step.booking!.state as 'held' | 'confirmed',
    tenantId: lot.tenantId,
    userId: lot.userId,
    material: lot.material as Material,
    waferSize: lot.waferSize as WaferSize,
    contaminationGroup: routeStep(step, lot).contaminationGroup,
    allowedWindow: { earliestStart: slot.start, latestEnd: slot.end },
  };
}
