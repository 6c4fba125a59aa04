import type { Tx } from '../../src/data/db.js';
import type { EntryRow } from '../../src/data/wait-list-view.js';
import type { Actor } from '../../src/domain/actor.js';
import { membersFollow } from '../bookings/linked.js';
import { recordChange } from '../records.js';
import { recordFreedTime } from './freed-time.js';
import { toWaiter } from './rows.js';

const subjects = {
  declined: 'You declined the offer; you stay on the wait list',
  timed_out: 'No answer in time: the offered time went to the next waiter; you stay on the wait list',
  withdrawn: 'The offer was released',
  lost: 'The offered time is no longer available (maintenance); you stay on the wait list',
} as const;

/**
 * Closes the entry's open offer as `outcome`, in the caller's transaction: the held booking is
 * released (its time recorded as freed, passed over by this waiter and those before it) and the
 * entry waits again. `lost`: the booking already left the calendar, nothing to free.
 */
export async function releaseOpenOffer(
  tx: Tx,
  entry: EntryRow,
  change: { outcome: keyof typeof subjects; actor: Actor | undefined; now: Date },
): Promise<void> {
  const offer = entry.offers[0];
  if (!offer) return;
  const { outcome, now } = change;
  await tx.waitListOffer.update({ where: { id: offer.id }, data: { state: outcome, answeredAt: now } });
  if (offer.booking.state === 'held') {
    const released = await tx.booking.update({
      where: { id: offer.bookingId, state: 'held' },
      data: { state: outcome === 'timed_out' ? 'expired' : 'cancelled', cancelReason: `wait-list offer ${outcome.replace('_', ' ')}` },
    });
    await membersFollow(tx, released);
    await recordFreedTime(tx, {
      toolId: offer.booking.toolId,
      startsAt: new Date(Math.max(offer.booking.startsAt.getTime(), now.getTime())),
      endsAt: offer.booking.endsAt,
      reason: `offer_${outcome}`,
      sourceId: offer.id,
      passedOver: [...new Set([...offer.passedOver, entry.id])],
    });
  }
  await tx.waitListEntry.update({ where: { id: entry.id }, data: { state: 'waiting' } });
  await recordChange(tx, {
    actor: change.actor,
    action: `wait_list.offer_${outcome}`,
    entityType: 'wait_list_entry',
    entityId: entry.id,
    data: { offerId: offer.id, bookingId: offer.bookingId, toolId: offer.booking.toolId },
    notify: [
      toWaiter(entry, `wait_list.offer_${outcome}`, subjects[outcome], {
        offerId: offer.id,
        bookingId: offer.bookingId,
        toolId: offer.booking.toolId,
        startsAt: offer.booking.startsAt.toISOString(),
        endsAt: offer.booking.endsAt.toISOString(),
      }),
    ],
  });
}
