import type { OfferMade } from '../../src/domain/wait-list.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { offerFreedTime } from './offer.js';
import { sqlStateOf, sqlStates } from '../../src/data/sql-state.js';

/** A waiter's row changed under the snapshot (an answer, a withdrawal): the interval is walked again. */
async function onConflictAgain<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      const conflict = sqlStateOf(err) === sqlStates.serializationFailure || (err as { code?: unknown }).code === 'P2034';
      if (!conflict || attempt >= attempts) throw err;
    }
  }
}

/**
 * The dispatcher's one activity: takes undrained freed time oldest first, each interval in its own
 * transaction (marked drained in it, so a retry or a second drainer never offers it twice), and
 * returns the offers made, for the dispatcher to tell their waiters.
 */
export function drainFreedTimeActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function drainFreedTime(input: { limit: number }): Promise<{ offers: OfferMade[]; more: boolean }> {
    try {
      const pending = await db.freedTime.findMany({ where: { drainedAt: null }, orderBy: { id: 'asc' }, take: input.limit, select: { id: true } });
      const offers: OfferMade[] = [];
      for (const { id } of pending) {
        const made = await onConflictAgain(() => db.$transaction(
          async (tx) => {
            const claimed = await tx.freedTime.updateManyAndReturn({ where: { id, drainedAt: null }, data: { drainedAt: clock.now() } });
            const freed = claimed[0];
            return freed ? offerFreedTime(deps, tx, freed) : [];
          },
          // One calendar for the whole walk down the list: a cancellation committing halfway through
          // must not let a later waiter have what an earlier one was just refused (it gets its own turn).
          { timeout: 30_000, isolationLevel: 'RepeatableRead' },
        ));
        offers.push(...made);
      }
      return { offers, more: pending.length === input.limit };
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}
