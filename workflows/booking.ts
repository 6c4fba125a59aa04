// One workflow per booking request, for its whole life:
// place → hold → (approval | auto-confirm) → reminders → check-in → check-out → completed,
// or rejected / expired / cancelled / no_show. Every database change is a local activity; human
// decisions arrive as Updates whose validators refuse wrong roles and states before anything runs.
import { allHandlersFinished, condition, patched, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { BookingActivities } from '../activities/index.js';
import { actsForAllTenants, type Actor } from '../src/domain/actor.js';
import { managerRoles, staffRoles, type Role } from '../src/domain/roles.js';
import {
  bookingWorkflowInputSchema,
  cancelInputSchema,
  decisionInputSchema,
  isTerminal,
  rescheduleInputSchema,
  usageInputSchema,
  type BookingOutcome,
  type BookingSnapshot,
  type BookingState,
  type BookingTiming,
  type BookingView,
  type BookingWorkflowInput,
} from '../src/domain/booking.js';
import type { PlaceAndHoldResult } from '../src/domain/placement.js';
import { refuse } from './failures.js';
import {
  approveUpdate,
  bookingRevisedSignal,
  bookingStatusQuery,
  cancelUpdate,
  checkInUpdate,
  checkOutUpdate,
  placeUpdate,
  rejectUpdate,
  rescheduleUpdate,
} from './messages.js';
import { workflowNow } from './time.js';
import { transitionQueue } from './transitions.js';
import { parseMessage } from './validate.js';

const localActivityOptions = { startToCloseTimeout: '20 seconds', scheduleToCloseTimeout: '1 minute' } as const;

/** Answers to a caller waiting on an Update: a few quick retries, then the caller hears why. */
const answering = proxyLocalActivities<BookingActivities>({
  ...localActivityOptions,
  retry: { initialInterval: '100 milliseconds', maximumAttempts: 3 },
});

/** Transitions the clock drives (expiry, no-show, reminders): retried until the database answers. */
const driven = proxyLocalActivities<BookingActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function bookingWorkflow(rawInput: BookingWorkflowInput): Promise<BookingOutcome> {
  const input = parseMessage(bookingWorkflowInputSchema, rawInput, 'input');

  let booking: BookingView | undefined;
  let timing: BookingTiming | undefined;
  let unplaced = false;
  let placement: Promise<PlaceAndHoldResult> | undefined;
  /** Bumped on every change of state or times; waits end when it moves. */
  let version = 0;
  /** Workflow-time instants of the booking, anchored on the activity's clock (see BookingSnapshot). */
  let startAt = 0;
  let endAt = 0;
  let approvalDeadlineAt: number | null = null;
  const sentReminders = new Set<string>();
  /** Maintenance moved this booking: its tenant may decline the move and cancel without penalty. */
  let movedByMaintenance = false;

  const adopt = (snapshot: BookingSnapshot): BookingView => {
    const now = workflowNow();
    booking = snapshot.booking;
    startAt = now + snapshot.startsInMs;
    endAt = now + snapshot.endsInMs;
    approvalDeadlineAt = snapshot.approvalDeadlineInMs === null ? null : now + snapshot.approvalDeadlineInMs;
    version += 1;
    return snapshot.booking;
  };

  const current = (): BookingView => {
    if (!booking) throw refuse('INVALID_STATE', 'The booking has not been placed');
    return booking;
  };

  const requireState = (...states: BookingState[]) => {
    const state = current().state;
    if (!states.includes(state)) {
      throw refuse('INVALID_STATE', `The booking is ${state}; this needs it ${states.join(' or ')}`);
    }
  };

  const requireTenantOrStaff = (actor: Actor, staff: readonly Role[]) => {
    const ownTenant = !actsForAllTenants(actor) && actor.tenantId === current().tenantId;
    if (!ownTenant && !(actsForAllTenants(actor) && staff.includes(actor.role))) {
      throw refuse('FORBIDDEN', 'Only the booking tenant or lab staff may do this');
    }
  };

  const requireRole = (actor: Actor, allowed: readonly Role[]) => {
    if (!allowed.includes(actor.role)) throw refuse('FORBIDDEN', `This needs one of the roles: ${allowed.join(', ')}`);
  };

  const transition = transitionQueue();

  const place = (): Promise<PlaceAndHoldResult> =>
    (placement ??= transition(
      () => undefined,
      async () => {
        const result = await answering.placeAndHold({
          request: input.request,
          actor: input.actor,
          timingOverrides: input.timing ?? {},
          training: input.training,
        });
        if (result.kind === 'placed') {
          timing = result.timing;
          adopt(result.snapshot);
        } else {
          unplaced = true;
        }
        return result;
      },
    ));

  setHandler(placeUpdate, place);

  setHandler(
    approveUpdate,
    (decision) =>
      transition(
        () => requireState('held'),
        async () => adopt(await answering.decideBooking({ bookingId: current().id, approve: true, ...decision })),
      ),
    {
      validator: (decision) => {
        parseMessage(decisionInputSchema, decision, 'approve');
        requireRole(decision.actor, managerRoles);
        requireState('held');
      },
    },
  );

  setHandler(
    rejectUpdate,
    (decision) =>
      transition(
        () => requireState('held'),
        async () => adopt(await answering.decideBooking({ bookingId: current().id, approve: false, ...decision })),
      ),
    {
      validator: (decision) => {
        parseMessage(decisionInputSchema, decision, 'reject');
        requireRole(decision.actor, managerRoles);
        requireState('held');
      },
    },
  );

  setHandler(
    cancelUpdate,
    (cancel) =>
      transition(
        () => requireState('held', 'confirmed'),
        async () => adopt(await answering.cancelBooking({ bookingId: current().id, ...cancel })),
      ),
    {
      validator: (cancel) => {
        parseMessage(cancelInputSchema, cancel, 'cancel');
        requireTenantOrStaff(cancel.actor, staffRoles);
        requireState('held', 'confirmed');
        if (cancel.penaltyFree && !actsForAllTenants(cancel.actor) && !movedByMaintenance) {
          throw refuse('FORBIDDEN', 'Only a booking moved by maintenance may be declined without penalty');
        }
      },
    },
  );

  setHandler(
    rescheduleUpdate,
    (reschedule) =>
      transition(
        () => requireState('held', 'confirmed'),
        async () => {
          const result = await answering.rescheduleBooking({ bookingId: current().id, ...reschedule });
          if (result.kind === 'unplaced') {
            throw refuse('NO_FEASIBLE_SLOT', 'No slot fits the new window; the booking keeps its slot', {
              explanation: result.explanation,
            });
          }
          movedByMaintenance = false;
          return adopt(result.snapshot);
        },
      ),
    {
      validator: (reschedule) => {
        parseMessage(rescheduleInputSchema, reschedule, 'reschedule');
        requireTenantOrStaff(reschedule.actor, managerRoles);
        requireState('held', 'confirmed');
      },
    },
  );

  setHandler(
    checkInUpdate,
    (usage) =>
      transition(
        () => requireState('confirmed'),
        async () => adopt(await answering.recordCheckIn({ bookingId: current().id, actor: usage.actor })),
      ),
    {
      validator: (usage) => {
        parseMessage(usageInputSchema, usage, 'checkIn');
        requireTenantOrStaff(usage.actor, staffRoles);
        requireState('confirmed');
        const opensAt = startAt - (timing?.earlyCheckInMs ?? 0);
        if (workflowNow() < opensAt) {
          const inMin = Math.ceil((opensAt - workflowNow()) / 60_000);
          const early = Math.round((timing?.earlyCheckInMs ?? 0) / 60_000);
          throw refuse('INVALID_STATE', `Check-in opens in ${inMin} min (${early} min before the start)`);
        }
      },
    },
  );

  setHandler(
    checkOutUpdate,
    (usage) =>
      transition(
        () => requireState('in_use'),
        async () => adopt(await answering.recordCheckOut({ bookingId: current().id, actor: usage.actor, auto: false })),
      ),
    {
      validator: (usage) => {
        parseMessage(usageInputSchema, usage, 'checkOut');
        requireTenantOrStaff(usage.actor, staffRoles);
        requireState('in_use');
      },
    },
  );

  // A revision from maintenance: the database already holds it; foreign ones are ignored. The
  // signal's snapshot may predate a change made here since (a reschedule), so the row is read afresh.
  setHandler(bookingRevisedSignal, (snapshot) => {
    void transition(
      () => undefined,
      async () => {
        if (!booking || snapshot.booking.id !== booking.id || isTerminal(booking.state)) return;
        if (patched('revision-reads-booking')) {
          const fresh = await driven.currentBooking({ bookingId: booking.id });
          movedByMaintenance = fresh.booking.movedByMaintenance;
          adopt(fresh);
          return;
        }
        if (snapshot.booking.state === 'held' || snapshot.booking.state === 'confirmed') movedByMaintenance = true;
        adopt(snapshot);
      },
    ).catch(() => undefined);
  });

  setHandler(bookingStatusQuery, () => ({
    booking: booking ?? null,
    unplaced,
    remindersSent: sentReminders.size,
    movedByMaintenance,
  }));

  /** Waits until something changes the booking or `ms` pass; true when it changed. */
  const changedWithin = async (seen: number, ms: number): Promise<boolean> => {
    if (ms <= 0) return version !== seen;
    return condition(() => version !== seen, ms);
  };

  /** A clock-driven transition that only happens if nothing changed the booking meanwhile. */
  const unlessChanged = (seen: number, state: BookingState, work: () => Promise<BookingSnapshot>) =>
    transition(
      () => undefined,
      async () => {
        if (version === seen && booking?.state === state) adopt(await work());
      },
    );

  async function awaitDecision(): Promise<void> {
    const seen = version;
    const deadline = approvalDeadlineAt ?? startAt;
    if (await changedWithin(seen, deadline - workflowNow())) return;
    await unlessChanged(seen, 'held', () => driven.expireHold({ bookingId: current().id }));
  }

  async function awaitUse(): Promise<void> {
    const seen = version;
    const now = workflowNow();
    const { startsAt, id } = current();
    const due = (timing?.reminderOffsetsMs ?? [])
      .map((offsetMs) => ({ offsetMs, at: startAt - offsetMs, key: `${startsAt}/${offsetMs}` }))
      .filter((r) => r.at > now && !sentReminders.has(r.key))
      .sort((a, b) => a.at - b.at);
    const noShowAt = startAt + (timing?.checkInGraceMs ?? 0);
    const wakeAt = Math.min(due[0]?.at ?? Number.POSITIVE_INFINITY, noShowAt);
    if (await changedWithin(seen, wakeAt - now)) return;

    const woke = workflowNow();
    for (const reminder of due.filter((r) => r.at <= woke)) {
      sentReminders.add(reminder.key);
      await transition(
        () => undefined,
        async () => {
          if (version === seen) await driven.sendReminder({ bookingId: id, minutesBefore: Math.round(reminder.offsetMs / 60_000) });
        },
      );
    }
    if (woke >= noShowAt) await unlessChanged(seen, 'confirmed', () => driven.markNoShow({ bookingId: id }));
  }

  async function awaitCheckOut(): Promise<void> {
    const seen = version;
    const closeAt = endAt + (timing?.overrunGraceMs ?? 0);
    if (await changedWithin(seen, closeAt - workflowNow())) return;
    await unlessChanged(seen, 'in_use', () => driven.recordCheckOut({ bookingId: current().id, auto: true }));
  }

  const placed = await place();
  if (placed.kind === 'unplaced') {
    await condition(allHandlersFinished);
    return { kind: 'unplaced', explanation: placed.explanation };
  }

  for (;;) {
    const state = current().state;
    if (isTerminal(state)) break;
    if (state === 'held') await awaitDecision();
    else if (state === 'confirmed') await awaitUse();
    else if (state === 'in_use') await awaitCheckOut();
    else throw refuse('INVALID_STATE', `Unexpected booking state ${state}`);
  }
  await condition(allHandlersFinished);
  return { kind: 'closed', booking: current() };
}
