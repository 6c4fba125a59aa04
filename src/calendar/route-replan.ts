import type { LotRow } from '../data/lot-view.js';
import type { QtimeAlert } from '../domain/lot.js';
import { stableHash } from '../domain/stable-hash.js';
import { minuteFromDate } from '../domain/time.js';
import type { Lot, LotStep } from '../generated/prisma/client.js';
import type { ContaminationGroup, Material, WaferSize } from '../solver/model.js';
import type { SolverState } from '../solver/state.js';
import { planRoute, type RoutePlan, type RouteStep } from './lot-plan.js';

// The rest of a lot's route planned again, as one route: after a step ended late, or when
// maintenance takes a step's slot. Shared by both so the two agree on Q-times and alerts.

export type LotStepRow = LotRow['steps'][number];

export function routeStep(step: LotStep, lot: Pick<Lot, 'contaminationGroup'>): RouteStep {
  return {
    seq: step.seq,
    name: step.name,
    toolTypeId: step.toolTypeId,
    durationMin: step.durationMin,
    minLagToNextMin: step.minLagToNextMin,
    maxLagToNextMin: step.maxLagToNextMin,
    contaminationGroup: (step.contaminationGroup ?? lot.contaminationGroup) as ContaminationGroup,
  };
}

/** The step that ran (or runs) before the ones to plan, and when it ended (or ends). */
export interface RouteAnchor {
  step: LotStepRow;
  end: number;
}

/** The steps not started yet: held or confirmed, after the last one that ran or runs. */
export function stepsToPlan(lot: LotRow): { anchor: LotStepRow | null; steps: LotStepRow[] } {
  const started = lot.steps.filter((s) => s.booking && ['in_use', 'completed'].includes(s.booking.state));
  const anchor = started.at(-1) ?? null;
  const steps = lot.steps.filter(
    (s) => s.booking && ['held', 'confirmed'].includes(s.booking.state) && (!anchor || s.seq > anchor.seq),
  );
  return { anchor, steps };
}

/**
 * Plans `steps` of the lot (in order; their bookings must not be on `state`) as one route within
 * the lot's window and Q-times, as close to their current slots as the calendar allows.
 */
export async function replanRoute(
  lot: LotRow,
  steps: readonly LotStepRow[],
  anchor: RouteAnchor | null,
  state: SolverState,
  options: { now: number; timeLimitMs: number },
): Promise<RoutePlan> {
  const latestEnd = minuteFromDate(lot.latestEnd);
  return planRoute(
    {
      tenantId: lot.tenantId,
      userId: lot.userId,
      material: lot.material as Material,
      waferSize: lot.waferSize as WaferSize,
      steps: steps.map((s) => routeStep(s, lot)),
      earliestStart: anchor ? anchor.end : minuteFromDate(lot.earliestStart),
      latestEnd,
      ...(anchor ? { after: { end: anchor.end, minLag: anchor.step.minLagToNextMin, maxLag: anchor.step.maxLagToNextMin } } : {}),
      current: new Map(
        steps.map((s) => [
          s.seq,
          { toolId: s.booking!.toolId, start: minuteFromDate(s.booking!.startsAt), end: minuteFromDate(s.booking!.endsAt) },
        ]),
      ),
    },
    state,
    { now: options.now, seed: stableHash(lot.requestId), timeLimitMs: options.timeLimitMs },
  );
}

/** The Q-time alert a re-plan raises after a step that ran: the rest no longer fits, or starts too late. */
export function routeAlert(plan: RoutePlan, anchor: RouteAnchor | null, next: LotStepRow): QtimeAlert | null {
  if (!anchor) return null;
  const limit = anchor.step.maxLagToNextMin;
  if (plan.kind === 'unplaced') {
    return {
      afterSeq: anchor.step.seq,
      nextSeq: next.seq,
      limitMin: limit ?? 0,
      exceededByMin: 0,
      detail: `The rest of the route no longer fits: ${describeUnplaced(plan)}`,
    };
  }
  if (plan.qtimeExceededByMin > 0 && limit !== null) {
    return {
      afterSeq: anchor.step.seq,
      nextSeq: next.seq,
      limitMin: limit,
      exceededByMin: plan.qtimeExceededByMin,
      detail: `Step ${next.seq} (${next.name}) can start ${plan.qtimeExceededByMin} min after its Q-time limit of ${limit} min`,
    };
  }
  return null;
}

/** Why a route does not fit, in a sentence per step. */
export function describeUnplaced(plan: Extract<RoutePlan, { kind: 'unplaced' }>): string {
  return plan.explanation
    .map((e) => {
      const codes = [...new Set(e.tools.flatMap((t) => t.reasons.map((r) => r.code)))];
      return `step ${e.seq} ${e.name}: ${e.detail ?? (codes.length ? codes.join(', ') : 'no tool')}`;
    })
    .join('; ');
}
