import { quotaStartRanges } from '../quota.js';
import { changeoverMinutes } from '../setup.js';
import type { SolverState } from '../state.js';
import { weekIndexOf, weekStartOf } from '../week.js';
import { FIXED, Lane } from './lane.js';
import type { JobOption, RepairJob, RepairProblem } from './problem.js';

// The search's mutable solution: where each job sits (or that it is left out), on lanes per tool, with
// the quota accounts it draws on, an undo log so moves can be tried and taken back, and the objective.

export interface Slot {
  readonly option: number;
  readonly start: number;
  readonly cost: number;
}

/** What a solution is worth: jobs kept per priority level (highest first), then displacement cost. */
export interface Score {
  readonly kept: readonly number[];
  readonly cost: number;
}

const PLACE = 1;
const UNPLACE = 0;

export class RepairSchedule {
  /** The option each job uses (index into its options), or -1 when it is left out. */
  readonly optionOf: Int32Array;
  readonly startOf: Float64Array;
  /** Jobs kept per priority level. */
  readonly kept: Int32Array;
  cost = 0;
  readonly lanes: Lane[];
  /** The calendar without any job: where a job may go once the jobs in its way move. */
  readonly fixedLanes: Lane[];
  private readonly usage: Map<number, number>[];
  private readonly log: number[] = [];

  constructor(
    readonly problem: RepairProblem,
    state: SolverState,
  ) {
    const n = problem.jobs.length;
    this.optionOf = new Int32Array(n).fill(-1);
    this.startOf = new Float64Array(n);
    this.kept = new Int32Array(problem.levels.length);
    const horizon = problem.tools.map(() => ({ from: Infinity, to: -Infinity }));
    for (const job of problem.jobs) {
      for (const option of job.options) {
        const h = horizon[option.tool]!;
        h.from = Math.min(h.from, option.ranges[0]!.from);
        h.to = Math.max(h.to, option.ranges[option.ranges.length - 1]!.to + option.footprint);
      }
    }
    const laneOf = (i: number) => {
      const { context } = problem.tools[i]!;
      const reach = context.maxChangeoverMinutes + 1;
      const fixed = context.timeline.overlapping(horizon[i]!.from - reach, horizon[i]!.to + reach);
      return new Lane(context.changeovers, context.maxChangeoverMinutes, fixed);
    };
    this.lanes = problem.tools.map((_, i) => laneOf(i));
    this.fixedLanes = problem.tools.map((_, i) => laneOf(i));
    this.usage = problem.accounts.map(
      (a) => new Map(state.quota.weeksOf(a.tenantId, a.toolType) ?? new Map<number, number>()),
    );
  }

  isPlaced(j: number): boolean {
    return this.optionOf[j]! >= 0;
  }

  get placedCount(): number {
    let n = 0;
    for (const k of this.kept) n += k;
    return n;
  }

  score(): Score {
    return { kept: [...this.kept], cost: this.cost };
  }

  /** Puts job j at `start` on its option; the caller has checked that it fits. */
  place(j: number, option: number, start: number): void {
    const job = this.problem.jobs[j]!;
    const o = job.options[option]!;
    this.lanes[o.tool]!.insert(j, start, o.footprint, job.setup);
    this.optionOf[j] = option;
    this.startOf[j] = start;
    this.kept[job.level]!++;
    this.cost += costOf(job, o, start);
    this.record(job, start, 1);
    this.log.push(PLACE, j, option, start);
  }

  unplace(j: number): void {
    const option = this.optionOf[j]!;
    if (option < 0) return;
    const job = this.problem.jobs[j]!;
    const o = job.options[option]!;
    const start = this.startOf[j]!;
    this.lanes[o.tool]!.remove(j, start);
    this.optionOf[j] = -1;
    this.kept[job.level]!--;
    this.cost -= costOf(job, o, start);
    this.record(job, start, -1);
    this.log.push(UNPLACE, j, option, start);
  }

  mark(): number {
    return this.log.length;
  }

  rollbackTo(mark: number): void {
    while (this.log.length > mark) {
      const start = this.log.pop()!;
      const option = this.log.pop()!;
      const j = this.log.pop()!;
      const op = this.log.pop()!;
      if (op === PLACE) this.unplace(j);
      else this.place(j, option, start);
      // Undoing writes its own entries: drop them.
      this.log.length -= 4;
    }
  }

  /** Counts the commits that changed something: equal counts, same solution. */
  revision = 0;

  /** Forgets the undo log (after a move is accepted for good). */
  commit(): void {
    if (this.log.length > 0) this.revision++;
    this.log.length = 0;
  }

  /** Whether job j (not placed) may start at `start` on its option, with everything else where it is. */
  fits(j: number, option: number, start: number): boolean {
    const job = this.problem.jobs[j]!;
    const o = job.options[option]!;
    if (!o.ranges.some((r) => r.from <= start && start <= r.to)) return false;
    const lane = this.lanes[o.tool]!;
    const g = lane.indexAfter(start);
    if (lane.first(g, job.setup) > start || lane.last(g, job.setup, o.footprint) < start) return false;
    return this.quotaFits(job, start);
  }

  /** The cheapest start for job j (not placed) over its options, cheaper than `limit`; later wins a tie. */
  best(j: number, limit = Infinity): Slot | undefined {
    const job = this.problem.jobs[j]!;
    let best: Slot | undefined;
    let bestCost = limit;
    job.options.forEach((o, option) => {
      if (o.penalty >= bestCost) return;
      for (const range of o.ranges) {
        const from = Math.max(range.from, job.target);
        if (from <= range.to) {
          const s = this.scanForward(job, o, from, range.to, bestCost - o.penalty);
          if (s !== undefined && s - job.target + o.penalty < bestCost) {
            bestCost = s - job.target + o.penalty;
            best = { option, start: s, cost: bestCost };
          }
        }
        const to = Math.min(range.to, job.target - 1);
        if (range.from <= to) {
          const s = this.scanBackward(job, o, range.from, to, bestCost - o.penalty);
          if (s !== undefined && job.target - s + o.penalty < bestCost) {
            bestCost = job.target - s + o.penalty;
            best = { option, start: s, cost: bestCost };
          }
        }
      }
    });
    return best;
  }

  /** The earliest start of job j (not placed) on its option at or after `from`. */
  earliestFrom(j: number, option: number, from: number): number | undefined {
    const job = this.problem.jobs[j]!;
    const o = job.options[option]!;
    for (const range of o.ranges) {
      if (range.to < from) continue;
      const s = this.scanForward(job, o, Math.max(from, range.from), range.to, Infinity);
      if (s !== undefined) return s;
    }
    return undefined;
  }

  /** The latest start of job j (not placed) on its option at or before `to`. */
  latestUpTo(j: number, option: number, to: number): number | undefined {
    const job = this.problem.jobs[j]!;
    const o = job.options[option]!;
    for (let r = o.ranges.length - 1; r >= 0; r--) {
      const range = o.ranges[r]!;
      if (range.from > to) continue;
      const s = this.scanBackward(job, o, range.from, Math.min(to, range.to), Infinity);
      if (s !== undefined) return s;
    }
    return undefined;
  }

  /** The placed jobs whose footprint or changeover job j would run into at `start` on its option. */
  conflicts(j: number, option: number, start: number): number[] {
    const job = this.problem.jobs[j]!;
    const o = job.options[option]!;
    const lane = this.lanes[o.tool]!;
    const reach = lane.maxChangeover;
    const end = start + o.footprint;
    const found: number[] = [];
    const i0 = lane.indexAfter(start);
    for (let i = i0 - 1; i >= 0 && lane.carry[i]! + reach > start; i--) {
      const other = lane.job[i]!;
      const ready = lane.until[i]! + changeoverMinutes(lane.changeovers, lane.setup[i]!, job.setup);
      if (other !== FIXED && ready > start) found.push(other);
    }
    for (let i = i0; i < lane.size && lane.start[i]! < end + reach; i++) {
      const other = lane.job[i]!;
      if (other !== FIXED && lane.last(i, job.setup, o.footprint) < start) found.push(other);
    }
    return found;
  }

  private scanForward(
    job: RepairJob,
    o: JobOption,
    from: number,
    to: number,
    maxDist: number,
  ): number | undefined {
    const lane = this.lanes[o.tool]!;
    for (let g = lane.indexAfter(from); ; g++) {
      const floor = Math.max(lane.floor(g), from);
      if (floor > to || floor - job.target >= maxDist) return undefined;
      const a = Math.max(lane.first(g, job.setup), from);
      const b = Math.min(lane.last(g, job.setup, o.footprint), to);
      if (a <= b) {
        if (this.quotaFits(job, a)) return a;
        const allowed = this.quotaRanges(job, a, b);
        if (allowed.length > 0) return allowed[0]!.from;
      }
      if (g === lane.size) return undefined;
    }
  }

  private scanBackward(
    job: RepairJob,
    o: JobOption,
    from: number,
    to: number,
    maxDist: number,
  ): number | undefined {
    const lane = this.lanes[o.tool]!;
    for (let g = lane.indexAfter(to); ; g--) {
      const ceiling = g === lane.size ? to : Math.min(to, lane.start[g]! - o.footprint);
      if (ceiling < from || job.target - ceiling >= maxDist) return undefined;
      const a = Math.max(lane.first(g, job.setup), from);
      const b = Math.min(lane.last(g, job.setup, o.footprint), to);
      if (a <= b) {
        if (this.quotaFits(job, b)) return b;
        const allowed = this.quotaRanges(job, a, b);
        if (allowed.length > 0) return allowed[allowed.length - 1]!.to;
      }
      if (g === 0) return undefined;
    }
  }

  private quotaFits(job: RepairJob, start: number): boolean {
    if (job.account < 0) return true;
    const used = this.usage[job.account]!;
    const limit = this.problem.accounts[job.account]!.limitMinutes;
    const end = start + job.duration;
    for (let week = weekIndexOf(start); weekStartOf(week) < end; week++) {
      const minutes = Math.min(end, weekStartOf(week + 1)) - Math.max(start, weekStartOf(week));
      if ((used.get(week) ?? 0) + minutes > limit) return false;
    }
    return true;
  }

  private quotaRanges(job: RepairJob, from: number, to: number) {
    const limit = this.problem.accounts[job.account]!.limitMinutes;
    return quotaStartRanges(this.usage[job.account], limit, job.duration, from, to).ranges;
  }

  private record(job: RepairJob, start: number, sign: 1 | -1): void {
    if (job.account < 0) return;
    const used = this.usage[job.account]!;
    const end = start + job.duration;
    for (let week = weekIndexOf(start); weekStartOf(week) < end; week++) {
      const minutes = Math.min(end, weekStartOf(week + 1)) - Math.max(start, weekStartOf(week));
      const total = (used.get(week) ?? 0) + sign * minutes;
      if (total === 0) used.delete(week);
      else used.set(week, total);
    }
  }
}

export function costOf(job: RepairJob, option: JobOption, start: number): number {
  return Math.abs(start - job.target) + option.penalty;
}

/** Compares two scores: more kept at the highest level first, …, then the lower cost. Positive: a is better. */
export function compareScores(a: Score, b: Score): number {
  for (let i = 0; i < a.kept.length; i++) if (a.kept[i] !== b.kept[i]) return a.kept[i]! - b.kept[i]!;
  return b.cost - a.cost;
}
