import type { Booking, RepairWindow, SolverState } from '../../src/solver/index.js';
import { weekIndexOf, weekStartOf } from '../../src/solver/index.js';
import { Journal } from '../../src/solver/journal.js';
import { buildRepairProblem } from '../../src/solver/repair/problem.js';

// A repair scenario as plain data for a peer solver (bench/peers/cpsat_repair.py): each displaced
// booking with the starts its window, policies, qualification and quota leave on each tool it may use
// (the solver's own reading), the calendar that stays as busy intervals per tool, and the weekly quota
// accounts they share. Changeovers between bookings are not in it: a tool with any is flagged, and a
// peer's answer there is a relaxation.

export interface RepairModel {
  readonly scenario: string;
  readonly tools: readonly string[];
  readonly changeovers: readonly boolean[];
  readonly levels: readonly number[];
  readonly jobs: readonly {
    readonly id: string;
    readonly level: number;
    readonly target: number;
    readonly duration: number;
    readonly account: number;
    readonly options: readonly {
      tool: number;
      footprint: number;
      otherTool: boolean;
      ranges: [number, number][];
    }[];
  }[];
  /** Per tool, the busy intervals of the calendar that stays (merged). */
  readonly busy: readonly [number, number][][];
  readonly accounts: readonly { limitMinutes: number; usedByWeek: [number, number][] }[];
}

export function repairModel(
  scenario: string,
  window: RepairWindow,
  state: SolverState,
  now: number,
): RepairModel {
  const displaced: Booking[] = [];
  for (const toolId of window.toolIds)
    for (const f of state.toolContext(toolId).timeline.overlapping(window.start, window.end)) {
      const r = state.reservation(f.id);
      if (r?.kind === 'booking' && r.state !== 'in_use') displaced.push(r);
    }
  const journal = new Journal(state);
  try {
    for (const b of displaced) journal.remove(b.id);
    for (const toolId of window.toolIds)
      journal.add({
        kind: 'maintenance',
        id: `${window.id}/${toolId}`,
        toolId,
        start: window.start,
        end: window.end,
        reason: window.reason,
      });
    const problem = buildRepairProblem(displaced, state, { now });
    let from = Infinity;
    let to = -Infinity;
    for (const job of problem.jobs)
      for (const o of job.options) {
        from = Math.min(from, o.ranges[0]!.from);
        to = Math.max(to, o.ranges[o.ranges.length - 1]!.to + o.footprint);
      }
    const busy = problem.tools.map(({ context }) => {
      const merged: [number, number][] = [];
      for (const f of context.timeline.overlapping(from, to)) {
        const last = merged[merged.length - 1];
        if (last !== undefined && f.start <= last[1]) last[1] = Math.max(last[1], f.until);
        else merged.push([f.start, f.until]);
      }
      return merged;
    });
    const weeks: number[] = [];
    for (let w = weekIndexOf(from); weekStartOf(w) < to; w++) weeks.push(w);
    return {
      scenario,
      tools: problem.tools.map((t) => t.context.tool.id),
      changeovers: problem.tools.map((t) => t.context.maxChangeoverMinutes > 0),
      levels: problem.levels,
      jobs: problem.jobs.map((job) => ({
        id: job.booking.id,
        level: job.level,
        target: job.target,
        duration: job.duration,
        account: job.account,
        options: job.options.map((o) => ({
          tool: o.tool,
          footprint: o.footprint,
          otherTool: o.penalty > 0,
          ranges: o.ranges.map((r): [number, number] => [r.from, r.to]),
        })),
      })),
      busy,
      accounts: problem.accounts.map((a) => ({
        limitMinutes: a.limitMinutes,
        usedByWeek: weeks.map((w): [number, number] => [
          weekStartOf(w),
          state.quota.usedMinutes(a.tenantId, a.toolType, w),
        ]),
      })),
    };
  } finally {
    journal.rollback();
  }
}
