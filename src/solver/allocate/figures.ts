import type { AllocationProblem, Pool } from './jobs.js';
import type { AllocationFigures, ClassFigures, PoolFigures, TenantFigures } from './model.js';
import { TENANT_CLASSES } from './model.js';
import type { RoundSchedule } from './schedule.js';
import type { PoolClaims } from './score.js';
import { poolTargets } from './score.js';
import { fairSplit, jainIndex, shareDeviation } from './shares.js';

const pct = (fraction: number) => Math.round(fraction * 10_000) / 100;

/** Free minutes on the pool's tools across its requests' windows, before the round (read before any grant). */
export function freeMinutesOf(pool: Pool): number {
  if (pool.jobs.length === 0) return 0;
  const from = Math.min(...pool.jobs.map((j) => j.request.earliestStart));
  const to = Math.max(...pool.jobs.map((j) => j.request.latestEnd));
  let free = 0;
  for (const { timeline } of pool.tools) {
    let cursor = from;
    for (const footprint of timeline.overlapping(from, to)) {
      if (footprint.start > cursor) free += Math.min(footprint.start, to) - cursor;
      cursor = Math.max(cursor, footprint.until);
    }
    if (cursor < to) free += to - cursor;
  }
  return free;
}

/** The fairness figures of the schedule as it stands (the round's, or first come first served's). */
export function figuresOf(
  problem: AllocationProblem,
  schedule: RoundSchedule,
  claims: readonly PoolClaims[],
  freeMinutes: readonly number[],
): AllocationFigures {
  const requested = (pool: Pool, cls: number) =>
    pool.jobs.filter((j) => j.cls === cls && !j.dropped).reduce((sum, j) => sum + j.minutes, 0);
  const tenantFair = problem.tenants.map(() => 0);
  const pools: PoolFigures[] = problem.pools.map((pool) => {
    const { granted, satisfied, targets } = poolTargets(problem, pool, schedule);
    const total = granted.reduce((a, b) => a + b, 0);
    claims[pool.index]!.tenantsByClass.forEach((tenants, cls) => {
      const fair = fairSplit(
        granted[cls]!,
        tenants.map((t) => claims[pool.index]!.caps[t]!),
      );
      tenants.forEach((t, i) => (tenantFair[t]! += fair[i]!));
    });
    return {
      toolType: pool.toolType,
      freeMinutes: freeMinutes[pool.index]!,
      grantedMinutes: total,
      deviationPts: pct(shareDeviation(granted, targets)),
      classes: TENANT_CLASSES.map((tenantClass, c): ClassFigures => ({
        tenantClass,
        targetPct: pct(problem.shares[c]!),
        effectiveTargetPct: pct(targets[c]!),
        requestedMinutes: requested(pool, c),
        grantedMinutes: granted[c]!,
        grantedPct: total > 0 ? pct(granted[c]! / total) : 0,
        satisfied: satisfied[c]!,
      })),
    };
  });
  const grantedMinutes = pools.reduce((sum, p) => sum + p.grantedMinutes, 0);
  const classes = TENANT_CLASSES.map((tenantClass, c): ClassFigures => {
    const granted = pools.reduce((sum, p) => sum + p.classes[c]!.grantedMinutes, 0);
    const target = pools.reduce(
      (sum, p) => sum + (p.classes[c]!.effectiveTargetPct / 100) * p.grantedMinutes,
      0,
    );
    return {
      tenantClass,
      targetPct: pct(problem.shares[c]!),
      effectiveTargetPct: grantedMinutes > 0 ? pct(target / grantedMinutes) : pct(problem.shares[c]!),
      requestedMinutes: pools.reduce((sum, p) => sum + p.classes[c]!.requestedMinutes, 0),
      grantedMinutes: granted,
      grantedPct: grantedMinutes > 0 ? pct(granted / grantedMinutes) : 0,
      satisfied: pools.every((p) => p.classes[c]!.satisfied),
    };
  });
  const tenants: TenantFigures[] = problem.tenants.map((tenant, t) => {
    const jobs = problem.jobs.filter((j) => j.tenant === t && !j.dropped);
    return {
      tenantId: tenant.id,
      tenantClass: TENANT_CLASSES[tenant.cls]!,
      requestedMinutes: jobs.reduce((sum, j) => sum + j.minutes, 0),
      grantedMinutes: jobs.filter((j) => schedule.granted(j)).reduce((sum, j) => sum + j.minutes, 0),
      fairMinutes: Math.round(tenantFair[t]!),
    };
  });
  const served = tenants
    .filter((_, i) => tenantFair[i]! > 0)
    .map((t) => t.grantedMinutes / Math.max(1, t.fairMinutes));
  const deviation =
    grantedMinutes > 0 ? Math.max(...classes.map((c) => Math.abs(c.grantedPct - c.effectiveTargetPct))) : 0;
  return {
    requestedMinutes: tenants.reduce((sum, t) => sum + t.requestedMinutes, 0),
    grantedMinutes,
    requests: problem.jobs.length,
    granted: problem.jobs.filter((j) => schedule.granted(j)).length,
    shareDeviationPts: Math.round(deviation * 100) / 100,
    maxPoolDeviationPts: Math.max(0, ...pools.map((p) => p.deviationPts)),
    jainIndex: Math.round(jainIndex(served) * 10_000) / 10_000,
    classes,
    pools,
    tenants,
  };
}
