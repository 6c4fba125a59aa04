import type { Effort } from './ejection.js';
import { insertByEjection, positionsFor } from './ejection.js';
import { pushInto } from './push.js';
import type { RepairSchedule, Score } from './schedule.js';
import { compareScores } from './schedule.js';

// Keeping more jobs: the priority sweep (the rule's guarantee) and ejection chains.

/**
 * The rule made true: no job left out could start if every job of lower priority in its way stepped
 * aside. Where one could, it takes that start and the lower ones go back where they were, or to their
 * cheapest free start, or drop out. Each step keeps one more job at a higher level, so this ends.
 */
export function sweepPriorities(
  schedule: RepairSchedule,
  freeStarts: readonly number[],
  effort: Effort,
): void {
  const jobs = schedule.problem.jobs;
  const order = [...jobs].sort((a, b) => a.level - b.level || a.index - b.index);
  for (let changed = true; changed;) {
    changed = false;
    for (const u of order) {
      if (schedule.isPlaced(u.index) || freeStarts[u.index] === 0) continue;
      const direct = schedule.best(u.index);
      if (direct !== undefined) {
        schedule.place(u.index, direct.option, direct.start);
        changed = true;
        continue;
      }
      const mark = schedule.mark();
      const lower = lowerInReach(schedule, u.index);
      if (lower.length === 0) continue;
      const before = lower.map((j) => ({ j, option: schedule.optionOf[j]!, start: schedule.startOf[j]! }));
      for (const j of lower) schedule.unplace(j);
      const slot = schedule.best(u.index);
      if (slot === undefined) {
        schedule.rollbackTo(mark);
        continue;
      }
      schedule.place(u.index, slot.option, slot.start);
      const displaced: number[] = [];
      for (const { j, option, start } of before) {
        if (schedule.fits(j, option, start)) schedule.place(j, option, start);
        else displaced.push(j);
      }
      for (const j of displaced) {
        const again = schedule.best(j);
        if (again !== undefined) {
          schedule.place(j, again.option, again.start);
          continue;
        }
        // A chain may move higher jobs too: it stays only if it beats leaving j out.
        const without = schedule.score();
        const before = schedule.mark();
        const kept = insertByEjection(schedule, j, 2, new Set([u.index]), effort);
        if (!kept || compareScores(schedule.score(), without) <= 0) schedule.rollbackTo(before);
      }
      changed = true;
    }
  }
  schedule.commit();
}

/** Placed jobs of lower priority than u on u's tools whose footprints reach into u's windows. */
function lowerInReach(schedule: RepairSchedule, u: number): number[] {
  const job = schedule.problem.jobs[u]!;
  const found = new Set<number>();
  for (const o of job.options) {
    const lane = schedule.lanes[o.tool]!;
    const from = o.ranges[0]!.from - lane.maxChangeover;
    const to = o.ranges[o.ranges.length - 1]!.to + o.footprint + lane.maxChangeover;
    for (let i = lane.indexAfter(from) - 1; i < lane.size && (i < 0 || lane.start[i]! < to); i++) {
      if (i < 0) continue;
      const other = lane.job[i]!;
      if (other >= 0 && schedule.problem.jobs[other]!.level > job.level) found.add(other);
    }
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * Ejection chains for every job left out, highest priority first, until a pass keeps no more or the
 * effort runs out. A chain stays only if the score gets better.
 */
export function keepByEjection(
  schedule: RepairSchedule,
  freeStarts: readonly number[],
  effort: Effort,
  proven: () => boolean,
): void {
  const jobs = schedule.problem.jobs;
  const order = [...jobs].sort((a, b) => a.level - b.level || a.index - b.index);
  for (let improved = true; improved && effort.left > 0 && !proven();) {
    improved = false;
    for (const u of order) {
      if (schedule.isPlaced(u.index) || freeStarts[u.index] === 0 || effort.left <= 0) continue;
      if (keepOne(schedule, u.index, effort)) {
        schedule.commit();
        improved = true;
        if (proven()) return;
      }
    }
  }
}

/** Pushing at the most promising positions, then an ejection chain; kept only if the score improves. */
function keepOne(schedule: RepairSchedule, u: number, effort: Effort): boolean {
  const before: Score = schedule.score();
  for (const p of positionsFor(schedule, u, new Set()).slice(0, PUSHES)) {
    if (effort.left-- <= 0) return false;
    const mark = schedule.mark();
    if (pushInto(schedule, u, p.option, p.start) && compareScores(schedule.score(), before) > 0) return true;
    schedule.rollbackTo(mark);
  }
  const mark = schedule.mark();
  if (insertByEjection(schedule, u, 3, new Set(), effort) && compareScores(schedule.score(), before) > 0)
    return true;
  schedule.rollbackTo(mark);
  return false;
}

/** Positions tried for a push, most promising first. */
const PUSHES = 8;
