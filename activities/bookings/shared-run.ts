import type { Tx } from '../../src/data/db.js';
import type { Booking } from '../../src/generated/prisma/client.js';
import { syncLinkedMembers } from './linked.js';

// A shared run on a batch tool: its holder's booking claims the tool's time; the loads that joined
// point at it. When the holder leaves (cancelled, rejected, expired, no-show, rescheduled) the run
// goes on for the others: the earliest load that joined becomes its holder.

const activeStates = ['held', 'confirmed', 'in_use'] as const;

/** Hands the run of `holder` (which no longer claims its slot) to its earliest active load; returns the new holder. */
export async function handOverRun(tx: Tx, holder: Pick<Booking, 'id'>): Promise<Booking | null> {
  const loads = await tx.booking.findMany({
    where: { sharedRunId: holder.id, state: { in: [...activeStates] } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const [next, ...rest] = loads;
  if (!next) return null;
  const taken = await tx.booking.update({ where: { id: next.id }, data: { sharedRunId: null } });
  if (rest.length) await tx.booking.updateMany({ where: { id: { in: rest.map((l) => l.id) } }, data: { sharedRunId: taken.id } });
  // The furnace's linked tools (its load station) go with the run's new holder.
  const links = await tx.toolLink.findMany({ where: { toolId: taken.toolId }, orderBy: { linkedToolId: 'asc' } });
  if (links.length) await syncLinkedMembers(tx, taken, links.map((l) => l.linkedToolId));
  return taken;
}

/** The loads that joined the run held by `holderId` and still claim a place in it. */
export function activeLoads(tx: Pick<Tx, 'booking'>, holderId: string): Promise<Booking[]> {
  return tx.booking.findMany({ where: { sharedRunId: holderId, state: { in: [...activeStates] } }, orderBy: { createdAt: 'asc' } });
}
