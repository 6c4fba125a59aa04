import type { LotRepair } from '../../src/calendar/lot-repair.js';
import { slotView } from '../../src/calendar/repair-plan.js';
import type { Tx } from '../../src/data/db.js';
import { lotWithSteps } from '../../src/data/lot-view.js';
import type { Actor } from '../../src/domain/actor.js';
import type { QtimeAlert } from '../../src/domain/lot.js';
import { dateFromMinute } from '../../src/domain/time.js';
import type { Lot } from '../../src/generated/prisma/client.js';
import { alertLot, moveSteps } from '../lots/replan.js';
import { toLotOwner } from '../lots/rows.js';
import { recordChange, type NotificationDraft } from '../records.js';
import { approvalMarginMs } from '../timing.js';

/** A lot whose route maintenance moved or released, for its workflow to re-read. */
export interface LotRevision {
  kind: 'lot';
  workflowId: string;
  lotId: string;
  alert: QtimeAlert | null;
}

/**
 * Applies each lot route's repair as a whole, inside the caller's transaction: every step moved
 * to its new slot, or the lot and all its steps not yet started released. The owner and the lab
 * managers hear of it; a Q-time the route can no longer keep raises the alert.
 */
export async function applyLotRepairs(tx: Tx, repairs: readonly LotRepair[], actor: Actor, maintenanceId: string): Promise<LotRevision[]> {
  const revisions: LotRevision[] = [];
  for (const repair of repairs) {
    const lot = await tx.lot.findUniqueOrThrow({ where: { id: repair.lotId }, include: lotWithSteps });
    const steps = lot.steps.filter((s) => repair.steps.some((r) => r.bookingId === s.booking?.id));
    if (steps.length !== repair.steps.length || steps.some((s) => !['held', 'confirmed'].includes(s.booking!.state))) {
      // Its own workflow moved on meanwhile (a check-in): the activity retries on a fresh plan.
      throw new Error(`${lot.name} changed while the repair was planned`);
    }
    if (repair.outcome === 'moved') {
      const slots = repair.steps.map((s) => ({ seq: s.seq, ...s.to! }));
      await moveSteps(tx, steps, slots, maintenanceId);
      await pullDeadlineForward(tx, lot, Math.min(...slots.map((s) => s.start)));
    } else {
      await tx.lot.update({ where: { id: lot.id }, data: { state: 'cancelled', cancelReason: `maintenance: ${repair.detail}` } });
      await tx.booking.updateMany({
        where: { id: { in: repair.steps.map((s) => s.bookingId) }, state: { in: ['held', 'confirmed'] } },
        data: { state: 'cancelled', cancelReason: 'maintenance: the lot route was released', lateCancel: false },
      });
    }
    const moved = repair.outcome === 'moved';
    const subject = moved
      ? `Maintenance moved ${lot.name}: its ${repair.steps.length} remaining step(s) re-planned as one route within its Q-times`
      : `Maintenance released ${lot.name}: no re-plan of the route fits (${repair.detail}); all its remaining steps were cancelled without penalty`;
    const payload = {
      lotId: lot.id,
      maintenanceId,
      steps: repair.steps.map((s) => ({ seq: s.seq, from: slotView(s.from), to: s.to ? slotView(s.to) : null })),
    };
    const kind = moved ? 'lot.moved_by_maintenance' : 'lot.released_by_maintenance';
    const notify: NotificationDraft[] = [
      toLotOwner(lot, kind, subject, payload),
      { audience: 'lab_manager', tenantId: lot.tenantId, kind, subject, payload },
    ];
    await recordChange(tx, { actor, action: kind, entityType: 'lot', entityId: lot.id, data: { ...payload, detail: repair.detail }, notify });
    if (repair.alert) await alertLot(tx, lot, repair.alert);
    revisions.push({ kind: 'lot', workflowId: lot.workflowId, lotId: lot.id, alert: repair.alert });
  }
  return revisions;
}

/** A held lot is decided before its first step starts, with a margin: a route moved earlier brings the deadline with it. */
async function pullDeadlineForward(tx: Tx, lot: Lot, firstStart: number): Promise<void> {
  const latest = new Date(dateFromMinute(firstStart).getTime() - approvalMarginMs);
  if (lot.state !== 'held' || !lot.approvalDeadline || lot.approvalDeadline <= latest) return;
  await tx.lot.update({ where: { id: lot.id }, data: { approvalDeadline: latest } });
  await tx.booking.updateMany({ where: { lotStep: { lotId: lot.id }, state: 'held' }, data: { approvalDeadline: latest } });
}
