import { availableParallelism } from 'node:os';
import { compileProblem, type CompiledProblem } from './compile.js';
import { chooseEngine, objectiveLowerBound, placementOf, type Engine, type Placement, type TabuTuning } from './engines.js';
import { parseProblem, PROBLEM_VERSION, type Problem, type ProblemInput, type Schedule } from './problem.js';
import { streamSeed } from './random.js';
import { InThreadRunner, WorkerRunner, WorkerUnavailableError, type RoundReport, type StreamRunner, type StreamSpec } from './runners.js';

export interface OptimizeProgress {
  elapsedMs: number;
  /** Iterations over all streams so far. */
  iterations: number;
  bestObjective: number;
  lowerBound: number;
}

export interface OptimizeOptions {
  /** Wall-clock budget; default 10 s, or none when only maxIterations is given. */
  timeLimitMs?: number;
  seed?: number;
  /** Parallel search streams (default: all cores). Part of the result's identity, like the seed. */
  threads?: number;
  /** Iteration budget per stream: with it (and no time limit) the result is fully reproducible. */
  maxIterations?: number;
  onProgress?: (progress: OptimizeProgress) => void;
  /** Stops the search early; the best schedule so far is returned. */
  signal?: AbortSignal;
  /** Clock in ms for the deadline (default performance.now); worker threads measure their own time left. */
  now?: () => number;
  /** Run extra streams in worker threads (default true); false runs them all here, one after another. */
  useWorkers?: boolean;
  /** Advanced: tuning knobs of the tabu search; an array gives stream i the entry i mod length. */
  tabu?: TabuTuning | TabuTuning[];
  /** Advanced: epochs between elite exchanges among streams (default 10). */
  exchangeEvery?: number;
}

/** lowerBound: optimal; exhausted: a stream's neighbourhood ran empty. */
export type StopReason = 'timeLimit' | 'iterations' | 'lowerBound' | 'exhausted' | 'aborted';

export interface OptimizeResult {
  schedule: Schedule;
  objective: number;
  makespan: number;
  /** A proven lower bound on the objective (the schedule is optimal when they are equal). */
  lowerBound: number;
  engine: Engine;
  streams: number;
  iterations: number;
  elapsedMs: number;
  stopReason: StopReason;
}

/** Iterations between progress reports; streams exchange elites every DEFAULT_EXCHANGE_EVERY epochs. */
const EPOCH_ITERATIONS: Record<Engine, number> = { tabu: 10_000, lns: 200 };
const DEFAULT_EXCHANGE_EVERY = 10;

/**
 * Batch scheduling, anytime: always returns the best valid schedule found so far. Job-shop shaped
 * problems (makespan, unary machines, no Q-time/changeover/blocked time) get the critical-path
 * tabu search, everything else the propagation-based LNS. Streams exchange elite solutions only
 * between rounds of a fixed number of iterations, so (problem, seed, threads, maxIterations) fixes
 * the result; with a time limit the trajectory is the same and only its length varies.
 * Throws a ZodError for an invalid problem, InfeasibleProblemError when no schedule can exist.
 */
export async function optimize(input: Problem | ProblemInput, options: OptimizeOptions = {}): Promise<OptimizeResult> {
  const problem = parseProblem(input);
  const c = compileProblem(problem);
  const now = options.now ?? (() => performance.now());
  const t0 = now();
  const timeLimitMs = options.timeLimitMs ?? (options.maxIterations === undefined ? 10_000 : Infinity);
  const deadline = t0 + timeLimitMs;
  // An abort looks like the deadline to the streams.
  const clock = (): number => (options.signal?.aborted ? Infinity : now());
  const seed = options.seed ?? 1;
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const engine = chooseEngine(c);
  const lowerBound = objectiveLowerBound(c);

  const tuning = (i: number): TabuTuning => {
    const t = options.tabu ?? {};
    return Array.isArray(t) ? (t[i % t.length] ?? {}) : t;
  };
  const spec = (i: number): StreamSpec => ({ problem: c, engine, seed: streamSeed(seed, i), tuning: tuning(i) });
  // Stream 0 runs here; the others in workers when possible (started now, booting while we work).
  const abort = new Int32Array(new SharedArrayBuffer(4));
  const onAbort = (): void => {
    Atomics.store(abort, 0, 1);
  };
  options.signal?.addEventListener('abort', onAbort);
  const runners: StreamRunner[] = [new InThreadRunner(spec(0))];
  for (let i = 1; i < threads; i++) {
    runners.push((options.useWorkers === false ? null : WorkerRunner.start(spec(i), abort)) ?? new InThreadRunner(spec(i)));
  }

  const values = new Float64Array(threads).fill(Infinity);
  let bestSnapshot: Int32Array | null = null;
  let bestValue = Infinity;
  let iterations = 0;
  let perStream = 0;
  let stopReason: StopReason = 'timeLimit';
  const exchangeEvery = Math.max(1, options.exchangeEvery ?? DEFAULT_EXCHANGE_EVERY);
  const epoch = EPOCH_ITERATIONS[engine];
  const runRound = async (i: number, budget: number): Promise<RoundReport> => {
    const r = runners[i]!;
    if (r instanceof InThreadRunner) return r.runNow(budget, deadline, clock);
    try {
      return await r.runRound(budget, deadline, clock);
    } catch (err) {
      if (!(err instanceof WorkerUnavailableError)) throw err;
      // Same seed and budgets here: the result is the one the worker would have given.
      await r.close();
      runners[i] = new InThreadRunner(spec(i));
      return (runners[i] as InThreadRunner).runNow(budget, deadline, clock);
    }
  };
  try {
    for (;;) {
      const budget = Math.min(epoch * exchangeEvery, (options.maxIterations ?? Infinity) - perStream);
      if (budget <= 0) {
        stopReason = 'iterations';
        break;
      }
      // A round: workers run it in one go; stream 0 runs it here epoch by epoch, reporting progress.
      const pending = runners.map((r, i) => (i === 0 || r instanceof InThreadRunner ? null : runRound(i, budget)));
      const main = runners[0] as InThreadRunner;
      const first: RoundReport = { ran: 0, exhausted: false, bestValue: Infinity, snapshot: null };
      while (first.ran < budget) {
        const rep = main.runNow(Math.min(epoch, budget - first.ran), deadline, clock);
        first.ran += rep.ran;
        first.bestValue = rep.bestValue;
        if (rep.snapshot) first.snapshot = rep.snapshot;
        options.onProgress?.({
          elapsedMs: now() - t0,
          iterations: iterations + first.ran,
          bestObjective: Math.min(bestValue, rep.bestValue),
          lowerBound,
        });
        if (rep.exhausted) first.exhausted = true;
        if (rep.exhausted || clock() >= deadline) break;
      }
      const reports: RoundReport[] = [first];
      for (let i = 1; i < runners.length; i++) reports.push(await (pending[i] ?? runRound(i, budget)));
      let finished = false;
      reports.forEach((rep, i) => {
        iterations += rep.ran;
        values[i] = rep.bestValue;
        if (rep.snapshot && rep.bestValue < bestValue) {
          bestValue = rep.bestValue;
          bestSnapshot = rep.snapshot;
        }
        if (rep.exhausted) finished = true;
      });
      perStream += budget;
      if (bestValue <= lowerBound) {
        stopReason = 'lowerBound';
        break;
      }
      if (options.signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
      if (now() >= deadline) break;
      if (finished) {
        stopReason = 'exhausted';
        break;
      }
      runners.forEach((r, i) => {
        if (values[i]! > bestValue) r.offer(bestSnapshot!, bestValue);
      });
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.all(runners.map((r) => r.close()));
  }
  const schedule = toSchedule(problem, c, placementOf(c, engine, bestSnapshot!));
  return {
    schedule,
    objective: schedule.objective.value,
    makespan: schedule.makespan,
    lowerBound,
    engine,
    streams: threads,
    iterations,
    elapsedMs: now() - t0,
    stopReason,
  };
}

function toSchedule(problem: Problem, c: CompiledProblem, p: Placement): Schedule {
  const operations: Schedule['operations'] = [];
  let makespan = 0;
  for (let o = 0; o < c.nOps; o++) {
    const end = p.start[o]! + p.duration[o]!;
    makespan = Math.max(makespan, end);
    operations.push({
      job: c.jobIds[c.opJob[o]!]!,
      operation: c.opIndex[o]!,
      machine: c.machineIds[p.machine[o]!]!,
      start: p.start[o]!,
      end,
    });
  }
  return { version: PROBLEM_VERSION, operations, makespan, objective: { kind: problem.objective.kind, value: objectiveOf(c, p, makespan) } };
}

function objectiveOf(c: CompiledProblem, p: Placement, makespan: number): number {
  if (c.objective === 'makespan') return makespan;
  let value = 0;
  if (c.objective === 'weightedTardiness') {
    for (let j = 0; j < c.nJobs; j++) {
      if (c.due[j]! < 0) continue;
      const last = c.jobFirst[j + 1]! - 1;
      value += c.weight[j]! * Math.max(0, p.start[last]! + p.duration[last]! - c.due[j]!);
    }
    return value;
  }
  for (let o = 0; o < c.nOps; o++) {
    if (c.currentMachine[o]! < 0) continue;
    value += Math.abs(p.start[o]! - c.currentStart[o]!) + (c.currentMachine[o] === p.machine[o] ? 0 : c.machineChangeCost);
  }
  return value;
}
