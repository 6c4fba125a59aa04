import type { Demand } from '../eligibility.js';
import { assessTool } from '../eligibility.js';
import { SolverInputError } from '../errors.js';
import type { PlacementRequest, TenantClass, ToolExplanation } from '../model.js';
import { explainRequest } from '../place.js';
import type { SetupKey } from '../setup.js';
import { setupKeyOf } from '../setup.js';
import type { SolverState, ToolContext } from '../state.js';
import { compareIds } from '../state.js';
import { earliestSlot } from '../timeline.js';
import type { AllocationInput, AllocationRequest } from './model.js';
import { TENANT_CLASSES } from './model.js';

/** One request of the round with everything the search needs about it, resolved once. */
export interface Job {
  readonly index: number;
  readonly request: AllocationRequest;
  readonly pool: number;
  readonly cls: number;
  readonly tenant: number;
  /** The tenant's priority on this tool type (the policy's per class, else the tenant's own). */
  readonly tenantPriority: number;
  readonly minutes: number;
  readonly setup: SetupKey;
  readonly demand: Demand;
  /** The tools it may use, in id order (known tools of its type, restricted to its list). */
  readonly contexts: readonly ToolContext[];
  readonly placement: PlacementRequest;
  /** It has a free start on the calendar as it was before the round. */
  readonly fitsAlone: boolean;
  /** Rules alone rule it out (no time of its window survives them on any tool). */
  readonly blockedByRule: boolean;
  /** What blocked it before the round, when it did not fit alone. */
  readonly aloneExplanation: readonly ToolExplanation[];
  readonly dropped: boolean;
}

/** The jobs of one tool type, allocated together: shares are counted per pool. */
export interface Pool {
  readonly index: number;
  readonly toolType: string;
  readonly tools: readonly ToolContext[];
  readonly jobs: readonly Job[];
}

export interface AllocationProblem {
  readonly input: AllocationInput;
  readonly jobs: readonly Job[];
  readonly pools: readonly Pool[];
  readonly tenants: readonly { readonly id: string; readonly cls: number }[];
  /** Target share per class index, as fractions adding up to 1. */
  readonly shares: readonly number[];
  readonly tolerance: number;
}

/** Reads the round's requests against the calendar before the round (the state as given). */
export function buildAllocationProblem(input: AllocationInput, state: SolverState): AllocationProblem {
  const seen = new Set<string>();
  const poolIndex = new Map<string, number>();
  const tenantIndex = new Map<string, number>();
  const tenants: { id: string; cls: number }[] = [];
  const poolJobs: Job[][] = [];
  const poolTypes: string[] = [];
  const jobs: Job[] = [];
  const requests = [...input.requests].sort((a, b) => a.order - b.order || compareIds(a.id, b.id));
  for (const request of requests) {
    if (seen.has(request.id)) throw new SolverInputError(`duplicate request ${request.id}`);
    seen.add(request.id);
    const tenant = state.tenant(request.tenantId);
    let pool = poolIndex.get(request.toolType);
    if (pool === undefined) {
      pool = poolTypes.length;
      poolIndex.set(request.toolType, pool);
      poolTypes.push(request.toolType);
      poolJobs.push([]);
    }
    let t = tenantIndex.get(tenant.id);
    if (t === undefined) {
      t = tenants.length;
      tenantIndex.set(tenant.id, t);
      tenants.push({ id: tenant.id, cls: TENANT_CLASSES.indexOf(tenant.class) });
    }
    const job = buildJob(jobs.length, request, pool, t, tenant.class, tenant.priority, state, input.now);
    jobs.push(job);
    poolJobs[pool]!.push(job);
  }
  const pools = poolTypes.map((toolType, index): Pool => ({
    index,
    toolType,
    tools: state.toolsByType.get(toolType) ?? [],
    jobs: poolJobs[index]!,
  }));
  const shares = TENANT_CLASSES.map((c) => input.shares[c] / 100);
  return { input, jobs, pools, tenants, shares, tolerance: input.shareTolerancePts / 100 };
}

function buildJob(
  index: number,
  request: AllocationRequest,
  pool: number,
  tenant: number,
  tenantClass: TenantClass,
  ownPriority: number,
  state: SolverState,
  now: number,
): Job {
  const ofType = state.toolsByType.get(request.toolType) ?? [];
  const listed = request.toolIds === undefined ? undefined : new Set(request.toolIds);
  const contexts = ofType.filter((c) => listed === undefined || listed.has(c.tool.id));
  const placement: PlacementRequest = {
    id: request.id,
    tenantId: request.tenantId,
    userId: request.userId,
    target:
      request.toolIds === undefined
        ? { kind: 'toolType', toolType: request.toolType }
        : { kind: 'tools', toolIds: [...request.toolIds].sort(compareIds) },
    durationMinutes: request.durationMinutes,
    earliestStart: request.earliestStart,
    latestEnd: request.latestEnd,
    material: request.material,
    waferSize: request.waferSize,
    contaminationGroup: request.contaminationGroup,
  };
  const demand: Demand = {
    tenantId: request.tenantId,
    userId: request.userId,
    durationMinutes: request.durationMinutes,
    material: request.material,
    waferSize: request.waferSize,
    contaminationGroup: request.contaminationGroup,
    earliestStart: request.earliestStart,
    latestEnd: request.latestEnd,
  };
  const setup = setupKeyOf(request.material, request.contaminationGroup);
  let fitsAlone = false;
  let anyOpen = false;
  for (const context of contexts) {
    const assessment = assessTool(demand, context, state, now);
    if (assessment.kind !== 'open' || assessment.ranges.length === 0) continue;
    anyOpen = true;
    for (const range of assessment.ranges) {
      const query = {
        durationMinutes: demand.durationMinutes,
        setup,
        earliestStart: range.from,
        latestStart: range.to,
      };
      if (earliestSlot(context.timeline, query) !== undefined) fitsAlone = true;
    }
    if (fitsAlone) break;
  }
  const policyPriority = contexts[0]?.policy.tenantPriority[tenantClass];
  return {
    index,
    request,
    pool,
    cls: TENANT_CLASSES.indexOf(tenantClass),
    tenant,
    tenantPriority: policyPriority ?? ownPriority,
    minutes: request.durationMinutes,
    setup,
    demand,
    contexts,
    placement,
    fitsAlone,
    blockedByRule: !fitsAlone && !anyOpen,
    aloneExplanation: fitsAlone ? [] : explainRequest(placement, state, now),
    dropped: request.dropped,
  };
}
