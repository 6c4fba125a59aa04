import type { BookingHistoryEntry } from '../domain/booking-detail.js';
import type { AuditLog, Booking } from '../generated/prisma/client.js';
import type { Db } from './db.js';

// A booking's history from the audit log: its own entries, the maintenance that moved or cancelled
// it (only that fact and the maintenance's public reason, never the other bookings the repair
// touched), and its lot route's entries for a step of a route.

const words: Record<string, string> = {
  'booking.held': 'Requested; held for a lab manager’s approval',
  'booking.confirmed': 'Requested and confirmed',
  'booking.approved': 'Approved by a lab manager',
  'booking.rejected': 'Rejected by a lab manager',
  'booking.expired': 'No decision in time: the hold was released',
  'booking.cancelled': 'Cancelled',
  'booking.rescheduled': 'Rescheduled',
  'booking.checked_in': 'Checked in',
  'booking.checked_out': 'Checked out: usage billed',
  'booking.auto_checked_out': 'Closed at its planned end (no check-out): usage billed',
  'booking.no_show': 'No check-in: released as a no-show',
  'maintenance.moved': 'Moved by maintenance',
  'maintenance.cancelled': 'Cancelled by maintenance without penalty (no other slot fitted its window)',
  'lot.held': 'Lot route requested; held for approval',
  'lot.confirmed': 'Lot route requested and confirmed',
  'lot.approved': 'Lot route approved',
  'lot.rejected': 'Lot route rejected',
  'lot.expired': 'Lot route hold released (no decision in time)',
  'lot.cancelled': 'Lot route cancelled',
  'lot.completed': 'Lot route completed',
  'lot.replanned': 'Lot route re-planned after a late step',
  'lot.qtime_alert': 'Lot route broke a Q-time limit',
  'lot.step_checked_in': 'A step of the lot route was checked in',
  'lot.step_checked_out': 'A step of the lot route was checked out',
  'lot.moved_by_maintenance': 'Lot route moved by maintenance',
  'lot.released_by_maintenance': 'Lot route released by maintenance',
};

type Slot = NonNullable<BookingHistoryEntry['slot']>;

function slotIn(value: unknown): Slot | null {
  if (!value || typeof value !== 'object') return null;
  const { toolId, startsAt, endsAt } = value as Record<string, unknown>;
  return typeof toolId === 'string' && typeof startsAt === 'string' && typeof endsAt === 'string'
    ? { toolId, startsAt: new Date(startsAt).toISOString(), endsAt: new Date(endsAt).toISOString() }
    : null;
}

const dataOf = (entry: AuditLog): Record<string, unknown> =>
  entry.data && typeof entry.data === 'object' && !Array.isArray(entry.data) ? (entry.data as Record<string, unknown>) : {};

/** Every entry about `booking`, oldest first. */
export async function bookingHistory(db: Db, booking: Booking): Promise<BookingHistoryEntry[]> {
  const id = booking.id;
  const step = booking.lotStepId ? await db.lotStep.findUnique({ where: { id: booking.lotStepId }, select: { lotId: true, seq: true } }) : null;
  const [own, repairs, route] = await Promise.all([
    db.auditLog.findMany({ where: { entityType: 'booking', entityId: id }, orderBy: { id: 'asc' } }),
    db.auditLog.findMany({
      where: {
        entityType: 'maintenance',
        action: 'maintenance.repair_applied',
        OR: [{ data: { path: ['moved'], array_contains: [id] } }, { data: { path: ['cancelled'], array_contains: [id] } }],
      },
      orderBy: { id: 'asc' },
    }),
    step ? db.auditLog.findMany({ where: { entityType: 'lot', entityId: step.lotId }, orderBy: { id: 'asc' } }) : Promise.resolve([]),
  ]);
  const reasons = new Map(
    (await db.maintenance.findMany({ where: { id: { in: repairs.map((r) => r.entityId) } }, select: { id: true, reason: true } })).map((m) => [m.id, m.reason]),
  );
  // A route's step entries name their step: only this booking's step is about it.
  const routeEntries = route.filter((e) => dataOf(e).seq === undefined || dataOf(e).seq === step?.seq);
  const all = [...own, ...repairs, ...routeEntries].sort((a, b) => a.at.getTime() - b.at.getTime() || Number(a.id - b.id));
  const actorIds = [...new Set(all.map((e) => e.actorId).filter((a): a is string => a !== null))];
  const names = new Map((await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));

  return all.map((entry): BookingHistoryEntry => {
    const data = dataOf(entry);
    let action = entry.action;
    let note: string | null = null;
    let slot: Slot | null = null;
    if (entry.entityType === 'maintenance') {
      action = (data.moved as unknown[] | undefined)?.includes(id) ? 'maintenance.moved' : 'maintenance.cancelled';
      note = reasons.get(entry.entityId) ?? null;
    } else if (entry.action === 'booking.rescheduled') {
      slot = slotIn(data.to);
    } else {
      slot = slotIn(data);
    }
    if (entry.action === 'booking.cancelled') note = booking.cancelReason;
    // A decision's note, where the audit entry carries one.
    else if (typeof data.note === 'string') note = data.note;
    const late = entry.action === 'booking.cancelled' && booking.lateCancel ? ' (late)' : '';
    return {
      at: entry.at.toISOString(),
      action,
      summary: (words[action] ?? action) + late,
      actor: entry.actorId ? { name: names.get(entry.actorId) ?? entry.actorId, role: entry.actorRole ?? 'unknown' } : null,
      slot,
      note,
    };
  });
}
