import { bookingSnapshot } from '../../src/data/booking-view.js';
import { waitListSnapshot } from '../../src/data/wait-list-view.js';
import type { Actor } from '../../src/domain/actor.js';
import type { BookingSnapshot, BookingTiming } from '../../src/domain/booking.js';
import type { WaitListSnapshot } from '../../src/domain/wait-list.js';
import { PilotlineError } from '../../src/errors.js';
import { membersFollow } from '../bookings/linked.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { recordChange } from '../records.js';
import { approvalDeadline, resolveTiming } from '../timing.js';
import { policyOf } from '../bookings/placement-retries.js';
import { toBookingUser } from '../bookings/transition.js';
import { lockedEntry, snapshotOf, toWaiter } from './rows.js';
import { releaseOpenOffer } from './release.js';
import { announceFreedTime } from './freed-time.js';

export type AcceptOfferResult =
  | { kind: 'accepted'; entry: WaitListSnapshot; booking: BookingSnapshot }
  /** The offered slot went away before the answer (maintenance cancelled it): back to waiting. */
  | { kind: 'lost'; entry: WaitListSnapshot };

/**
 * The waiter takes the offer: the held booking becomes an ordinary one (confirmed, or held for a
 * lab manager's approval when the policy asks for it) and the entry closes. The booking workflow
 * the waiter's workflow starts next adopts that row as its placement.
 */
export function acceptOfferActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function acceptOffer(input: { entryId: string; actor: Actor; timingOverrides: Partial<BookingTiming> }): Promise<AcceptOfferResult> {
    try {
      const result = await db.$transaction(async (tx): Promise<AcceptOfferResult> => {
        const entry = await lockedEntry(tx, input.entryId);
        const offer = entry.offers[0];
        if (!offer) throw new PilotlineError('INVALID_STATE', `The wait-list entry is ${entry.state}; there is no open offer to accept`);
        const now = clock.now();
        if (offer.booking.state !== 'held') {
          await releaseOpenOffer(tx, entry, { outcome: 'lost', actor: input.actor, now });
          return { kind: 'lost', entry: await snapshotOf(tx, await lockedEntry(tx, entry.id), now) };
        }
        const policy = await policyOf(tx, offer.booking.toolId);
        const timing = resolveTiming(policy, input.timingOverrides);
        const approval = policy?.approvalRequired ?? false;
        const booking = await tx.booking.update({
          where: { id: offer.bookingId, state: 'held' },
          data: approval
            ? { approvalDeadline: approvalDeadline(now, offer.booking.startsAt, timing.approvalTimeoutMs) }
            : { state: 'confirmed' },
        });
        await membersFollow(tx, booking);
        await tx.waitListOffer.update({ where: { id: offer.id }, data: { state: 'accepted', answeredAt: now } });
        const closed = await tx.waitListEntry.update({
          where: { id: entry.id },
          data: { state: 'accepted', bookingId: booking.id, closedAt: now, closeReason: 'accepted an offer' },
          include: { offers: { where: { state: 'open' }, include: { booking: true } } },
        });
        await recordChange(tx, {
          actor: input.actor,
          action: 'wait_list.offer_accepted',
          entityType: 'wait_list_entry',
          entityId: entry.id,
          data: { offerId: offer.id, bookingId: booking.id, approvalRequired: approval },
          notify: [
            toWaiter(entry, 'wait_list.accepted', `Offer accepted: ${booking.toolId}`, {
              bookingId: booking.id,
              toolId: booking.toolId,
              startsAt: booking.startsAt.toISOString(),
              endsAt: booking.endsAt.toISOString(),
            }),
          ],
        });
        await recordChange(tx, {
          actor: input.actor,
          action: approval ? 'booking.held' : 'booking.confirmed',
          entityType: 'booking',
          entityId: booking.id,
          data: { toolId: booking.toolId, startsAt: booking.startsAt.toISOString(), endsAt: booking.endsAt.toISOString(), fromWaitList: entry.id },
          notify: approval
            ? [
                toBookingUser(booking, 'booking.held', `Held ${booking.toolId}: waiting for a lab manager's approval`),
                { audience: 'lab_manager', kind: 'approval.needed', subject: `Approval needed: ${booking.toolId}`, payload: { bookingId: booking.id } },
              ]
            : [toBookingUser(booking, 'booking.confirmed', `Confirmed: ${booking.toolId} at ${booking.startsAt.toISOString()}`)],
        });
        return { kind: 'accepted', entry: waitListSnapshot(closed, now, booking.requestId), booking: bookingSnapshot(booking, now) };
      });
      return result;
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}

/**
 * The waiter lets the offer go (declined, or no answer by the deadline) or leaves the list: the
 * hold is released and its time goes to the next waiter, never back to this one.
 */
export function releaseOfferActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function releaseOffer(input: {
    entryId: string;
    outcome: 'declined' | 'timed_out' | 'withdrawn';
    actor?: Actor;
  }): Promise<WaitListSnapshot> {
    try {
      const snapshot = await db.$transaction(async (tx) => {
        const entry = await lockedEntry(tx, input.entryId);
        const now = clock.now();
        if (entry.offers.length) await releaseOpenOffer(tx, entry, { outcome: input.outcome, actor: input.actor, now });
        // A lapsed deadline finds nothing to release when the offer was settled meanwhile; a decline is refused.
        else if (input.outcome === 'declined') {
          throw new PilotlineError('INVALID_STATE', `The wait-list entry is ${entry.state}; there is no open offer`);
        }
        if (input.outcome === 'withdrawn' && (entry.state === 'waiting' || entry.state === 'offered')) {
          await tx.waitListEntry.update({ where: { id: entry.id }, data: { state: 'withdrawn', closedAt: now, closeReason: 'left the wait list' } });
          await recordChange(tx, {
            actor: input.actor,
            action: 'wait_list.withdrawn',
            entityType: 'wait_list_entry',
            entityId: entry.id,
            notify: [toWaiter(entry, 'wait_list.withdrawn', 'You left the wait list')],
          });
        }
        return snapshotOf(tx, await lockedEntry(tx, entry.id), now);
      });
      await announceFreedTime(deps);
      return snapshot;
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}
