import { Journal } from './journal.js';
import type { Booking, Maintenance, RepairConflict, RepairPlan, RepairWindow } from './model.js';
import { repairUpperBound } from './repair/bound.js';
import { planOf } from './repair/plan.js';
import { buildRepairProblem } from './repair/problem.js';
import { RepairSchedule } from './repair/schedule.js';
import type { RepairSearchOptions } from './repair/search.js';
import { searchRepair } from './repair/search.js';
import type { SolverState } from './state.js';
import { compareIds } from './state.js';

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
  readonly search?: RepairSearchOptions;
}

export type { RepairSearchOptions };

/**
 * Plans the moves a new maintenance window forces. Every booking whose footprint overlaps the window
 * on its tools is displaced; in-use ones never move and are listed as conflicts; bookings outside the
 * window are never touched. The rule (src/solver/README.md): keep as many displaced bookings as
 * possible — a higher-priority tenant never loses a booking so that a lower one keeps theirs — then
 * move them as little as possible in total, each inside its own window and policies, on its own tool
 * or an equivalent one its user is qualified on. A higher-priority booking may so be moved further to
 * make room for another. The first answer is greedy; ejection chains, a branch-and-bound for few
 * bookings and a large-neighbourhood search improve it. The state is left as found.
 */
export function repairAfterMaintenance(
  window: RepairWindow,
  state: SolverState,
  options: RepairOptions,
): RepairPlan {
  const contexts = [...new Set(window.toolIds)].sort(compareIds).map((id) => state.toolContext(id));
  const conflicts: RepairConflict[] = [];
  const displaced: Booking[] = [];
  for (const context of contexts) {
    for (const footprint of context.timeline.overlapping(window.start, window.end)) {
      const booking = state.reservation(footprint.id);
      if (booking?.kind !== 'booking') continue;
      if (booking.state === 'in_use')
        conflicts.push({
          bookingId: booking.id,
          tenantId: booking.tenantId,
          at: { toolId: booking.toolId, start: booking.start, end: booking.end },
          reason: 'IN_USE',
        });
      else displaced.push(booking);
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
    for (const booking of displaced) journal.remove(booking.id);
    for (const m of maintenance) journal.add(m);
    const problem = buildRepairProblem(displaced, state, options);
    const bound = repairUpperBound(problem);
    const schedule = new RepairSchedule(problem, state);
    const alone = problem.jobs.map((job) => schedule.best(job.index));
    searchRepair(schedule, bound, options.search);
    return planOf(
      { window, maintenance, conflicts, schedule, alone, upperBound: bound.kept, now: options.now },
      state,
      journal,
    );
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
