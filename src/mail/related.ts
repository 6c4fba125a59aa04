import type { Db, Tx } from '../data/db.js';
import type { Notification } from '../generated/prisma/client.js';
import type { NotificationFacts, RelatedFacts } from './facts.js';

// The rows a notification names (its booking, lot, maintenance, tools), read for its mail.

type Reader = Pick<Db | Tx, 'booking' | 'lot' | 'maintenance' | 'tool'>;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const idIn = (payload: Record<string, unknown>, key: string) => {
  const value = payload[key];
  return typeof value === 'string' && uuid.test(value) ? value : undefined;
};

/** Every tool id a payload mentions, at any depth (slots of moves, steps, tool lists). */
function toolIdsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) toolIdsIn(v, found);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'toolId' && typeof v === 'string') found.add(v);
      else if (key === 'toolIds' && Array.isArray(v)) for (const t of v) if (typeof t === 'string') found.add(t);
      else toolIdsIn(v, found);
    }
  }
  return found;
}

export function notificationFacts(row: Notification): NotificationFacts {
  const payload = row.payload && typeof row.payload === 'object' && !Array.isArray(row.payload) ? (row.payload as Record<string, unknown>) : {};
  return { kind: row.kind, subject: row.subject, payload, createdAt: row.createdAt };
}

export async function loadRelatedFacts(db: Reader, facts: NotificationFacts): Promise<RelatedFacts> {
  const { payload } = facts;
  const bookingId = idIn(payload, 'bookingId');
  const lotId = idIn(payload, 'lotId');
  const maintenanceId = idIn(payload, 'maintenanceId');
  // One after the other: inside a transaction they share one connection.
  const booking = bookingId ? await db.booking.findUnique({ where: { id: bookingId }, include: { user: true, tenant: true } }) : null;
  const lot = lotId
    ? await db.lot.findUnique({
        where: { id: lotId },
        include: { user: true, tenant: true, steps: { include: { booking: true }, orderBy: { seq: 'asc' } } },
      })
    : null;
  const maintenance = maintenanceId ? await db.maintenance.findUnique({ where: { id: maintenanceId }, include: { windows: true } }) : null;
  const toolIds = toolIdsIn(payload);
  if (booking) toolIds.add(booking.toolId);
  for (const step of lot?.steps ?? []) if (step.booking) toolIds.add(step.booking.toolId);
  for (const w of maintenance?.windows ?? []) toolIds.add(w.toolId);
  const tools = toolIds.size ? await db.tool.findMany({ where: { id: { in: [...toolIds] } }, select: { id: true, name: true } }) : [];
  return {
    toolNames: new Map(tools.map((t) => [t.id, t.name])),
    ...(booking
      ? {
          booking: {
            id: booking.id,
            toolId: booking.toolId,
            startsAt: booking.startsAt,
            endsAt: booking.endsAt,
            state: booking.state,
            purpose: booking.purpose,
            checkedOutAt: booking.checkedOutAt,
            requester: { name: booking.user.name, tenantName: booking.tenant.name },
          },
        }
      : {}),
    ...(lot
      ? {
          lot: {
            id: lot.id,
            name: lot.name,
            state: lot.state,
            requester: { name: lot.user.name, tenantName: lot.tenant.name },
            steps: lot.steps.map((s) => ({
              seq: s.seq,
              name: s.name,
              slot: s.booking && ['held', 'confirmed', 'in_use', 'completed'].includes(s.booking.state)
                ? { toolId: s.booking.toolId, startsAt: s.booking.startsAt, endsAt: s.booking.endsAt }
                : null,
            })),
          },
        }
      : {}),
    ...(maintenance
      ? {
          maintenance: {
            id: maintenance.id,
            reason: maintenance.reason,
            kind: maintenance.kind,
            startsAt: maintenance.startsAt,
            endsAt: maintenance.endsAt,
            toolIds: maintenance.windows.map((w) => w.toolId).sort(),
          },
        }
      : {}),
  };
}
