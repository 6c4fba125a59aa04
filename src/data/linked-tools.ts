import type { SlotWish } from '../domain/booking.js';
import { PilotlineError } from '../errors.js';
import type { Db } from './db.js';

// Linked tools as the API reads them: which tools a booking holds alongside, and whether the person
// asking may run them at all.

/**
 * Refuses a request when every tool it may use needs a linked tool the user is not qualified on
 * (NOT_QUALIFIED, naming the field and the tools), before anything is written. Where another
 * candidate remains, placement decides and explains the excluded ones (entries marked `linkedTo`).
 */
export async function refuseUnqualifiedLinks(
  db: Pick<Db, 'tool' | 'toolLink' | 'qualification'>,
  wish: Pick<SlotWish, 'toolTypeId' | 'toolIds'>,
  userId: string,
  at: Date,
): Promise<void> {
  const candidates = wish.toolIds?.length
    ? await db.tool.findMany({ where: { id: { in: wish.toolIds } }, select: { id: true } })
    : await db.tool.findMany({ where: { toolTypeId: wish.toolTypeId ?? '' }, select: { id: true } });
  if (!candidates.length) return;
  const links = await db.toolLink.findMany({
    where: { toolId: { in: candidates.map((t) => t.id) } },
    select: { toolId: true, linkedTool: { select: { id: true, toolTypeId: true } } },
    orderBy: [{ toolId: 'asc' }, { linkedToolId: 'asc' }],
  });
  if (!links.length) return;
  const qualifications = await db.qualification.findMany({
    where: { userId, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] },
    select: { toolId: true, toolTypeId: true },
  });
  const mayRun = (tool: { id: string; toolTypeId: string }) =>
    qualifications.some((q) => q.toolId === tool.id || q.toolTypeId === tool.toolTypeId);
  const missing = links.filter((l) => !mayRun(l.linkedTool));
  const blocked = new Set(missing.map((l) => l.toolId));
  if (!missing.length || candidates.some((t) => !blocked.has(t.id))) return;
  const field = wish.toolIds?.length ? 'body.toolIds' : 'body.toolTypeId';
  const words = missing.map((l) => `${l.toolId} needs ${l.linkedTool.id} alongside it`).join('; ');
  throw new PilotlineError('NOT_QUALIFIED', `Not qualified on a linked tool: ${words}`, {
    issues: [{ field, message: `${words}, and you are not qualified on ${[...new Set(missing.map((l) => l.linkedTool.id))].join(', ')}` }],
    details: { linkedTools: missing.map((l) => ({ toolId: l.toolId, linkedToolId: l.linkedTool.id })) },
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
