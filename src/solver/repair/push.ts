import type { RepairSchedule } from './schedule.js';

// Pushing: a job takes a start inside a packed stretch, and the jobs after it shift later (those
// before it earlier) just as far as they must, each inside its own window — what a packed calendar
// needs to take one more. A job that cannot shift goes to its cheapest free start elsewhere, or drops
// out if it ranks below the job pushed in; otherwise nothing changes.

/** At most this many jobs on either side shift. */
const RUN = 24;

/** Places job u (not placed) at `start` on its option, shifting its neighbours; false leaves the schedule as it was. */
export function pushInto(schedule: RepairSchedule, u: number, option: number, start: number): boolean {
  const jobs = schedule.problem.jobs;
  const o = jobs[u]!.options[option]!;
  const lane = schedule.lanes[o.tool]!;
  const slack = o.footprint + lane.maxChangeover;
  const later = runFrom(schedule, o.tool, lane.indexAfter(start - 1), 1, slack);
  const earlier = runFrom(schedule, o.tool, lane.indexAfter(start - 1) - 1, -1, slack);
  const mark = schedule.mark();
  const moved = [...later, ...earlier].map((j) => ({
    j,
    option: schedule.optionOf[j]!,
    start: schedule.startOf[j]!,
  }));
  for (const { j } of moved) schedule.unplace(j);
  if (!schedule.fits(u, option, start)) {
    schedule.rollbackTo(mark);
    return false;
  }
  schedule.place(u, option, start);
  const level = jobs[u]!.level;
  const back = (
    list: readonly (typeof moved)[number][],
    shift: (j: number, option: number, at: number) => number | undefined,
  ) => {
    for (const m of list) {
      const at = shift(m.j, m.option, m.start);
      if (at !== undefined) {
        schedule.place(m.j, m.option, at);
        continue;
      }
      const elsewhere = schedule.best(m.j);
      if (elsewhere !== undefined) schedule.place(m.j, elsewhere.option, elsewhere.start);
      else if (jobs[m.j]!.level <= level) return false;
    }
    return true;
  };
  const ok =
    back(moved.slice(0, later.length), (j, opt, at) => schedule.earliestFrom(j, opt, at)) &&
    back(moved.slice(later.length), (j, opt, at) => schedule.latestUpTo(j, opt, at));
  if (!ok) schedule.rollbackTo(mark);
  return ok;
}

/** Placed jobs from entry i on, one way, until a gap wide enough to absorb the push (or RUN of them). */
function runFrom(schedule: RepairSchedule, tool: number, i: number, step: 1 | -1, slack: number): number[] {
  const lane = schedule.lanes[tool]!;
  const run: number[] = [];
  for (; i >= 0 && i < lane.size && run.length < RUN; i += step) {
    const j = lane.job[i]!;
    if (j >= 0) run.push(j);
    const next = i + step;
    if (next < 0 || next >= lane.size) break;
    const gap = step > 0 ? lane.start[next]! - lane.carry[i]! : lane.start[i]! - lane.carry[next]!;
    if (gap >= slack) break;
  }
  return run;
}
