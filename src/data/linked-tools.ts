import type { SlotWish } from '../domain/booking.js';
import { PilotlineError } from '../errors.js';
import type { Db } from './db.js';

// Linked tools as the API reads them: which tools a booking holds alongside, and whether the person
// asking may run them at all.

/** A link of a tool a request may use, and whether the person asking may run its linked tool. */
export interface LinkCheck {
  toolId: string;
  linkedToolId: string;
  qualified: boolean;
}

/**
 * Refuses a request when every tool it may use needs a linked tool the user is not qualified on
 * (NOT_QUALIFIED, naming the field and the tools), before anything is written. Where another
 * candidate remains, placement decides and explains the excluded ones (entries marked `linkedTo`).
 * `candidates` counts the tools the request may use; `links` are theirs (see readBookingRequestChecks).
 */
export function refuseUnqualifiedLinks(wish: Pick<SlotWish, 'toolIds'>, candidates: number, links: readonly LinkCheck[]): void {
  const missing = links.filter((l) => !l.qualified);
  const blocked = new Set(missing.map((l) => l.toolId));
  if (!missing.length || candidates > blocked.size) return;
  const field = wish.toolIds?.length ? 'body.toolIds' : 'body.toolTypeId';
  const words = missing.map((l) => `${l.toolId} needs ${l.linkedToolId} alongside it`).join('; ');
  throw new PilotlineError('NOT_QUALIFIED', `Not qualified on a linked tool: ${words}`, {
    issues: [{ field, message: `${words}, and you are not qualified on ${[...new Set(missing.map((l) => l.linkedToolId))].join(', ')}` }],
    details: { linkedTools: missing.map((l) => ({ toolId: l.toolId, linkedToolId: l.linkedToolId })) },
  });
}

/** The tools held alongside a booking (its members in the same state), in id order. */
export async function linkedToolIdsOf(db: Pick<Db, 'booking'>, booking: { id: string; state: string }): Promise<string[]> {
  const members = await db.booking.findMany({
    where: { primaryBookingId: booking.id },
    select: { toolId: true, state: true },
    orderBy: { toolId: 'asc' },
  });
  return members.filter((m) => m.state === booking.state).map((m) => m.toolId);
}
