import { Prng } from '../generate/prng.js';
import { SOLVER_MODEL_VERSION } from '../model.js';
import { explainRequest, placeBooking } from '../place.js';
import type { SolverState } from '../state.js';
import { constructFairly, fillLeftOut, placePins, trimOverServed } from './construct.js';
import { figuresOf, freeMinutesOf } from './figures.js';
import type { AllocationProblem, Job } from './jobs.js';
import { buildAllocationProblem } from './jobs.js';
import { improvePoolByLns } from './lns.js';
import type { AllocationFigures, AllocationInput, AllocationResult, Grant, LeftOut } from './model.js';
import { TENANT_CLASSES } from './model.js';
import { leftOutWords } from './reasons.js';
import { RoundSchedule } from './schedule.js';
import type { PoolClaims } from './score.js';
import { allowedDeviation, poolClaims, poolTargets } from './score.js';

/** The search after the first answer. Same input and seed, same result, unless `shouldStop` cuts it short. */
export interface AllocationSearchOptions {
  readonly seed?: number;
  /** Large-neighbourhood iterations over all pools together (default 4,000). */
  readonly iterations?: number;
  /** An injected deadline, asked between iterations (the solver reads no clock). */
  readonly shouldStop?: () => boolean;
}

/** Iterations a pool runs before the next pool takes its turn. */
const TURN = 250;

/**
 * Allocates a round's requests jointly on the calendar as it stands (the state is left as found):
 * pins first; then the fair order (the class furthest below its target share, then its tenant with
 * the fewest minutes, takes the next turn), each request at its best-fitting free start; then a
 * large-neighbourhood search that keeps every class within the tolerance of its effective target
 * share and grants as many minutes as fit, serving tenants within a class evenly. Every request left
 * out gets its reason. Shares are counted per tool type; setups, maintenance, quotas, qualifications
 * and policies are the calendar's own rules, checked as each grant goes in.
 */
export function allocateRound(
  input: AllocationInput,
  state: SolverState,
  options: AllocationSearchOptions = {},
): AllocationResult {
  const problem = buildAllocationProblem(input, state);
  const schedule = new RoundSchedule(problem, state);
  const freeMinutes = problem.pools.map(freeMinutesOf);
  const claims = problem.pools.map((pool) => poolClaims(problem, pool, schedule));
  try {
    placePins(schedule, problem.jobs);
    for (const pool of problem.pools) {
      constructFairly(problem, pool, schedule);
      trimOverServed(problem, pool, schedule, claims[pool.index]!);
      fillLeftOut(problem, pool, schedule, claims[pool.index]!);
      schedule.commit();
    }
    const iterations = search(problem, schedule, claims, options);
    for (const pool of problem.pools) fillLeftOut(problem, pool, schedule, claims[pool.index]!);
    schedule.commit();
    return {
      version: SOLVER_MODEL_VERSION,
      grants: grantsOf(schedule),
      leftOut: leftOutOf(problem, schedule, claims),
      figures: figuresOf(problem, schedule, claims, freeMinutes),
      iterations,
    };
  } finally {
    for (const { job } of schedule.grants()) state.remove(job.request.id);
  }
}

function search(
  problem: AllocationProblem,
  schedule: RoundSchedule,
  claims: readonly PoolClaims[],
  options: AllocationSearchOptions,
): number {
  const rng = new Prng(options.seed ?? 1);
  const shouldStop = options.shouldStop ?? (() => false);
  const total = options.iterations ?? 4_000;
  const weights = problem.pools.map((p) => p.jobs.length);
  const all = weights.reduce((a, b) => a + b, 0);
  const budgets = weights.map((w) => (all > 0 ? Math.round((total * w) / all) : 0));
  let ran = 0;
  for (let left = true; left && !shouldStop();) {
    left = false;
    for (const pool of problem.pools) {
      const iterations = Math.min(TURN, budgets[pool.index]!);
      if (iterations <= 0) continue;
      const done = improvePoolByLns(problem, pool, schedule, claims[pool.index]!, rng, {
        iterations,
        shouldStop,
      });
      budgets[pool.index]! -= iterations;
      ran += done;
      left ||= budgets[pool.index]! > 0;
    }
  }
  return ran;
}

function grantsOf(schedule: RoundSchedule): Grant[] {
  return schedule.grants().map(({ job, at, pinned }) => ({
    requestId: job.request.id,
    tenantId: job.request.tenantId,
    toolId: at.toolId,
    start: at.start,
    end: at.start + job.minutes,
    pinned,
  }));
}

/** Each request left out and why, read on the final calendar (every grant in it). */
function leftOutOf(
  problem: AllocationProblem,
  schedule: RoundSchedule,
  claims: readonly PoolClaims[],
): LeftOut[] {
  const now = problem.input.now;
  const out: LeftOut[] = [];
  for (const job of problem.jobs) {
    if (schedule.granted(job)) continue;
    const base = { requestId: job.request.id, tenantId: job.request.tenantId };
    if (job.dropped) {
      out.push({
        ...base,
        reason: 'DROPPED_BY_MANAGER',
        words: leftOutWords('DROPPED_BY_MANAGER'),
        explanation: [],
      });
    } else if (!job.fitsAlone) {
      const reason = job.blockedByRule ? 'BLOCKED_BY_RULE' : 'NO_FREE_TIME';
      out.push({ ...base, reason, words: leftOutWords(reason), explanation: [...job.aloneExplanation] });
    } else if (schedule.bestSlot(job) !== undefined) {
      const share = shareFacts(problem, schedule, claims[job.pool]!, job);
      out.push({
        ...base,
        reason: 'CLASS_SHARE_REACHED',
        words: leftOutWords('CLASS_SHARE_REACHED', share),
        share,
        explanation: [],
      });
    } else {
      const reason = !schedule.quotaAllows(job)
        ? 'QUOTA_REACHED'
        : schedule.fitsBesideOwnClass(job)
          ? 'TAKEN_IN_ROUND'
          : 'TAKEN_WITHIN_CLASS';
      out.push({
        ...base,
        reason,
        words: leftOutWords(reason),
        explanation: explainRequest(job.placement, schedule.state, now),
      });
    }
  }
  return out;
}

function shareFacts(problem: AllocationProblem, schedule: RoundSchedule, claims: PoolClaims, job: Job) {
  const pool = problem.pools[job.pool]!;
  const { granted, targets } = poolTargets(problem, pool, schedule);
  const total = granted.reduce((a, b) => a + b, 0);
  const round = (fraction: number) => Math.round(fraction * 10_000) / 100;
  return {
    tenantClass: TENANT_CLASSES[job.cls]!,
    toolType: pool.toolType,
    targetPct: round(targets[job.cls]!),
    grantedPct: total > 0 ? round(granted[job.cls]! / total) : 0,
    wouldBePct: round((granted[job.cls]! + job.minutes) / (total + job.minutes)),
    tolerancePts: round(allowedDeviation(problem, claims, job.cls, total)),
  };
}

/**
 * First come, first served on the same calendar, for comparison: each request in submission order
 * takes the best option online placement offers it (the earliest free start). The state is left as found.
 */
export function allocateFirstComeFirstServed(
  input: AllocationInput,
  state: SolverState,
): { grants: Grant[]; figures: AllocationFigures } {
  const problem = buildAllocationProblem(input, state);
  const schedule = new RoundSchedule(problem, state);
  const freeMinutes = problem.pools.map(freeMinutesOf);
  const claims = problem.pools.map((pool) => poolClaims(problem, pool, schedule));
  try {
    for (const job of problem.jobs) {
      if (job.dropped || job.contexts.length === 0) continue;
      const result = placeBooking(job.placement, state, input.now, { maxOptions: 1 });
      if (result.status === 'feasible') {
        const option = result.options[0]!;
        schedule.grant(job, { toolId: option.toolId, start: option.start });
      }
    }
    schedule.commit();
    return { grants: grantsOf(schedule), figures: figuresOf(problem, schedule, claims, freeMinutes) };
  } finally {
    for (const { job } of schedule.grants()) state.remove(job.request.id);
  }
}
