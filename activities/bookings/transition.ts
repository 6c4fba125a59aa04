import type { Actor } from '../../src/domain/actor.js';
import type { BookingSnapshot } from '../../src/domain/booking.js';
import { bookingSnapshot } from '../../src/data/booking-view.js';
import type { Tx } from '../../src/data/db.js';
import type { Booking, BookingState, Prisma } from '../../src/generated/prisma/client.js';
import { PilotlineError } from '../../src/errors.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { recordChange, type NotificationDraft } from '../records.js';

export interface BookingTransition {
  from: readonly BookingState[];
  to: BookingState;
  actor: Actor | undefined;
  action: string;
  data?: (row: Booking, now: Date) => Prisma.BookingUpdateInput;
  notify?: (row: Booking) => NotificationDraft[];
  after?: (tx: Tx, row: Booking, now: Date) => Promise<Record<string, unknown> | void>;
}

/**
 * Moves a booking from one of `from` to `to` in one transaction with its audit entry and
 * notifications; a retry that finds it already moved succeeds. Refusals become activity failures.
 */
export async function transitionBooking(deps: ActivityDeps, bookingId: string, step: BookingTransition): Promise<BookingSnapshot> {
  const { db, clock } = deps;
  try {
    const result = await db.$transaction(async (tx) => {
      const now = clock.now();
      const row = await tx.booking.findUnique({ where: { id: bookingId } });
      if (!row) throw new PilotlineError('NOT_FOUND', `No booking ${bookingId}`);
      if (row.state === step.to) return row;
      if (!step.from.includes(row.state)) {
        throw new PilotlineError('INVALID_STATE', `The booking is ${row.state}; it cannot become ${step.to}`);
      }
      const updated = await tx.booking.update({
        where: { id: bookingId, state: row.state },
        data: { state: step.to, ...step.data?.(row, now) },
      });
      const extra = (await step.after?.(tx, updated, now)) ?? {};
      await recordChange(tx, {
        actor: step.actor,
        action: step.action,
        entityType: 'booking',
        entityId: bookingId,
        data: { from: row.state, to: step.to, ...extra },
        notify: step.notify?.(updated) ?? [],
      });
      return updated;
    });
    return bookingSnapshot(result, clock.now());
  } catch (err) {
    throw asActivityFailure(err);
  }
}

/** A notification to the booking's own user. */
export function toBookingUser(row: Booking, kind: string, subject: string, payload: Record<string, unknown> = {}): NotificationDraft {
  return {
    recipientId: row.userId,
    tenantId: row.tenantId,
    kind,
    subject,
    payload: { bookingId: row.id, toolId: row.toolId, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString(), ...payload },
  };
}
