import { planRoute } from '../../src/calendar/lot-plan.js';
import type { Tx } from '../../src/data/db.js';
import type { LotRow } from '../../src/data/lot-view.js';
import type { QtimeAlert } from '../../src/domain/lot.js';
import { stableHash } from '../../src/domain/stable-hash.js';
import { dateFromMinute, minuteAtOrAfter, minuteFromDate } from '../../src/domain/time.js';
import type { Lot } from '../../src/generated/prisma/client.js';
import type { Material, WaferSize } from '../../src/solver/model.js';
import type { ActivityDeps } from '../deps.js';
import { recordChange } from '../records.js';
import { routeState, routeStep, slotData, toLotOwner } from './rows.js';

/** The optimizer's budget per lot placement (it stops earlier when the plan is provably best). */
export const defaultLotPlanTimeLimitMs = 500;

/** Re-plans the steps not yet started, after `afterSeq` ended at `endedAt`; alerts on a missed Q-time. */
export async function replanRemaining(
  deps: ActivityDeps,
  tx: Tx,
  lot: LotRow,
  afterSeq: number,
  endedAt: Date,
): Promise<{ alert: QtimeAlert | null; moved: number }> {
  const finished = lot.steps.find((s) => s.seq === afterSeq)!;
  const remaining = lot.steps.filter(
    (s) => s.seq > afterSeq && s.booking && ['held', 'confirmed'].includes(s.booking.state),
  );
  if (!remaining.length) return { alert: null, moved: 0 };
  const end = minuteAtOrAfter(endedAt);
  const state = await routeState(
    tx,
    remaining.map((s) => s.toolTypeId),
    end,
    minuteFromDate(lot.latestEnd),
    lot.userId,
  );
  for (const s of remaining) state.remove(s.booking!.id);
  const plan = await planRoute(
    {
      tenantId: lot.tenantId,
      userId: lot.userId,
      material: lot.material as Material,
      waferSize: lot.waferSize as WaferSize,
      steps: remaining.map((s) => routeStep(s, lot)),
      earliestStart: end,
      latestEnd: minuteFromDate(lot.latestEnd),
      after: { end, minLag: finished.minLagToNextMin, maxLag: finished.maxLagToNextMin },
      current: new Map(
        remaining.map((s) => [
          s.seq,
          {
            toolId: s.booking!.toolId,
            start: minuteFromDate(s.booking!.startsAt),
            end: minuteFromDate(s.booking!.endsAt),
          },
        ]),
      ),
    },
    state,
    {
      now: minuteAtOrAfter(deps.clock.now()),
      seed: stableHash(lot.requestId),
      timeLimitMs: deps.lotPlanTimeLimitMs ?? defaultLotPlanTimeLimitMs,
    },
  );
  const next = remaining[0]!;
  if (plan.kind === 'unplaced') {
    const alert: QtimeAlert = {
      afterSeq,
      nextSeq: next.seq,
      limitMin: finished.maxLagToNextMin ?? 0,
      exceededByMin: 0,
      detail: `The rest of the route no longer fits: ${plan.explanation.map((e) => `step ${e.seq} ${e.name}: ${e.detail ?? 'no tool'}`).join('; ')}`,
    };
    await alertLot(tx, lot, alert);
    return { alert, moved: 0 };
  }
  await tx.$executeRaw`SET CONSTRAINTS reservations_no_overlap DEFERRED`;
  let moved = 0;
  for (const slot of plan.slots) {
    const step = remaining.find((s) => s.seq === slot.seq)!;
    const booking = step.booking!;
    if (booking.toolId === slot.toolId && minuteFromDate(booking.startsAt) === slot.start) continue;
    await tx.booking.update({
      where: { id: booking.id },
      data: {
        toolId: slot.toolId,
        startsAt: dateFromMinute(slot.start),
        endsAt: dateFromMinute(slot.end),
        windowStart: dateFromMinute(slot.start),
        windowEnd: dateFromMinute(slot.end),
      },
    });
    moved++;
  }
  await recordChange(tx, {
    actor: undefined,
    action: 'lot.replanned',
    entityType: 'lot',
    entityId: lot.id,
    data: { afterSeq, endedAt: endedAt.toISOString(), slots: plan.slots.map(slotData) },
    notify: moved
      ? [
          toLotOwner(
            lot,
            'lot.replanned',
            `${lot.name}: step ${afterSeq} ended late; ${moved} later step(s) moved`,
          ),
        ]
      : [],
  });
  if (plan.qtimeExceededByMin > 0 && finished.maxLagToNextMin !== null) {
    const alert: QtimeAlert = {
      afterSeq,
      nextSeq: next.seq,
      limitMin: finished.maxLagToNextMin,
      exceededByMin: plan.qtimeExceededByMin,
      detail: `Step ${next.seq} (${next.name}) can start ${plan.qtimeExceededByMin} min after its Q-time limit of ${finished.maxLagToNextMin} min`,
    };
    await alertLot(tx, lot, alert);
    return { alert, moved };
  }
  return { alert: null, moved };
}

/** A Q-time alert: audited, and told to the lot's owner and the lab managers. */
export async function alertLot(tx: Tx, lot: Lot, alert: QtimeAlert) {
  await recordChange(tx, {
    actor: undefined,
    action: 'lot.qtime_alert',
    entityType: 'lot',
    entityId: lot.id,
    data: { ...alert },
    notify: [
      toLotOwner(lot, 'lot.qtime_alert', `Q-time alert for ${lot.name}: ${alert.detail}`, { ...alert }),
      {
        audience: 'lab_manager',
        tenantId: lot.tenantId,
        kind: 'lot.qtime_alert',
        subject: `Q-time alert (${lot.name}): ${alert.detail}`,
        payload: { lotId: lot.id, ...alert },
      },
    ],
  });
}
