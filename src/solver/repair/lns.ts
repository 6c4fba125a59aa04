import type { Prng } from '../generate/prng.js';
import type { RepairSchedule } from './schedule.js';
import { compareScores } from './schedule.js';

// Large-neighbourhood search for less displacement (and, when it comes, more jobs kept): take out a
// few related jobs — near one another in the calendar or in where they came from — plus a job left out
// that could use their room, and put them back by exact re-insertion on the lanes (each to its cheapest
// free start, cheapest first or in a shuffled order). Kept when the score is no worse.

export interface LnsBudget {
  readonly iterations: number;
  /** Stop after this many iterations in a row without a better score. */
  readonly patience: number;
  readonly shouldStop: () => boolean;
}

export function improveByLns(
  schedule: RepairSchedule,
  freeStarts: readonly number[],
  rng: Prng,
  budget: LnsBudget,
): number {
  const n = schedule.problem.jobs.length;
  const placed = new Int32Array(n);
  const outside = new Int32Array(n);
  const distance = new Float64Array(n);
  let idle = 0;
  let iteration = 0;
  for (; iteration < budget.iterations && idle < budget.patience; iteration++) {
    if (budget.shouldStop()) break;
    let count = 0;
    let left = 0;
    for (let j = 0; j < n; j++) {
      if (schedule.isPlaced(j)) placed[count++] = j;
      else if (freeStarts[j]! > 0) outside[left++] = j;
    }
    if (count === 0) break;
    const seed = placed[Math.floor(rng.next() * count)]!;
    const removed = relatedTo(
      schedule,
      seed,
      placed.subarray(0, count),
      3 + Math.floor(rng.next() * 6),
      rng,
      distance,
    );
    const outsider = left === 0 ? undefined : leftOutNear(schedule, seed, outside.subarray(0, left), rng);
    const before = schedule.score();
    const mark = schedule.mark();
    for (const j of removed) schedule.unplace(j);
    const pool = outsider === undefined ? removed : [outsider, ...removed];
    if (rng.next() < 0.5) reinsertCheapestFirst(schedule, pool);
    else reinsertInOrder(schedule, shuffle(pool, rng));
    const verdict = compareScores(schedule.score(), before);
    if (verdict < 0) schedule.rollbackTo(mark);
    else schedule.commit();
    idle = verdict > 0 ? 0 : idle + 1;
  }
  return iteration;
}

/** The seed and the `count` placed jobs closest to it in start and in original start, with some noise. */
function relatedTo(
  schedule: RepairSchedule,
  seed: number,
  placed: Int32Array,
  count: number,
  rng: Prng,
  distance: Float64Array,
): number[] {
  const jobs = schedule.problem.jobs;
  const s0 = schedule.startOf[seed]!;
  const t0 = jobs[seed]!.target;
  for (const j of placed)
    distance[j] = (Math.abs(schedule.startOf[j]! - s0) + Math.abs(jobs[j]!.target - t0)) * (1 + rng.next());
  // Partial selection: count is small.
  const chosen: number[] = [];
  for (const j of placed) {
    let i = chosen.length;
    if (i === count && distance[j]! >= distance[chosen[i - 1]!]!) continue;
    if (i === count) chosen.pop();
    i = chosen.length;
    while (i > 0 && distance[chosen[i - 1]!]! > distance[j]!) i--;
    chosen.splice(i, 0, j);
  }
  return chosen;
}

/** Now and then, a job left out (that could be kept alone) whose window covers the seed's start. */
function leftOutNear(
  schedule: RepairSchedule,
  seed: number,
  outside: Int32Array,
  rng: Prng,
): number | undefined {
  const at = schedule.startOf[seed]!;
  const jobs = schedule.problem.jobs;
  const near: number[] = [];
  for (const j of outside) {
    const reaches = jobs[j]!.options.some((o) =>
      o.ranges.some((r) => r.from - o.footprint <= at && at <= r.to + o.footprint),
    );
    if (reaches) near.push(j);
  }
  if (near.length === 0) return undefined;
  return near[Math.floor(rng.next() * near.length)]!;
}

/**
 * Cheapest insertion: the highest-priority job with the cheapest start goes first. Placing a job only
 * takes room away, so another job's best start stays its best while it still fits: only those that no
 * longer fit are searched again.
 */
function reinsertCheapestFirst(schedule: RepairSchedule, pool: readonly number[]): void {
  const jobs = schedule.problem.jobs;
  const left = [...pool];
  const slots = left.map((j) => schedule.best(j));
  while (left.length > 0) {
    let pick = -1;
    for (let i = 0; i < left.length; i++) {
      let slot = slots[i];
      if (slot !== undefined && !schedule.fits(left[i]!, slot.option, slot.start))
        slots[i] = slot = schedule.best(left[i]!);
      if (slot === undefined) continue;
      const chosen = pick < 0 ? undefined : slots[pick]!;
      const level = jobs[left[i]!]!.level;
      if (
        chosen === undefined ||
        level < jobs[left[pick]!]!.level ||
        (level === jobs[left[pick]!]!.level && slot.cost < chosen.cost)
      )
        pick = i;
    }
    if (pick < 0) return;
    const slot = slots[pick]!;
    schedule.place(left[pick]!, slot.option, slot.start);
    left.splice(pick, 1);
    slots.splice(pick, 1);
  }
}

function reinsertInOrder(schedule: RepairSchedule, pool: readonly number[]): void {
  for (const j of pool) {
    const slot = schedule.best(j);
    if (slot !== undefined) schedule.place(j, slot.option, slot.start);
  }
}

function shuffle<T>(items: readonly T[], rng: Prng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const k = Math.floor(rng.next() * (i + 1));
    [out[i], out[k]] = [out[k]!, out[i]!];
  }
  return out;
}
