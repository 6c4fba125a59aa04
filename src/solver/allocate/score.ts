import { TENANT_CLASSES } from './model.js';
import type { AllocationProblem, Pool } from './jobs.js';
import type { RoundSchedule } from './schedule.js';
import { effectiveTargets, fairSplit } from './shares.js';

/**
 * How good a pool's allocation is, compared in this order: the share excess (over the classes, the
 * part of each one's distance from its target beyond what it is allowed, times the minutes granted),
 * then the granted minutes, then how unevenly the tenants of each class
 * are served against their fair parts (sum of squared hours off).
 */
export interface PoolScore {
  readonly excess: number;
  readonly minutes: number;
  readonly unfair: number;
}

/** Negative when a is better than b. */
export function compareScores(a: PoolScore, b: PoolScore): number {
  if (Math.abs(a.excess - b.excess) > 1e-6) return a.excess - b.excess;
  if (a.minutes !== b.minutes) return b.minutes - a.minutes;
  if (Math.abs(a.unfair - b.unfair) > 1e-6) return a.unfair - b.unfair;
  return 0;
}

/** What each tenant of a pool could use at most: the requests that fit alone, within its quota. */
export interface PoolClaims {
  /** Tenant indexes per class index. */
  readonly tenantsByClass: readonly (readonly number[])[];
  /** Minutes per tenant index (0 for tenants without requests here). */
  readonly caps: readonly number[];
  /** Per class, its shortest request here: a class can only get as close to its target as half of it. */
  readonly shortest: readonly number[];
}

export function poolClaims(problem: AllocationProblem, pool: Pool, schedule: RoundSchedule): PoolClaims {
  const caps = problem.tenants.map(() => 0);
  const quota = problem.tenants.map(() => Infinity);
  const tenantsByClass: number[][] = TENANT_CLASSES.map(() => []);
  const shortest = TENANT_CLASSES.map(() => Infinity);
  for (const job of pool.jobs) {
    if (!tenantsByClass[job.cls]!.includes(job.tenant)) tenantsByClass[job.cls]!.push(job.tenant);
    if (job.dropped || !job.fitsAlone) continue;
    shortest[job.cls] = Math.min(shortest[job.cls]!, job.minutes);
    caps[job.tenant]! += job.minutes;
    const context = job.contexts[0];
    const limit = context?.policy.weeklyQuotaMinutes[TENANT_CLASSES[job.cls]!] ?? Infinity;
    if (context !== undefined && limit !== Infinity) {
      const weeks = schedule.state.quota.weeksOf(job.request.tenantId, context.tool.type);
      let used = 0;
      for (const minutes of weeks?.values() ?? []) used = Math.max(used, minutes);
      quota[job.tenant] = Math.max(0, limit - used);
    }
  }
  return { tenantsByClass, caps: caps.map((c, t) => Math.min(c, quota[t]!)), shortest };
}

export function scorePool(
  problem: AllocationProblem,
  pool: Pool,
  schedule: RoundSchedule,
  claims: PoolClaims,
): PoolScore {
  const { granted, targets } = poolTargets(problem, pool, schedule);
  const minutes = granted.reduce((a, b) => a + b, 0);
  const excess = shareExcess(problem, claims, granted, targets);
  let unfair = 0;
  claims.tenantsByClass.forEach((tenants, cls) => {
    if (tenants.length < 2) return;
    const fair = fairSplit(
      granted[cls]!,
      tenants.map((t) => claims.caps[t]!),
    );
    tenants.forEach((t, i) => {
      const off = (schedule.tenantMinutesOf(pool.index, t) - fair[i]!) / 60;
      unfair += off * off;
    });
  });
  return { excess, minutes, unfair };
}

/** Over the classes, how far each strays from its target beyond what it may, times the minutes granted. */
export function shareExcess(
  problem: AllocationProblem,
  claims: PoolClaims,
  granted: readonly number[],
  targets: readonly number[],
): number {
  const minutes = granted.reduce((a, b) => a + b, 0);
  if (minutes <= 0) return 0;
  let excess = 0;
  granted.forEach((g, c) => {
    const off = Math.abs(g / minutes - targets[c]!) - allowedDeviation(problem, claims, c, minutes);
    if (off > 0) excess += off * minutes;
  });
  return excess;
}

/**
 * How far (a fraction) the class may stray from its target: the round's tolerance, or half its
 * shortest request when that is coarser (no allocation gets closer with requests that long).
 */
export function allowedDeviation(
  problem: AllocationProblem,
  claims: PoolClaims,
  cls: number,
  poolMinutes: number,
): number {
  const half = claims.shortest[cls]! / 2 / Math.max(1, poolMinutes);
  return Math.max(problem.tolerance, Number.isFinite(half) ? half : 0);
}

/** The pool's granted minutes per class, whether each class is satisfied, and the effective targets. */
export function poolTargets(problem: AllocationProblem, pool: Pool, schedule: RoundSchedule) {
  const granted = TENANT_CLASSES.map((_, c) => schedule.minutesOf(pool.index, c));
  const satisfied = TENANT_CLASSES.map(() => true);
  for (const job of pool.jobs) if (satisfied[job.cls] && schedule.wantsMore(job)) satisfied[job.cls] = false;
  return { granted, satisfied, targets: effectiveTargets(problem.shares, granted, satisfied) };
}
