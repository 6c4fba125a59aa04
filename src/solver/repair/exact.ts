import type { Effort } from './ejection.js';
import type { RepairSchedule } from './schedule.js';

// A small branch-and-bound for few jobs: which jobs can be kept, exactly (priority levels in order).
// A feasible set of jobs on one tool can always be packed left: each job at its earliest start after
// the one before it. So enumerating, tool by tool, the sequences of jobs each at its earliest start
// after the previous one covers every keepable set. (Weekly quotas shared between two tools can break
// that argument in rare cases; the search is then merely very good.)

/** Jobs up to this many go through the exact search. */
export const EXACT_MAX_JOBS = 10;

/**
 * Replaces the schedule's jobs by the best-kept sets the search finds, if they beat the current ones
 * (then at their left-packed starts: the displacement search moves them after). True when the search
 * finished within the effort, so the kept counts are optimal.
 */
export function keepExactly(
  schedule: RepairSchedule,
  freeStarts: readonly number[],
  effort: Effort,
): boolean {
  const { jobs, tools } = schedule.problem;
  let best: readonly number[] = [...schedule.kept];
  let bestAssignment: { j: number; option: number; start: number }[] | undefined;
  const mark = schedule.mark();
  for (const job of jobs) schedule.unplace(job.index);
  const used = new Uint8Array(jobs.length);
  // Higher priority, then earlier deadlines first: good sets are found early and prune the rest.
  const order = [...jobs]
    .filter((j) => freeStarts[j.index]! > 0)
    .sort((a, b) => a.level - b.level || latestStart(a) - latestStart(b) || a.index - b.index);
  const kept = schedule.kept;
  let finished = true;

  const ceiling = (tool: number, after: number): Int32Array => {
    const upper = Int32Array.from(kept);
    for (const job of order) {
      if (used[job.index]) continue;
      const open = job.options.some(
        (o) => o.tool > tool || (o.tool === tool && o.ranges[o.ranges.length - 1]!.to > after),
      );
      if (open) upper[job.level]!++;
    }
    return upper;
  };
  const beats = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
  };

  const search = (tool: number, after: number): void => {
    if (effort.left-- <= 0) {
      finished = false;
      return;
    }
    if (tool === tools.length) {
      if (beats(kept, best) > 0) {
        best = [...kept];
        bestAssignment = jobs
          .filter((j) => schedule.isPlaced(j.index))
          .map((j) => ({
            j: j.index,
            option: schedule.optionOf[j.index]!,
            start: schedule.startOf[j.index]!,
          }));
      }
      return;
    }
    if (beats(ceiling(tool, after), best) <= 0) return;
    for (const job of order) {
      if (used[job.index]) continue;
      const option = job.options.findIndex((o) => o.tool === tool);
      if (option < 0) continue;
      const start = schedule.earliestFrom(job.index, option, after + 1);
      if (start === undefined) continue;
      used[job.index] = 1;
      schedule.place(job.index, option, start);
      search(tool, start);
      schedule.unplace(job.index);
      used[job.index] = 0;
      if (!finished) return;
    }
    search(tool + 1, -Infinity);
  };
  search(0, -Infinity);
  schedule.rollbackTo(mark);
  if (bestAssignment !== undefined) {
    for (const job of jobs) schedule.unplace(job.index);
    for (const { j, option, start } of bestAssignment) schedule.place(j, option, start);
  }
  schedule.commit();
  return finished;
}

function latestStart(job: { options: readonly { ranges: readonly { to: number }[] }[] }): number {
  let latest = -Infinity;
  for (const o of job.options) latest = Math.max(latest, o.ranges[o.ranges.length - 1]!.to);
  return latest;
}
