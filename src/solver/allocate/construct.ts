import type { AllocationProblem, Job, Pool } from './jobs.js';
import type { RoundSchedule } from './schedule.js';
import type { PoolClaims } from './score.js';
import { compareScores, poolTargets, scorePool } from './score.js';

/** Within a tenant: its own first choices first, then the longest (harder to fit later), then submission. */
export function compareWithinTenant(a: Job, b: Job): number {
  return b.request.priority - a.request.priority || b.minutes - a.minutes || a.index - b.index;
}

/**
 * Pinned requests first, whatever the shares: at their pinned slot when it still fits, else at the
 * best free start. A pin that fits nowhere stays out (its reason says why).
 */
export function placePins(schedule: RoundSchedule, jobs: readonly Job[]): void {
  for (const job of jobs) {
    const pin = job.request.pinned;
    if (pin === undefined || job.dropped) continue;
    const wanted = pin.slot;
    const there =
      wanted === undefined
        ? undefined
        : schedule.bestSlot(job, { toolId: wanted.toolId, from: wanted.start, to: wanted.start });
    const at = there ?? schedule.bestSlot(job);
    if (at !== undefined) schedule.grant(job, at, true);
  }
}

/**
 * The first answer, in the fair order: the class furthest below its target share (granted minutes
 * over share) takes the next turn; within it the tenant with the fewest granted minutes (higher
 * tenant priority first on a tie); that tenant's next request goes to its best free start, or is
 * passed over when none is left. A class whose requests run out stops taking turns, so its unused
 * share goes to the others.
 */
export function constructFairly(problem: AllocationProblem, pool: Pool, schedule: RoundSchedule): void {
  const queues = new Map<number, Job[]>();
  for (const job of pool.jobs) {
    if (schedule.granted(job) || job.dropped || !job.fitsAlone) continue;
    const queue = queues.get(job.tenant);
    if (queue === undefined) queues.set(job.tenant, [job]);
    else queue.push(job);
  }
  for (const queue of queues.values()) queue.sort(compareWithinTenant);
  for (;;) {
    let next: Job | undefined;
    let nextKey: readonly number[] = [];
    for (const queue of queues.values()) {
      const job = queue[0];
      if (job === undefined) continue;
      const key = turnKey(problem, pool, schedule, job);
      if (next === undefined || compareKeys(key, nextKey) < 0) {
        next = job;
        nextKey = key;
      }
    }
    if (next === undefined) return;
    queues.get(next.tenant)!.shift();
    const at = schedule.bestSlot(next);
    if (at !== undefined) schedule.grant(next, at);
  }
}

/** Lower goes first: classes with a share before those without, then minutes over share, then tenants. */
function turnKey(problem: AllocationProblem, pool: Pool, schedule: RoundSchedule, job: Job): number[] {
  const share = problem.shares[job.cls]!;
  const classMinutes = schedule.minutesOf(pool.index, job.cls);
  return [
    share > 0 ? 0 : 1,
    share > 0 ? classMinutes / share : classMinutes,
    schedule.tenantMinutesOf(pool.index, job.tenant),
    -job.tenantPriority,
    job.index,
  ];
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * Grants every left-out request that still has a free start and does not take its pool further from
 * the shares than the tolerance allows, classes furthest below their target first; passes repeat
 * until one grants nothing. After it, a request left out that has a start was kept out by its share.
 */
export function fillLeftOut(
  problem: AllocationProblem,
  pool: Pool,
  schedule: RoundSchedule,
  claims: PoolClaims,
): number {
  let current = scorePool(problem, pool, schedule, claims);
  let added = 0;
  for (let pass = true; pass;) {
    pass = false;
    const { granted, targets } = poolTargets(problem, pool, schedule);
    const total = granted.reduce((a, b) => a + b, 0) || 1;
    const deficit = (job: Job) => granted[job.cls]! / total - targets[job.cls]!;
    const waiting = pool.jobs
      .filter((job) => schedule.wantsMore(job))
      .sort(
        (a, b) =>
          deficit(a) - deficit(b) ||
          schedule.tenantMinutesOf(pool.index, a.tenant) - schedule.tenantMinutesOf(pool.index, b.tenant) ||
          b.tenantPriority - a.tenantPriority ||
          compareWithinTenant(a, b),
      );
    for (const job of waiting) {
      if (!schedule.wantsMore(job)) continue;
      const at = schedule.bestSlot(job);
      if (at === undefined) continue;
      const mark = schedule.mark();
      schedule.grant(job, at);
      const score = scorePool(problem, pool, schedule, claims);
      if (compareScores(score, current) < 0) {
        current = score;
        added++;
        pass = true;
      } else {
        schedule.rollbackTo(mark);
      }
    }
  }
  return added;
}

/**
 * Takes grants back from classes above their target while that brings the pool closer to the shares:
 * each step removes the one unpinned grant whose removal helps most (construction lets a class run
 * on when the others have nothing left to try; here the shares catch up with it).
 */
export function trimOverServed(
  problem: AllocationProblem,
  pool: Pool,
  schedule: RoundSchedule,
  claims: PoolClaims,
): number {
  let current = scorePool(problem, pool, schedule, claims);
  let removed = 0;
  while (current.excess > 0) {
    const { granted, targets } = poolTargets(problem, pool, schedule);
    const total = granted.reduce((a, b) => a + b, 0);
    let best: { job: Job; score: ReturnType<typeof scorePool> } | undefined;
    for (const job of pool.jobs) {
      if (
        !schedule.granted(job) ||
        schedule.pinned[job.index] ||
        granted[job.cls]! / total <= targets[job.cls]!
      )
        continue;
      const mark = schedule.mark();
      schedule.revoke(job);
      const score = scorePool(problem, pool, schedule, claims);
      schedule.rollbackTo(mark);
      if (
        score.excess < current.excess - 1e-6 &&
        (best === undefined || compareScores(score, best.score) < 0)
      )
        best = { job, score };
    }
    if (best === undefined) return removed;
    schedule.revoke(best.job);
    current = best.score;
    removed++;
  }
  return removed;
}
