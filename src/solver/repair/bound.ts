import { MINUTES_PER_DAY } from '../week.js';
import type { RepairProblem } from './problem.js';

// How many displaced bookings any repair could keep at most, computed from the calendar that stays
// put and nothing the search decides. A job counts only if some free start in its window exists on a
// tool it may use (its "reach": the stretches its footprint could cover there). Then a time interval
// whose jobs all reach only inside it can keep no more of them than fit, shortest first, into the
// free time they reach together; the best set of disjoint such intervals is chosen by a small DP.

/** Only jobs reaching over at most this long take part in intervals: wide ones never fill theirs. */
const NARROW_SPAN = 3 * MINUTES_PER_DAY;

interface Reach {
  readonly level: number;
  readonly footprint: number;
  readonly freeStarts: number;
  readonly from: number;
  readonly to: number;
  /** [tool, from, to) stretches, per tool in time order. */
  readonly pieces: readonly (readonly [number, number, number])[];
}

export interface RepairBound {
  /** At most this many jobs can be kept. */
  readonly kept: number;
  /** At most this many at levels 0..i together (highest priorities first). */
  readonly keptUpToLevel: readonly number[];
  /** Per job: how many free starts it has alone, with no other job placed (0: it cannot be kept). */
  readonly freeStarts: readonly number[];
}

/** The tools' timelines must hold the calendar that stays put (no displaced booking, the new maintenance in). */
export function repairUpperBound(problem: RepairProblem): RepairBound {
  const reaches: (Reach | undefined)[] = problem.jobs.map((job) => {
    const pieces: [number, number, number][] = [];
    let footprint = Infinity;
    let freeStarts = 0;
    for (const option of job.options) {
      const { timeline } = problem.tools[option.tool]!.context;
      footprint = Math.min(footprint, option.footprint);
      for (const range of option.ranges) {
        const query = {
          durationMinutes: job.duration,
          setup: job.setup,
          earliestStart: range.from,
          latestStart: range.to,
        };
        timeline.forEachSlot(query, (slot) => {
          const from = Math.max(slot.firstStart, range.from);
          const to = Math.min(slot.lastStart, range.to) + option.footprint;
          pieces.push([option.tool, from, to]);
          freeStarts += to - option.footprint - from + 1;
          return true;
        });
      }
    }
    if (pieces.length === 0) return undefined;
    let from = Infinity;
    let to = -Infinity;
    for (const [, a, b] of pieces) {
      from = Math.min(from, a);
      to = Math.max(to, b);
    }
    return { level: job.level, footprint, freeStarts, from, to, pieces };
  });
  const keptUpToLevel = problem.levels.map((_, level) =>
    boundFor(reaches.filter((r): r is Reach => r !== undefined && r.level <= level)),
  );
  for (let i = 1; i < keptUpToLevel.length; i++) {
    const atLevel = reaches.filter((r) => r?.level === i).length;
    keptUpToLevel[i] = Math.min(keptUpToLevel[i]!, keptUpToLevel[i - 1]! + atLevel);
  }
  return {
    kept: keptUpToLevel[keptUpToLevel.length - 1] ?? 0,
    keptUpToLevel,
    freeStarts: reaches.map((r) => (r === undefined ? 0 : r.freeStarts)),
  };
}

/** Placeable jobs minus the most that disjoint crowded intervals must leave out. */
function boundFor(reaches: readonly Reach[]): number {
  const narrow = reaches
    .filter((r) => r.to - r.from <= NARROW_SPAN)
    .sort((a, b) => a.to - b.to || a.from - b.from);
  const froms = [...new Set(narrow.map((r) => r.from))].sort((a, b) => a - b);
  const intervals: { from: number; to: number; savings: number }[] = [];
  for (const x of froms) {
    const union = new ToolUnion();
    const footprints: number[] = [];
    for (let i = 0; i < narrow.length; i++) {
      const r = narrow[i]!;
      if (r.to - x > NARROW_SPAN) break;
      if (r.from < x) continue;
      for (const [tool, a, b] of r.pieces) union.add(tool, a, b);
      insertSorted(footprints, r.footprint);
      // Close the interval only once every job ending here is in.
      if (i + 1 < narrow.length && narrow[i + 1]!.to === r.to) continue;
      const savings = footprints.length - fitting(footprints, union.measure);
      if (savings > 0) intervals.push({ from: x, to: r.to, savings });
    }
  }
  return reaches.length - bestDisjoint(intervals);
}

/** How many of the (sorted) footprints fit into `capacity` minutes, shortest first. */
function fitting(footprints: readonly number[], capacity: number): number {
  let used = 0;
  for (let k = 0; k < footprints.length; k++) {
    used += footprints[k]!;
    if (used > capacity) return k;
  }
  return footprints.length;
}

/** Weighted interval scheduling: the largest total savings over pairwise disjoint intervals. */
function bestDisjoint(intervals: { from: number; to: number; savings: number }[]): number {
  intervals.sort((a, b) => a.to - b.to);
  const best: number[] = [];
  for (let i = 0; i < intervals.length; i++) {
    const { from, savings } = intervals[i]!;
    // The last interval ending at or before this one's start.
    let lo = 0;
    let hi = i;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (intervals[mid]!.to <= from) lo = mid + 1;
      else hi = mid;
    }
    const withIt = savings + (lo > 0 ? best[lo - 1]! : 0);
    best.push(Math.max(withIt, i > 0 ? best[i - 1]! : 0));
  }
  return best.length > 0 ? best[best.length - 1]! : 0;
}

function insertSorted(values: number[], value: number): void {
  let i = values.length;
  while (i > 0 && values[i - 1]! > value) i--;
  values.splice(i, 0, value);
}

/** The measure of a union of half-open stretches, per tool, kept as sorted disjoint lists. */
class ToolUnion {
  measure = 0;
  private readonly byTool = new Map<number, { from: number[]; to: number[] }>();

  add(tool: number, from: number, to: number): void {
    let list = this.byTool.get(tool);
    if (list === undefined) this.byTool.set(tool, (list = { from: [], to: [] }));
    // First stretch ending at or after `from`, then swallow every one starting at or before `to`.
    let lo = 0;
    let hi = list.to.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list.to[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    let a = from;
    let b = to;
    while (end < list.from.length && list.from[end]! <= to) {
      a = Math.min(a, list.from[end]!);
      b = Math.max(b, list.to[end]!);
      this.measure -= list.to[end]! - list.from[end]!;
      end++;
    }
    list.from.splice(lo, end - lo, a);
    list.to.splice(lo, end - lo, b);
    this.measure += b - a;
  }
}
