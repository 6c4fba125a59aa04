import type { Booking, BookingState, Prisma } from '../src/generated/prisma/client.js';
import type { Clock } from '../src/clock.js';
import type { Actor } from '../src/domain/actor.js';
import type {
  BookingRequest,
  BookingSnapshot,
  BookingTiming,
  SlotWish,
} from '../src/domain/booking.js';
import type { Explanation, PlaceAndHoldResult } from '../src/domain/placement.js';
import { findSlots, placementRequestOf } from '../src/calendar/placement.js';
import { PilotlineError } from '../src/errors.js';
import type { Db } from '../src/runtime/database/prisma.js';
import { isExclusionViolation, sqlStateOf, sqlStates } from '../src/runtime/database/sql-state.js';
import { bookingWorkflowId } from '../workflows/messages.js';
import { bookingSnapshot, resolveTiming } from './booking-rows.js';
import { asActivityFailure } from './failure.js';
import { billUsage } from './usage.js';
import { lockToolTypes, toolTypesOf } from './locks.js';
import { recordChange, type NotificationDraft } from './records.js';

type Tx = Prisma.TransactionClient;

export interface BookingActivityDeps {
  db: Db;
  clock: Clock;
  /** How often placement re-places after losing a slot to a concurrent writer. */
  maxPlacementAttempts?: number;
}

const managers = new Set(['lab_manager', 'admin']);

/** Booking side effects, each one transaction that also writes the audit log and the outbox. */
export function createBookingActivities(deps: BookingActivityDeps) {
  const { db, clock } = deps;
  const maxAttempts = deps.maxPlacementAttempts ?? 5;

  /** Places, retrying when another writer took the slot between reading and writing. */
  async function withPlacementRetries<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (err) {
        if (!isExclusionViolation(err) || attempt >= maxAttempts) {
          if (isExclusionViolation(err)) {
            throw new PilotlineError('SLOT_TAKEN', 'Every slot found was taken by others meanwhile; try again');
          }
          throw err;
        }
      }
    }
  }

  async function policyOf(tx: Pick<Db, 'tool' | 'policy'>, toolId: string) {
    const tool = await tx.tool.findUniqueOrThrow({ where: { id: toolId }, select: { toolTypeId: true } });
    return (
      (await tx.policy.findUnique({ where: { toolId } })) ??
      (await tx.policy.findUnique({ where: { toolTypeId: tool.toolTypeId } }))
    );
  }

  /** Moves a booking from one of `from` to `to`; a retry that finds it already moved succeeds. */
  async function transition(
    bookingId: string,
    step: {
      from: readonly BookingState[];
      to: BookingState;
      actor: Actor | undefined;
      action: string;
      data?: (row: Booking, now: Date) => Prisma.BookingUpdateInput;
      notify?: (row: Booking) => NotificationDraft[];
      after?: (tx: Tx, row: Booking, now: Date) => Promise<Record<string, unknown> | void>;
    },
  ): Promise<BookingSnapshot> {
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
  }

  const toUser = (row: Booking, kind: string, subject: string, payload: Record<string, unknown> = {}): NotificationDraft => ({
    recipientId: row.userId,
    tenantId: row.tenantId,
    kind,
    subject,
    payload: { bookingId: row.id, toolId: row.toolId, startsAt: row.startsAt.toISOString(), ...payload },
  });

  return {
    /** The booking's first step: best slot from a fresh calendar, written as held or confirmed. */
    async placeAndHold(input: {
      request: BookingRequest;
      actor: Actor;
      timingOverrides: Partial<BookingTiming>;
    }): Promise<PlaceAndHoldResult> {
      const { request, actor } = input;
      const placed = async (row: Booking, tx: Pick<Db, 'tool' | 'policy'>): Promise<PlaceAndHoldResult> => {
        if (row.tenantId !== actor.tenantId || row.userId !== actor.userId) {
          throw new PilotlineError('FORBIDDEN', 'That requestId belongs to another request');
        }
        const timing = resolveTiming(await policyOf(tx, row.toolId), input.timingOverrides);
        return { kind: 'placed', snapshot: bookingSnapshot(row, clock.now()), timing, approvalRequired: row.state === 'held' };
      };
      const existing = await db.booking.findUnique({ where: { requestId: request.requestId } });
      if (existing) return placed(existing, db);

      try {
        return await withPlacementRetries(() =>
          db.$transaction(
            async (tx): Promise<PlaceAndHoldResult> => {
              await lockToolTypes(tx, await toolTypesOf(tx, request));
              const now = clock.now();
              const placementRequest = placementRequestOf(request.requestId, request, request, actor);
              const { answer, policyRowOf } = await findSlots(tx, placementRequest, now, { maxOptions: 1 });
              if (answer.kind === 'unplaced') return answer;
              const option = answer.options[0]!;
              const timing = resolveTiming(policyRowOf(option.toolId), input.timingOverrides);
              const startsAt = new Date(option.startsAt);
              const held = option.approvalRequired;
              const row = await tx.booking.create({
                data: {
                  requestId: request.requestId,
                  workflowId: bookingWorkflowId(request.requestId),
                  tenantId: actor.tenantId,
                  userId: actor.userId,
                  toolId: option.toolId,
                  startsAt,
                  endsAt: new Date(option.endsAt),
                  state: held ? 'held' : 'confirmed',
                  material: request.material,
                  waferSize: request.waferSize,
                  contaminationGroup: request.contaminationGroup,
                  windowStart: new Date(request.earliestStart),
                  windowEnd: new Date(request.latestEnd),
                  purpose: request.purpose ?? null,
                  approvalDeadline: held
                    ? new Date(Math.min(now.getTime() + timing.approvalTimeoutMs, startsAt.getTime()))
                    : null,
                },
              });
              await recordChange(tx, {
                actor,
                action: held ? 'booking.held' : 'booking.confirmed',
                entityType: 'booking',
                entityId: row.id,
                data: { toolId: row.toolId, startsAt: option.startsAt, endsAt: option.endsAt },
                notify: held
                  ? [
                      toUser(row, 'booking.held', `Held ${row.toolId}: waiting for a lab manager's approval`),
                      { audience: 'lab_manager', kind: 'approval.needed', subject: `Approval needed: ${row.toolId}`, payload: { bookingId: row.id } },
                    ]
                  : [toUser(row, 'booking.confirmed', `Confirmed: ${row.toolId} at ${option.startsAt}`)],
              });
              return { kind: 'placed', snapshot: bookingSnapshot(row, clock.now()), timing, approvalRequired: held };
            },
            { timeout: 15_000 },
          ),
        );
      } catch (err) {
        // The same request racing itself (a retried activity): the other attempt's row is the answer.
        if (sqlStateOf(err) === sqlStates.uniqueViolation) {
          const row = await db.booking.findUnique({ where: { requestId: request.requestId } });
          if (row) return placed(row, db);
        }
        throw asActivityFailure(err);
      }
    },

    async decideBooking(input: { bookingId: string; approve: boolean; actor: Actor; note?: string }): Promise<BookingSnapshot> {
      return transition(input.bookingId, {
        from: ['held'],
        to: input.approve ? 'confirmed' : 'rejected',
        actor: input.actor,
        action: input.approve ? 'booking.approved' : 'booking.rejected',
        data: () => ({ decidedById: input.actor.userId, approvalDeadline: null }),
        notify: (row) => [
          toUser(row, input.approve ? 'booking.approved' : 'booking.rejected', `${input.approve ? 'Approved' : 'Rejected'}: ${row.toolId}`, {
            note: input.note ?? null,
          }),
        ],
      }).catch(rethrow);
    },

    async expireHold(input: { bookingId: string }): Promise<BookingSnapshot> {
      return transition(input.bookingId, {
        from: ['held'],
        to: 'expired',
        actor: undefined,
        action: 'booking.expired',
        notify: (row) => [toUser(row, 'booking.expired', `No decision in time: your hold on ${row.toolId} was released`)],
      }).catch(rethrow);
    },

    async cancelBooking(input: { bookingId: string; actor: Actor; reason?: string; penaltyFree?: boolean }): Promise<BookingSnapshot> {
      const row = await db.booking.findUnique({ where: { id: input.bookingId } });
      const policy = row ? await policyOf(db, row.toolId) : null;
      const lateCancelMs = resolveTiming(policy, {}).lateCancelMs;
      return transition(input.bookingId, {
        from: ['held', 'confirmed'],
        to: 'cancelled',
        actor: input.actor,
        action: 'booking.cancelled',
        data: (r, now) => ({
          cancelReason: input.reason ?? null,
          lateCancel: !input.penaltyFree && r.state === 'confirmed' && r.startsAt.getTime() - now.getTime() < lateCancelMs,
        }),
        notify: (r) => [toUser(r, 'booking.cancelled', `Cancelled: ${r.toolId}${r.lateCancel ? ' (late)' : ''}`)],
      }).catch(rethrow);
    },

    /** Moves the booking to the best slot of a new window, or says why none fits (it then keeps its slot). */
    async rescheduleBooking(input: { bookingId: string; actor: Actor; wish: SlotWish }): Promise<RescheduleResult> {
      try {
        const outcome = await withPlacementRetries(() =>
          db.$transaction(
            async (tx) => {
              const booking = await tx.booking.findUnique({ where: { id: input.bookingId } });
              if (!booking) throw new PilotlineError('NOT_FOUND', `No booking ${input.bookingId}`);
              if (booking.state !== 'held' && booking.state !== 'confirmed') {
                throw new PilotlineError('INVALID_STATE', `A ${booking.state} booking cannot be rescheduled`);
              }
              await lockToolTypes(tx, await toolTypesOf(tx, input.wish));
              const now = clock.now();
              const owner: Actor = { userId: booking.userId, tenantId: booking.tenantId, role: 'tenant_user' };
              const lot = {
                material: booking.material as BookingRequest['material'],
                waferSize: booking.waferSize as BookingRequest['waferSize'],
                contaminationGroup: booking.contaminationGroup as BookingRequest['contaminationGroup'],
              };
              const request = placementRequestOf(booking.requestId, input.wish, lot, owner);
              const { answer, policyRowOf } = await findSlots(tx, request, now, { maxOptions: 1, exclude: booking.id });
              if (answer.kind === 'unplaced') return answer;
              const option = answer.options[0]!;
              const startsAt = new Date(option.startsAt);
              // A new slot that needs approval goes back to the lab managers, unless one moved it.
              const held = booking.state === 'held' || (option.approvalRequired && !managers.has(input.actor.role));
              const timing = resolveTiming(policyRowOf(option.toolId), {});
              const updated = await tx.booking.update({
                where: { id: booking.id, state: booking.state },
                data: {
                  toolId: option.toolId,
                  startsAt,
                  endsAt: new Date(option.endsAt),
                  windowStart: new Date(input.wish.earliestStart),
                  windowEnd: new Date(input.wish.latestEnd),
                  state: held ? 'held' : 'confirmed',
                  approvalDeadline: held
                    ? new Date(Math.min(now.getTime() + timing.approvalTimeoutMs, startsAt.getTime()))
                    : null,
                  // A slot chosen by the tenant replaces maintenance's: nothing left to decline.
                  movedByMaintenanceId: null,
                },
              });
              await recordChange(tx, {
                actor: input.actor,
                action: 'booking.rescheduled',
                entityType: 'booking',
                entityId: booking.id,
                data: {
                  from: { toolId: booking.toolId, startsAt: booking.startsAt.toISOString(), endsAt: booking.endsAt.toISOString() },
                  to: { toolId: option.toolId, startsAt: option.startsAt, endsAt: option.endsAt },
                  state: updated.state,
                },
                notify: [
                  toUser(updated, 'booking.rescheduled', `Rescheduled: ${option.toolId} at ${option.startsAt}`),
                  ...(held && booking.state !== 'held'
                    ? [{ audience: 'lab_manager', kind: 'approval.needed', subject: `Approval needed: ${option.toolId}`, payload: { bookingId: booking.id } }]
                    : []),
                ],
              });
              return { kind: 'moved' as const, row: updated };
            },
            { timeout: 15_000 },
          ),
        );
        return outcome.kind === 'moved' ? { kind: 'moved', snapshot: bookingSnapshot(outcome.row, clock.now()) } : outcome;
      } catch (err) {
        throw asActivityFailure(err);
      }
    },

    async recordCheckIn(input: { bookingId: string; actor: Actor }): Promise<BookingSnapshot> {
      return transition(input.bookingId, {
        from: ['confirmed'],
        to: 'in_use',
        actor: input.actor,
        action: 'booking.checked_in',
        data: (_row, now) => ({ checkedInAt: now }),
      }).catch(rethrow);
    },

    /** Closes the booking and bills the actual minutes; `auto` bills up to the planned end. */
    async recordCheckOut(input: { bookingId: string; actor?: Actor; auto: boolean }): Promise<BookingSnapshot> {
      return transition(input.bookingId, {
        from: ['in_use'],
        to: 'completed',
        actor: input.actor,
        action: input.auto ? 'booking.auto_checked_out' : 'booking.checked_out',
        data: (row, now) => ({ checkedOutAt: input.auto ? row.endsAt : now }),
        after: (tx, row) => billUsage(tx, row),
        notify: (row) => [toUser(row, 'booking.completed', `Completed: ${row.toolId}`)],
      }).catch(rethrow);
    },

    /** The booking as the database holds it now (a workflow catching up with a change made elsewhere). */
    async currentBooking(input: { bookingId: string }): Promise<BookingSnapshot> {
      const row = await db.booking.findUnique({ where: { id: input.bookingId } });
      if (!row) throw asActivityFailure(new PilotlineError('NOT_FOUND', `No booking ${input.bookingId}`));
      return bookingSnapshot(row, clock.now());
    },

    async markNoShow(input: { bookingId: string }): Promise<BookingSnapshot> {
      return transition(input.bookingId, {
        from: ['confirmed'],
        to: 'no_show',
        actor: undefined,
        action: 'booking.no_show',
        notify: (row) => [toUser(row, 'booking.no_show', `No check-in: your slot on ${row.toolId} was released`)],
      }).catch(rethrow);
    },

    async sendReminder(input: { bookingId: string; minutesBefore: number }): Promise<void> {
      const row = await db.booking.findUnique({ where: { id: input.bookingId } });
      if (!row || row.state !== 'confirmed') return;
      await db.notification.create({
        data: {
          recipientId: row.userId,
          tenantId: row.tenantId,
          kind: 'booking.reminder',
          subject: `Reminder: ${row.toolId} starts in ${formatLead(input.minutesBefore)}`,
          payload: { bookingId: row.id, toolId: row.toolId, startsAt: row.startsAt.toISOString(), minutesBefore: input.minutesBefore },
        },
      });
    },
  };
}

export type BookingActivities = ReturnType<typeof createBookingActivities>;

export type RescheduleResult = { kind: 'moved'; snapshot: BookingSnapshot } | { kind: 'unplaced'; explanation: Explanation };

function rethrow(err: unknown): never {
  throw asActivityFailure(err);
}

function formatLead(minutes: number): string {
  if (minutes >= 1440 && minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes >= 60 && minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}
