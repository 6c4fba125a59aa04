import type { Actor } from '../../src/domain/actor.js';
import type { BookingSnapshot } from '../../src/domain/booking.js';
import { bookingSnapshot } from '../../src/data/booking-view.js';
import type { Tx } from '../../src/data/db.js';
import type { Booking, BookingState, Prisma } from '../../src/generated/prisma/client.js';
import { PilotlineError } from '../../src/errors.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { recordChange, type NotificationDraft } from '../records.js';
import { announceFreedTime, recordFreedTime } from '../wait-list/freed-time.js';
import { membersIn } from './linked.js';
import { handOverRun } from './shared-run.js';

export interface BookingTransition {
  from: readonly BookingState[];
  to: BookingState;
  actor: Actor | undefined;
  action: string;
  data?: (row: Booking, now: Date) => Prisma.BookingUpdateInput;
  notify?: (row: Booking) => NotificationDraft[];
  /** Runs for the booking and then for each of its linked tools' member bookings (billing each). */
  after?: (tx: Tx, row: Booking, now: Date) => Promise<Record<string, unknown> | void>;
  /** The transition gives the booking's time (what is left of it) back: offered to the wait list. */
  frees?: string;
}

/** States in which a run's holder no longer claims the run's time. */
const leavesRun: readonly BookingState[] = ['cancelled', 'rejected', 'expired', 'no_show'];

/**
 * Moves a booking from one of `from` to `to` in one transaction with its audit entry and
 * notifications, and its linked tools' member bookings with it; a retry that finds it already
 * moved succeeds. Refusals become activity failures.
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
      // The group moves as one: each linked tool's booking takes the same step.
      const linked: Array<Record<string, unknown>> = [];
      const freed: Booking[] = [];
      for (const member of await membersIn(tx, bookingId, [row.state])) {
        const moved = await tx.booking.update({
          where: { id: member.id, state: member.state },
          data: { state: step.to, ...(step.data?.(member, now) as Prisma.BookingUncheckedUpdateInput | undefined) },
        });
        linked.push({ bookingId: moved.id, toolId: moved.toolId, ...((await step.after?.(tx, moved, now)) ?? {}) });
        freed.push(moved);
      }
      // A run's holder leaving before it ran: the run goes on for the loads that joined it (nothing freed).
      const handedTo = leavesRun.includes(step.to) && !row.sharedRunId ? await handOverRun(tx, row) : null;
      // A load that joined a run held no time of its own: leaving it frees none.
      if (step.frees && !handedTo && !updated.sharedRunId) {
        for (const b of [updated, ...freed]) {
          const startsAt = new Date(Math.max(b.startsAt.getTime(), now.getTime()));
          await recordFreedTime(tx, { toolId: b.toolId, startsAt, endsAt: b.endsAt, reason: step.frees, sourceId: b.id });
        }
      }
      await recordChange(tx, {
        actor: step.actor,
        action: step.action,
        entityType: 'booking',
        entityId: bookingId,
        data: { from: row.state, to: step.to, ...extra, ...(linked.length ? { linked } : {}), ...(handedTo ? { runHandedTo: handedTo.id } : {}) },
        notify: step.notify?.(updated) ?? [],
      });
      return updated;
    });
    if (step.frees) await announceFreedTime(deps);
    return bookingSnapshot(result, clock.now());
  } catch (err) {
    throw asActivityFailure(err);
  }
}

/** A notification to the booking's own user. */
export function toBookingUser(row: Pick<Booking, 'id' | 'userId' | 'tenantId' | 'toolId' | 'startsAt' | 'endsAt'>, kind: string, subject: string, payload: Record<string, unknown> = {}): NotificationDraft {
  return {
    recipientId: row.userId,
    tenantId: row.tenantId,
    kind,
    subject,
    payload: { bookingId: row.id, toolId: row.toolId, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString(), ...payload },
  };
}
