import { slotView, type MaintenanceRepair } from '../../src/calendar/repair-plan.js';
import type { Tx } from '../../src/data/db.js';
import type { Actor } from '../../src/domain/actor.js';
import { isoFromMinute } from '../../src/domain/time.js';
import { PilotlineError } from '../../src/errors.js';
import { recordChange, type NotificationDraft } from '../records.js';
import { billUsage } from '../usage.js';
import { activeLoads } from '../bookings/shared-run.js';
import { applyLotRepairs, type LotRevision } from './apply-lot-repairs.js';

/**
 * Moves, cancels and (for outages, `interruptAt` set) interrupts the bookings in the way, as the
 * plan says, and moves or releases each lot route in the way as a whole, inside the caller's
 * transaction. Returns the ids of the single bookings it changed and the lots.
 */
export async function applyRepairPlan(
  tx: Tx,
  { plan, lots }: MaintenanceRepair,
  actor: Actor,
  maintenanceId: string,
  interruptAt: Date | null,
): Promise<{ bookingIds: string[]; lots: LotRevision[] }> {
  if (plan.conflicts.length && !interruptAt) {
    throw new PilotlineError('INVALID_STATE', 'Bookings in use overlap the window; plan it after they end', {
      details: { conflicts: plan.conflicts.map((c) => ({ bookingId: c.bookingId, at: slotView(c.at) })) },
    });
  }
  const revised: string[] = [];
  const notices: NotificationDraft[] = [];
  // Moves may swap bookings into each other's old slots: check the overlap rule at commit.
  await tx.$executeRaw`SET CONSTRAINTS reservations_no_overlap DEFERRED`;
  for (const move of plan.moves) {
    const row = await tx.booking.update({
      where: { id: move.bookingId, state: { in: ['held', 'confirmed'] } },
      data: {
        toolId: move.to.toolId,
        startsAt: new Date(move.to.start * 60_000),
        endsAt: new Date(move.to.end * 60_000),
        movedByMaintenanceId: maintenanceId,
      },
    });
    // The loads that joined its run move with it, each told like the holder.
    for (const load of await activeLoads(tx, row.id)) {
      const moved = await tx.booking.update({
        where: { id: load.id },
        data: { toolId: row.toolId, startsAt: row.startsAt, endsAt: row.endsAt, movedByMaintenanceId: maintenanceId },
      });
      revised.push(moved.id);
      notices.push({
        recipientId: moved.userId,
        tenantId: moved.tenantId,
        kind: 'booking.moved_by_maintenance',
        subject: `Maintenance moved the furnace run your wafers joined to ${move.to.toolId} at ${isoFromMinute(move.to.start)}; you may decline (no penalty)`,
        payload: { bookingId: moved.id, maintenanceId, from: slotView(move.from), to: slotView(move.to) },
      });
    }
    // A linked tool's booking moves with its primary: its workflow hears it, its owner is told once.
    revised.push(row.primaryBookingId ?? row.id);
    if (row.primaryBookingId) continue;
    notices.push({
      recipientId: row.userId,
      tenantId: row.tenantId,
      kind: 'booking.moved_by_maintenance',
      subject: `Maintenance moved your booking to ${move.to.toolId} at ${isoFromMinute(move.to.start)}; you may decline (no penalty)`,
      payload: { bookingId: row.id, maintenanceId, from: slotView(move.from), to: slotView(move.to) },
    });
  }
  for (const stranded of plan.unplaceable) {
    const row = await tx.booking.update({
      where: { id: stranded.bookingId, state: { in: ['held', 'confirmed'] } },
      data: { state: 'cancelled', cancelReason: 'maintenance: no slot left within the booking window', lateCancel: false },
    });
    for (const load of await activeLoads(tx, row.id)) {
      const cancelled = await tx.booking.update({
        where: { id: load.id },
        data: { state: 'cancelled', cancelReason: 'maintenance: the furnace run was cancelled (no slot left within its window)', lateCancel: false },
      });
      revised.push(cancelled.id);
      notices.push({
        recipientId: cancelled.userId,
        tenantId: cancelled.tenantId,
        kind: 'booking.cancelled_by_maintenance',
        subject: `Maintenance on ${cancelled.toolId}: the furnace run your wafers joined was cancelled without penalty`,
        payload: { bookingId: cancelled.id, maintenanceId },
      });
    }
    revised.push(row.primaryBookingId ?? row.id);
    if (row.primaryBookingId) continue;
    notices.push({
      recipientId: row.userId,
      tenantId: row.tenantId,
      kind: 'booking.cancelled_by_maintenance',
      subject: `Maintenance on ${row.toolId}: your booking was cancelled without penalty (no other slot fits its window)`,
      payload: { bookingId: row.id, maintenanceId },
    });
  }
  for (const conflict of plan.conflicts) {
    // An outage interrupts the run: it ends now and is billed to now.
    const at = interruptAt!;
    const current = await tx.booking.findUniqueOrThrow({ where: { id: conflict.bookingId } });
    const row = await tx.booking.update({
      where: { id: conflict.bookingId, state: 'in_use' },
      data: {
        state: 'completed',
        checkedOutAt: at,
        endsAt: new Date(Math.max(at.getTime(), current.startsAt.getTime() + 60_000)),
      },
    });
    await billUsage(tx, row);
    revised.push(row.id);
    notices.push({
      recipientId: row.userId,
      tenantId: row.tenantId,
      kind: 'booking.interrupted',
      subject: `${row.toolId} went down during your run: the booking ended at ${at.toISOString()} and is billed to then`,
      payload: { bookingId: row.id, maintenanceId },
    });
  }
  await recordChange(tx, {
    actor,
    action: 'maintenance.repair_applied',
    entityType: 'maintenance',
    entityId: maintenanceId,
    data: {
      metrics: plan.metrics,
      moved: plan.moves.map((m) => m.bookingId),
      cancelled: plan.unplaceable.map((u) => u.bookingId),
      lots: lots.map((l) => ({ lotId: l.lotId, outcome: l.outcome })),
    },
    notify: notices,
  });
  // After the interruptions: a lot whose step in use the outage ended is re-planned from then.
  return { bookingIds: [...new Set(revised)], lots: await applyLotRepairs(tx, lots, actor, maintenanceId) };
}
