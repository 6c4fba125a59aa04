import type { StepSlot } from '../../src/calendar/lot-plan.js';
import { replanRoute, routeAlert, type LotStepRow } from '../../src/calendar/route-replan.js';
import type { Tx } from '../../src/data/db.js';
import type { LotRow } from '../../src/data/lot-view.js';
import type { QtimeAlert } from '../../src/domain/lot.js';
import { dateFromMinute, minuteAtOrAfter, minuteFromDate } from '../../src/domain/time.js';
import type { Lot } from '../../src/generated/prisma/client.js';
import type { ActivityDeps } from '../deps.js';
import { recordChange } from '../records.js';
import { routeState, slotData, toLotOwner } from './rows.js';

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
  const anchor = { step: finished, end };
  const plan = await replanRoute(lot, remaining, anchor, state, {
    now: minuteAtOrAfter(deps.clock.now()),
    timeLimitMs: deps.lotPlanTimeLimitMs ?? defaultLotPlanTimeLimitMs,
  });
  const alert = routeAlert(plan, anchor, remaining[0]!);
  if (plan.kind === 'unplaced') {
    await alertLot(tx, lot, alert!);
    return { alert, moved: 0 };
  }
  const moved = await moveSteps(tx, remaining, plan.slots);
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
  if (alert) await alertLot(tx, lot, alert);
  return { alert, moved };
}

/** Puts each step's booking on its new slot (a step's window is its slot); returns how many moved. */
export async function moveSteps(
  tx: Tx,
  steps: readonly LotStepRow[],
  slots: readonly StepSlot[],
  movedByMaintenanceId?: string,
): Promise<number> {
  await tx.$executeRaw`SET CONSTRAINTS reservations_no_overlap DEFERRED`;
  let moved = 0;
  for (const slot of slots) {
    const booking = steps.find((s) => s.seq === slot.seq)!.booking!;
    if (booking.toolId === slot.toolId && minuteFromDate(booking.startsAt) === slot.start) continue;
    await tx.booking.update({
      where: { id: booking.id, state: { in: ['held', 'confirmed'] } },
      data: {
        toolId: slot.toolId,
        startsAt: dateFromMinute(slot.start),
        endsAt: dateFromMinute(slot.end),
        windowStart: dateFromMinute(slot.start),
        windowEnd: dateFromMinute(slot.end),
        ...(movedByMaintenanceId ? { movedByMaintenanceId } : {}),
      },
    });
    moved++;
  }
  return moved;
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
