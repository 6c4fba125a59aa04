import { entryWithOpenOffer, waitListSnapshot, type EntryRow } from '../../src/data/wait-list-view.js';
import type { Db, Tx } from '../../src/data/db.js';
import type { WaitListSnapshot } from '../../src/domain/wait-list.js';
import { PilotlineError } from '../../src/errors.js';
import type { NotificationDraft } from '../records.js';

/** The entry, locked for the rest of the transaction (dispatch and the waiter's answers take turns on it). */
export async function lockedEntry(tx: Tx, entryId: string): Promise<EntryRow> {
  await tx.$executeRaw`SELECT 1 FROM wait_list_entries WHERE id = ${entryId}::uuid FOR UPDATE`;
  const row = await tx.waitListEntry.findUnique({ where: { id: entryId }, include: entryWithOpenOffer });
  if (!row) throw new PilotlineError('NOT_FOUND', `No wait-list entry ${entryId}`);
  return row;
}

export async function entrySnapshot(db: Db | Tx, entryId: string, now: Date): Promise<WaitListSnapshot> {
  const row = await db.waitListEntry.findUnique({ where: { id: entryId }, include: entryWithOpenOffer });
  if (!row) throw new PilotlineError('NOT_FOUND', `No wait-list entry ${entryId}`);
  return snapshotOf(db, row, now);
}

/** The snapshot, with the accepted booking's request id when there is one (the handover needs it). */
export async function snapshotOf(db: Db | Tx, row: EntryRow, now: Date): Promise<WaitListSnapshot> {
  const booking = row.state === 'accepted' && row.bookingId ? await db.booking.findUnique({ where: { id: row.bookingId }, select: { requestId: true } }) : null;
  return waitListSnapshot(row, now, booking?.requestId ?? null);
}

/** A notification to the waiter. */
export function toWaiter(row: EntryRow, kind: string, subject: string, payload: Record<string, unknown> = {}): NotificationDraft {
  const wish = {
    entryId: row.id,
    toolIds: row.toolIds,
    ...(row.toolTypeId ? { toolTypeId: row.toolTypeId } : {}),
    startsAt: row.earliestStart.toISOString(),
    endsAt: row.latestEnd.toISOString(),
  };
  return { recipientId: row.userId, tenantId: row.tenantId, kind, subject, payload: { ...wish, ...payload } };
}
