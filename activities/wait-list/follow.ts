import { latestStartOf, waitListSnapshot } from '../../src/data/wait-list-view.js';
import type { WaitListSnapshot } from '../../src/domain/wait-list.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { recordChange } from '../records.js';
import { entrySnapshot, lockedEntry, snapshotOf, toWaiter } from './rows.js';

/** The entry as the database has it now: what a waiter's workflow adopts whenever it wakes. */
export function currentWaitListEntryActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function currentWaitListEntry(input: { entryId: string }): Promise<WaitListSnapshot> {
    try {
      return await entrySnapshot(db, input.entryId, clock.now());
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}

/**
 * The window can no longer hold the request: a waiter still waiting leaves the list and is told.
 * One with an open offer keeps it (the offer's own deadline decides); too early, nothing changes.
 */
export function expireWaiterActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function expireWaiter(input: { entryId: string }): Promise<WaitListSnapshot> {
    try {
      return await db.$transaction(async (tx) => {
        const entry = await lockedEntry(tx, input.entryId);
        const now = clock.now();
        if (entry.state !== 'waiting' || latestStartOf(entry) > now) return snapshotOf(tx, entry, now);
        const row = await tx.waitListEntry.update({
          where: { id: entry.id },
          data: { state: 'expired', closedAt: now, closeReason: 'the window passed without a free slot' },
          include: { offers: { where: { state: 'open' }, include: { booking: true } } },
        });
        await recordChange(tx, {
          actor: undefined,
          action: 'wait_list.expired',
          entityType: 'wait_list_entry',
          entityId: entry.id,
          data: { latestEnd: entry.latestEnd.toISOString() },
          notify: [toWaiter(entry, 'wait_list.expired', 'Your wait ended: no time came free in your window')],
        });
        return waitListSnapshot(row, now);
      });
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}
