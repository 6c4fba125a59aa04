import type { Problem } from './problem.js';

/** No maximum time lag. */
export const NO_MAX_LAG = -1;

/**
 * The problem flattened into typed arrays for the search (hot loops index these).
 * Operations are numbered job by job, in route order: job j owns ops jobFirst[j] .. jobFirst[j+1]-1.
 */
export interface CompiledProblem {
  nJobs: number;
  nOps: number;
  nMachines: number;
  nFamilies: number;
  jobFirst: Int32Array;
  opJob: Int32Array;
  /** Index of the op inside its job's route. */
  opIndex: Int32Array;
  /** Alternatives of op o: altStart[o] .. altStart[o+1]-1 in altMachine / altDuration. */
  altStart: Int32Array;
  altMachine: Int32Array;
  altDuration: Int32Array;
  minLag: Int32Array;
  /** NO_MAX_LAG when the op has no Q-time limit to the next one. */
  maxLag: Int32Array;
  family: Int32Array;
  batchSize: Int32Array;
  release: Int32Array;
  /** -1 when the job has no due date. */
  due: Int32Array;
  weight: Float64Array;
  capacity: Int32Array;
  /** Per machine: sorted, merged blocked intervals as [start0, end0, start1, end1, …]. */
  blocked: Int32Array[];
  /** Per machine: nFamilies² changeover matrix (from * nFamilies + to), or null when all zero. */
  setup: (Int32Array | null)[];
  /** Stability objective: current machine (-1 none) and start of each op. */
  currentMachine: Int32Array;
  currentStart: Int32Array;
  machineChangeCost: number;
  objective: Problem['objective']['kind'];
  machineIds: string[];
  jobIds: string[];
}

export function compileProblem(problem: Problem): CompiledProblem {
  const machineIndex = new Map(problem.machines.map((m, i) => [m.id, i]));
  const families = new Map<string, number>([['', 0]]);
  const familyOf = (name: string): number => {
    let f = families.get(name);
    if (f === undefined) {
      f = families.size;
      families.set(name, f);
    }
    return f;
  };
  for (const job of problem.jobs) for (const op of job.operations) familyOf(op.family);
  for (const m of problem.machines) {
    for (const x of m.changeovers) {
      familyOf(x.from);
      familyOf(x.to);
    }
  }

  const nJobs = problem.jobs.length;
  const nOps = problem.jobs.reduce((s, j) => s + j.operations.length, 0);
  const nAlts = problem.jobs.reduce((s, j) => s + j.operations.reduce((t, o) => t + o.alternatives.length, 0), 0);
  const c: CompiledProblem = {
    nJobs,
    nOps,
    nMachines: problem.machines.length,
    nFamilies: families.size,
    jobFirst: new Int32Array(nJobs + 1),
    opJob: new Int32Array(nOps),
    opIndex: new Int32Array(nOps),
    altStart: new Int32Array(nOps + 1),
    altMachine: new Int32Array(nAlts),
    altDuration: new Int32Array(nAlts),
    minLag: new Int32Array(nOps),
    maxLag: new Int32Array(nOps).fill(NO_MAX_LAG),
    family: new Int32Array(nOps),
    batchSize: new Int32Array(nOps),
    release: new Int32Array(nJobs),
    due: new Int32Array(nJobs).fill(-1),
    weight: new Float64Array(nJobs),
    capacity: new Int32Array(problem.machines.map((m) => m.capacity)),
    blocked: problem.machines.map((m) => mergeIntervals(m.blocked)),
    setup: [],
    currentMachine: new Int32Array(nOps).fill(-1),
    currentStart: new Int32Array(nOps),
    machineChangeCost: 0,
    objective: problem.objective.kind,
    machineIds: problem.machines.map((m) => m.id),
    jobIds: problem.jobs.map((j) => j.id),
  };
  let o = 0;
  let a = 0;
  problem.jobs.forEach((job, j) => {
    c.jobFirst[j] = o;
    c.release[j] = job.release;
    if (job.due !== undefined) c.due[j] = job.due;
    c.weight[j] = job.weight;
    job.operations.forEach((op, k) => {
      c.opJob[o] = j;
      c.opIndex[o] = k;
      c.altStart[o] = a;
      for (const alt of op.alternatives) {
        c.altMachine[a] = machineIndex.get(alt.machine)!;
        c.altDuration[a] = alt.duration;
        a++;
      }
      const last = k === job.operations.length - 1;
      c.minLag[o] = last ? 0 : op.minLagToNext;
      if (!last && op.maxLagToNext !== undefined) c.maxLag[o] = op.maxLagToNext;
      c.family[o] = families.get(op.family)!;
      c.batchSize[o] = op.batchSize;
      o++;
    });
  });
  c.jobFirst[nJobs] = o;
  c.altStart[nOps] = a;

  const nf = families.size;
  c.setup = problem.machines.map((m) => {
    if (!m.changeovers.some((x) => x.minutes > 0)) return null;
    const matrix = new Int32Array(nf * nf);
    for (const x of m.changeovers) matrix[families.get(x.from)! * nf + families.get(x.to)!] = x.minutes;
    return matrix;
  });

  if (problem.objective.kind === 'stability') {
    c.machineChangeCost = problem.objective.machineChangeCost;
    const jobIndex = new Map(problem.jobs.map((jb, j) => [jb.id, j]));
    for (const cur of problem.objective.current) {
      const op = c.jobFirst[jobIndex.get(cur.job)!]! + cur.operation;
      c.currentMachine[op] = machineIndex.get(cur.machine) ?? -1;
      c.currentStart[op] = cur.start;
    }
  }
  return c;
}

function mergeIntervals(intervals: readonly { start: number; end: number }[]): Int32Array {
  const sorted = [...intervals].sort((x, y) => x.start - y.start);
  const out: number[] = [];
  for (const iv of sorted) {
    const n = out.length;
    if (n > 0 && iv.start <= out[n - 1]!) out[n - 1] = Math.max(out[n - 1]!, iv.end);
    else out.push(iv.start, iv.end);
  }
  return Int32Array.from(out);
}

/**
 * The job-shop relaxation: unary machines, no blocked time, changeovers, Q-time limits or batches,
 * makespan objective. Its solutions seed the general search.
 */
export function relaxToJobShop(c: CompiledProblem): CompiledProblem {
  return {
    ...c,
    capacity: new Int32Array(c.nMachines).fill(1),
    blocked: c.blocked.map(() => new Int32Array(0)),
    setup: c.setup.map(() => null),
    maxLag: new Int32Array(c.nOps).fill(NO_MAX_LAG),
    batchSize: new Int32Array(c.nOps).fill(1),
    objective: 'makespan',
  };
}

/** Duration of op o on machine m, or -1 when m is not eligible. */
export function durationOn(c: CompiledProblem, o: number, m: number): number {
  for (let a = c.altStart[o]!; a < c.altStart[o + 1]!; a++) if (c.altMachine[a] === m) return c.altDuration[a]!;
  return -1;
}

/**
 * Job-shop shaped: the disjunctive-graph tabu search applies exactly. Makespan objective, unary
 * machines, no Q-time limits, no changeovers, no blocked time (release dates and min lags are fine).
 */
export function isJobShopShaped(c: CompiledProblem): boolean {
  if (c.objective !== 'makespan') return false;
  for (let m = 0; m < c.nMachines; m++) {
    if (c.capacity[m]! > 1 || c.blocked[m]!.length > 0 || c.setup[m] !== null) return false;
  }
  for (let o = 0; o < c.nOps; o++) if (c.maxLag[o] !== NO_MAX_LAG) return false;
  return true;
}

/**
 * Makespan lower bound: the longest route (with release and min lags), the total work over the
 * total capacity, and per unary machine the preemptive one-machine bound (Jackson's preemptive
 * schedule over the ops that must run there, with heads and tails from their routes) — the bound
 * edge-finding reasons with.
 */
export function makespanLowerBound(c: CompiledProblem): number {
  const minDur = new Float64Array(c.nOps);
  for (let o = 0; o < c.nOps; o++) {
    let d = Infinity;
    for (let a = c.altStart[o]!; a < c.altStart[o + 1]!; a++) d = Math.min(d, c.altDuration[a]!);
    minDur[o] = d;
  }
  const head = new Float64Array(c.nOps);
  const tail = new Float64Array(c.nOps);
  let lb = 0;
  for (let j = 0; j < c.nJobs; j++) {
    const first = c.jobFirst[j]!;
    const last = c.jobFirst[j + 1]! - 1;
    let t = c.release[j]!;
    for (let o = first; o <= last; o++) {
      head[o] = t;
      t += minDur[o]! + c.minLag[o]!;
    }
    lb = Math.max(lb, t);
    let q = 0;
    for (let o = last; o >= first; o--) {
      tail[o] = q;
      q += minDur[o]! + (o > first ? c.minLag[o - 1]! : 0);
    }
  }
  let total = 0;
  let capacitySum = 0;
  for (let o = 0; o < c.nOps; o++) total += minDur[o]! * c.batchSize[o]!;
  for (let m = 0; m < c.nMachines; m++) capacitySum += c.capacity[m]!;
  lb = Math.max(lb, Math.ceil(total / capacitySum));
  const mandatory: number[][] = Array.from({ length: c.nMachines }, () => []);
  for (let o = 0; o < c.nOps; o++) {
    if (c.altStart[o + 1]! - c.altStart[o]! !== 1) continue;
    const m = c.altMachine[c.altStart[o]!]!;
    if (c.capacity[m] === 1) mandatory[m]!.push(o);
  }
  for (const ops of mandatory) if (ops.length > 0) lb = Math.max(lb, jacksonPreemptive(ops, head, tail, minDur));
  return lb;
}

/** Makespan of Jackson's preemptive schedule: run the available op with the longest tail. */
function jacksonPreemptive(ops: number[], head: Float64Array, tail: Float64Array, dur: Float64Array): number {
  const byHead = [...ops].sort((a, b) => head[a]! - head[b]!);
  const rem = new Map(ops.map((o) => [o, dur[o]!]));
  const ready: number[] = [];
  let next = 0;
  let t = 0;
  let lb = 0;
  while (next < byHead.length || ready.length > 0) {
    if (ready.length === 0) t = Math.max(t, head[byHead[next]!]!);
    while (next < byHead.length && head[byHead[next]!]! <= t) ready.push(byHead[next++]!);
    let pick = 0;
    for (let i = 1; i < ready.length; i++) if (tail[ready[i]!]! > tail[ready[pick]!]!) pick = i;
    const o = ready[pick]!;
    const nextRelease = next < byHead.length ? head[byHead[next]!]! : Infinity;
    const run = Math.min(rem.get(o)!, nextRelease - t);
    t += run;
    rem.set(o, rem.get(o)! - run);
    if (rem.get(o) === 0) {
      lb = Math.max(lb, t + tail[o]!);
      ready.splice(pick, 1);
    }
  }
  return lb;
}
