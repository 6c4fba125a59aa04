import type { Prng } from '../generate/prng.js';
import { compareWithinTenant } from './construct.js';
import type { AllocationProblem, Job, Pool } from './jobs.js';
import type { RoundSchedule } from './schedule.js';
import type { PoolClaims, PoolScore } from './score.js';
import { compareScores, poolTargets, scorePool, shareExcess } from './score.js';

export interface LnsBudget {
  readonly iterations: number;
  readonly shouldStop: () => boolean;
}

/** Left-out requests offered to each neighbourhood besides the ones it took out. */
const SAMPLE = 10;
/** How far around a grant a neighbourhood may reach, in minutes. */
const REACH = 24 * 60;

/**
 * Large-neighbourhood search on one pool: take the grants out of a stretch of one tool (or a few of
 * a class above its target), put back what fits — the ones taken out and a sample of those left out,
 * in the fair order or shuffled — and keep the result when the pool's score is no worse. Returns the
 * iterations run.
 */
export function improvePoolByLns(
  problem: AllocationProblem,
  pool: Pool,
  schedule: RoundSchedule,
  claims: PoolClaims,
  rng: Prng,
  budget: LnsBudget,
): number {
  if (pool.tools.length === 0 || pool.jobs.length === 0) return 0;
  let current = scorePool(problem, pool, schedule, claims);
  let done = 0;
  for (; done < budget.iterations && !budget.shouldStop(); done++) {
    const mark = schedule.mark();
    const taken =
      current.excess > 0 && rng.chance(0.3)
        ? takeFromOverServed(problem, pool, schedule, rng)
        : takeStretch(pool, schedule, rng);
    const offered = sampleLeftOut(pool, schedule, taken, rng);
    const order = [...taken.jobs, ...offered];
    if (rng.chance(0.5)) sortFairly(problem, pool, schedule, order);
    else shuffle(order, rng);
    putBack(problem, pool, schedule, claims, order);
    const score: PoolScore = scorePool(problem, pool, schedule, claims);
    if (compareScores(score, current) <= 0) {
      current = score;
      schedule.commit();
    } else {
      schedule.rollbackTo(mark);
    }
  }
  return done;
}

/**
 * Grants each job that has a free start, unless it would take its pool further from the shares than
 * allowed (read against the targets as they were, which is cheap; the score judges the whole move).
 */
function putBack(
  problem: AllocationProblem,
  pool: Pool,
  schedule: RoundSchedule,
  claims: PoolClaims,
  jobs: readonly Job[],
): void {
  const { granted, targets } = poolTargets(problem, pool, schedule);
  let excess = shareExcess(problem, claims, granted, targets);
  for (const job of jobs) {
    if (schedule.granted(job)) continue;
    granted[job.cls]! += job.minutes;
    const after = shareExcess(problem, claims, granted, targets);
    if (after > excess + 1e-9) {
      granted[job.cls]! -= job.minutes;
      continue;
    }
    const at = schedule.bestSlot(job);
    if (at === undefined) {
      granted[job.cls]! -= job.minutes;
      continue;
    }
    schedule.grant(job, at);
    excess = after;
  }
}

interface Taken {
  readonly jobs: Job[];
  readonly toolId: string | undefined;
  readonly from: number;
  readonly to: number;
}

/** The unpinned grants on one tool overlapping a stretch around a random grant there. */
function takeStretch(pool: Pool, schedule: RoundSchedule, rng: Prng): Taken {
  const tool = rng.pick(pool.tools).tool.id;
  const onTool = pool.jobs.filter(
    (j) => schedule.slotOf[j.index]?.toolId === tool && !schedule.pinned[j.index],
  );
  if (onTool.length === 0) return { jobs: [], toolId: tool, from: -Infinity, to: Infinity };
  const centre = schedule.slotOf[rng.pick(onTool).index]!;
  const from = centre.start - rng.int(0, REACH);
  const to = centre.start + rng.int(0, REACH);
  const jobs = onTool.filter((j) => {
    const at = schedule.slotOf[j.index]!;
    return at.start < to && at.start + j.minutes > from;
  });
  for (const job of jobs) schedule.revoke(job);
  return { jobs, toolId: tool, from, to };
}

/** One or two unpinned grants of a class above its effective target. */
function takeFromOverServed(
  problem: AllocationProblem,
  pool: Pool,
  schedule: RoundSchedule,
  rng: Prng,
): Taken {
  const { granted, targets } = poolTargets(problem, pool, schedule);
  const total = granted.reduce((a, b) => a + b, 0) || 1;
  const over = pool.jobs.filter(
    (j) => schedule.granted(j) && !schedule.pinned[j.index] && granted[j.cls]! / total > targets[j.cls]!,
  );
  if (over.length === 0) return { jobs: [], toolId: undefined, from: -Infinity, to: Infinity };
  const jobs = [rng.pick(over)];
  if (over.length > 1 && rng.chance(0.5)) {
    const second = rng.pick(over);
    if (second !== jobs[0]) jobs.push(second);
  }
  const at = schedule.slotOf[jobs[0]!.index]!;
  for (const job of jobs) schedule.revoke(job);
  return { jobs, toolId: at.toolId, from: at.start - REACH, to: at.start + REACH };
}

/** A few left-out requests that want more time and could use the stretch just freed. */
function sampleLeftOut(pool: Pool, schedule: RoundSchedule, taken: Taken, rng: Prng): Job[] {
  const fits = (job: Job) =>
    !taken.jobs.includes(job) &&
    job.request.earliestStart < taken.to &&
    job.request.latestEnd > taken.from &&
    (taken.toolId === undefined || job.contexts.some((c) => c.tool.id === taken.toolId)) &&
    schedule.wantsMore(job);
  const candidates = pool.jobs.filter(fits);
  if (candidates.length <= SAMPLE) return candidates;
  shuffle(candidates, rng);
  return candidates.slice(0, SAMPLE);
}

function sortFairly(problem: AllocationProblem, pool: Pool, schedule: RoundSchedule, jobs: Job[]): void {
  const { granted, targets } = poolTargets(problem, pool, schedule);
  const total = granted.reduce((a, b) => a + b, 0) || 1;
  jobs.sort(
    (a, b) =>
      granted[a.cls]! / total - targets[a.cls]! - (granted[b.cls]! / total - targets[b.cls]!) ||
      schedule.tenantMinutesOf(pool.index, a.tenant) - schedule.tenantMinutesOf(pool.index, b.tenant) ||
      compareWithinTenant(a, b),
  );
}

function shuffle<T>(items: T[], rng: Prng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
