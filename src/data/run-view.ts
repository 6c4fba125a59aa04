import { actsForAllTenants, type Actor } from '../domain/actor.js';
import type { RunView } from '../domain/booking.js';
import type { Db } from './db.js';

// A shared furnace run as one booking's viewer may see it: every load's wafers, and whose it is only
// for the viewer's own tenant or staff (another tenant's load is a count, never a name).

/** The run a booking on a batch tool belongs to (null when it has no recipe). */
export async function runViewOf(
  db: Pick<Db, 'booking' | 'tool'>,
  row: { id: string; toolId: string; recipe: string | null; sharedRunId: string | null; tenantId: string },
  viewer: Actor,
): Promise<RunView | null> {
  if (!row.recipe) return null;
  const holderId = row.sharedRunId ?? row.id;
  const [tool, loads] = await Promise.all([
    db.tool.findUniqueOrThrow({ where: { id: row.toolId }, select: { batchCapacity: true } }),
    db.booking.findMany({
      where: { OR: [{ id: holderId }, { sharedRunId: holderId }], state: { in: ['held', 'confirmed', 'in_use', 'completed'] } },
      select: { id: true, tenantId: true, waferCount: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    }),
  ]);
  const staff = actsForAllTenants(viewer);
  return {
    holderBookingId: holderId,
    recipe: row.recipe,
    capacityWafers: tool.batchCapacity,
    runWafers: loads.reduce((n, l) => n + l.waferCount, 0),
    loads: loads.map((l) => ({
      waferCount: l.waferCount,
      mine: l.id === row.id,
      ...(staff || l.tenantId === viewer.tenantId ? { bookingId: l.id, tenantId: l.tenantId } : {}),
    })),
  };
}
