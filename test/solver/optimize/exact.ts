import { checkSchedule } from '../../../src/solver/optimize/check.js';
import type { Problem, Schedule, ScheduledOperation } from '../../../src/solver/optimize/problem.js';

// Exact optima by brute force, for tiny problems only: every integer start of every operation on
// every eligible machine, pruned only by rules that adding more operations can never repair
// (route order, lags, the horizon, blocked time, overlaps that are not one batch). A complete
// schedule is accepted only by the independent checker. Nothing here comes from the search code.

interface Op {
  job: string;
  jobIndex: number;
  index: number;
  alternatives: { machine: string; duration: number }[];
  family: string;
  batchSize: number;
  minLagToNext: number;
  maxLagToNext: number | undefined;
  release: number;
  minDuration: number;
  /** Least time the rest of the route needs after this op ends (min durations and min lags). */
  tail: number;
}

export class SearchTooLargeError extends Error {
  override readonly name = 'SearchTooLargeError';
}

export interface ExactOptions {
  /** Give up (throw SearchTooLargeError) after this many placements tried. */
  maxNodes?: number;
}

/** A schedule of the problem with makespan at most `horizon`, or null when none exists. */
export function scheduleWithin(problem: Problem, horizon: number, options: ExactOptions = {}): Schedule | null {
  const maxNodes = options.maxNodes ?? 5_000_000;
  const ops = flatten(problem);
  const machines = new Map(problem.machines.map((m) => [m.id, m]));
  const placed: ScheduledOperation[] = [];
  const placedOps: Op[] = [];
  const mergedBlocked = new Map(problem.machines.map((m) => [m.id, merged(m.blocked)]));
  let nodes = 0;

  const fits = (machine: string, start: number, end: number, op: Op): boolean => {
    const m = machines.get(machine)!;
    if (m.blocked.some((b) => start < b.end && b.start < end)) return false;
    let load = op.batchSize;
    for (let i = 0; i < placed.length; i++) {
      const p = placed[i]!;
      if (p.machine !== machine || !(start < p.end && p.start < end)) continue;
      // Overlapping is allowed only as one batch: same start and end, same family, within capacity.
      if (p.start !== start || p.end !== end || placedOps[i]!.family !== op.family) return false;
      load += placedOps[i]!.batchSize;
    }
    if (load > m.capacity) return false;
    if (load > op.batchSize) return true; // joins a batch already placed: no new changeover
    // Placed in order of start, the op comes last on its machine: the changeover from the batch
    // before it is final.
    let before: number | undefined;
    placed.forEach((p, k) => {
      if (p.machine === machine && (before === undefined || p.start > placed[before]!.start)) before = k;
    });
    if (before === undefined) return true;
    const need = m.changeovers.find((c) => c.from === placedOps[before!]!.family && c.to === op.family)?.minutes ?? 0;
    return start - placed[before]!.end >= need;
  };

  // Energy: the operations still to place that can run on one machine only must fit in what that
  // machine has left after `from` (capacity × free time, less what placed operations use there).
  const roomLeft = (from: number): boolean => {
    const need = new Map<string, number>();
    ops.forEach((op, i) => {
      if (at[i] || op.alternatives.length !== 1) return;
      const { machine, duration } = op.alternatives[0]!;
      need.set(machine, (need.get(machine) ?? 0) + duration * op.batchSize);
    });
    for (const [id, units] of need) {
      const m = machines.get(id)!;
      const clip = (a: number, b: number) => Math.max(0, Math.min(b, horizon) - Math.max(a, from));
      let free = clip(from, horizon);
      for (const b of mergedBlocked.get(id)!) free -= clip(b.start, b.end);
      let room = m.capacity * free;
      placed.forEach((p, k) => {
        if (p.machine === id) room -= placedOps[k]!.batchSize * clip(p.start, p.end);
      });
      if (units > room) return false;
    }
    return true;
  };

  // Operations are placed in order of start (ties by their place in `ops`), so each schedule is met
  // once and every operation not yet placed starts no earlier than the last one placed.
  const at = new Array<ScheduledOperation | undefined>(ops.length).fill(undefined);
  const firstOf = problem.jobs.map((_, j) => ops.findIndex((o) => o.jobIndex === j));
  const nextOf = firstOf.slice();
  const search = (count: number, lastStart: number, lastIndex: number): Schedule | null => {
    if (count === ops.length) {
      const schedule = asSchedule(at as ScheduledOperation[]);
      return checkSchedule(problem, schedule).ok ? schedule : null;
    }
    // Every job's next operation must still fit before the horizon (and within its Q-time).
    const windows: { i: number; earliest: number; latest: number }[] = [];
    for (let j = 0; j < nextOf.length; j++) {
      const i = nextOf[j]!;
      if (i < 0) continue;
      const op = ops[i]!;
      const prev = op.index > 0 ? at[i - 1]! : undefined;
      const prevOp = op.index > 0 ? ops[i - 1]! : undefined;
      const earliest = Math.max(lastStart, prev ? prev.end + prevOp!.minLagToNext : op.release);
      const latest = Math.min(
        prev && prevOp!.maxLagToNext !== undefined ? prev.end + prevOp!.maxLagToNext : Infinity,
        horizon - op.minDuration - op.tail,
      );
      if (earliest > latest || (earliest === latest && earliest === lastStart && i < lastIndex)) return null;
      windows.push({ i, earliest, latest });
    }
    if (!roomLeft(lastStart)) return null;
    for (const { i, earliest, latest } of windows) {
      const op = ops[i]!;
      for (const alt of op.alternatives) {
        const last = Math.min(latest, horizon - alt.duration - op.tail);
        for (let start = earliest; start <= last; start++) {
          if (++nodes > maxNodes) throw new SearchTooLargeError(`more than ${maxNodes} placements tried`);
          if (start === lastStart && i < lastIndex) continue;
          if (!fits(alt.machine, start, start + alt.duration, op)) continue;
          const placement = { job: op.job, operation: op.index, machine: alt.machine, start, end: start + alt.duration };
          at[i] = placement;
          placed.push(placement);
          placedOps.push(op);
          const j = op.jobIndex;
          nextOf[j] = i + 1 < ops.length && ops[i + 1]!.jobIndex === j ? i + 1 : -1;
          const found = search(count + 1, start, i);
          nextOf[j] = i;
          placedOps.pop();
          placed.pop();
          at[i] = undefined;
          if (found) return found;
        }
      }
    }
    return null;
  };
  return search(0, 0, -1);
}

/** The least makespan of the problem, searched between `from` (any value at most the optimum) and a known feasible `upTo`. */
export function optimalMakespan(problem: Problem, from: number, upTo: number, options: ExactOptions = {}): number {
  // Feasibility is monotone in the horizon: bisect.
  let lo = Math.max(0, from);
  let hi = upTo;
  if (scheduleWithin(problem, hi, options) === null) throw new Error(`no schedule within ${hi}: not a feasible upper bound`);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (scheduleWithin(problem, mid, options)) hi = mid;
    else lo = mid + 1;
  }
  return hi;
}

/** A lower bound needing no cleverness: the longest route with release, least durations and min lags. */
export function routeBound(problem: Problem): number {
  return Math.max(
    ...problem.jobs.map((job) =>
      job.operations.reduce(
        (t, op, k) =>
          t + Math.min(...op.alternatives.map((a) => a.duration)) + (k < job.operations.length - 1 ? op.minLagToNext : 0),
        job.release,
      ),
    ),
  );
}

function flatten(problem: Problem): Op[] {
  return problem.jobs.flatMap((job, jobIndex) => {
    const ops = job.operations;
    return ops.map((op, k): Op => {
      let tail = 0;
      for (let x = k + 1; x < ops.length; x++) tail += ops[x - 1]!.minLagToNext + Math.min(...ops[x]!.alternatives.map((a) => a.duration));
      return {
        job: job.id,
        jobIndex,
        index: k,
        alternatives: op.alternatives,
        family: op.family,
        batchSize: op.batchSize,
        minLagToNext: op.minLagToNext,
        maxLagToNext: op.maxLagToNext,
        release: job.release,
        minDuration: Math.min(...op.alternatives.map((a) => a.duration)),
        tail,
      };
    });
  });
}

function merged(intervals: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const iv of [...intervals].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && iv.start <= last.end) last.end = Math.max(last.end, iv.end);
    else out.push({ ...iv });
  }
  return out;
}

function asSchedule(operations: readonly ScheduledOperation[]): Schedule {
  const makespan = operations.reduce((t, s) => Math.max(t, s.end), 0);
  return {
    version: 1,
    operations: operations.map((s) => ({ ...s })),
    makespan,
    objective: { kind: 'makespan', value: makespan },
  };
}
