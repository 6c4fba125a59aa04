// One workflow per waiting request: join → wait (woken by the dispatcher's signal when an offer is
// made, or by its own timer when the window can no longer hold the request) → offered → accept
// (hands over to a booking workflow for the offered slot) | decline or no answer by the deadline
// (the time goes to the next waiter; this one waits on) | withdraw. Every change is an activity on
// the database (answers to Updates ordinary ones, clock-driven steps local ones), which holds the
// order and the offers; the deadlines are durable timers.
import { allHandlersFinished, condition, ParentClosePolicy, proxyActivities, proxyLocalActivities, setHandler, startChild } from '@temporalio/workflow';
import type { WaitListActivities } from '../activities/index.js';
import { actsForAllTenants, type Actor } from '../src/domain/actor.js';
import { bookingWorkflowId } from '../src/domain/ids.js';
import { staffRoles } from '../src/domain/roles.js';
import {
  defaultOfferResponseMs,
  isWaitListClosed,
  offerAnswerInputSchema,
  waitListWorkflowInputSchema,
  type AcceptedOffer,
  type WaitListEntryView,
  type WaitListOutcome,
  type WaitListSnapshot,
  type WaitListState,
  type WaitListWorkflowInput,
} from '../src/domain/wait-list.js';
import { drivenOptions } from './activity-options.js';
import { bookingWorkflow } from './booking.js';
import { asRefusal, refuse } from './failures.js';
import {
  acceptOfferUpdate,
  declineOfferUpdate,
  joinWaitListUpdate,
  offerMadeSignal,
  waitListStatusQuery,
  withdrawFromWaitListUpdate,
} from './messages.js';
import { workflowNow } from './time.js';
import { transitionQueue } from './transitions.js';
import { parseMessage } from './validate.js';

/**
 * Answers to Updates run as ordinary activities, not local ones: the Update is accepted (durable)
 * before anything is written. An offer's signal may land while an Update is in flight; the server
 * then fails that workflow task and aborts an Update it had not yet accepted — with a local
 * activity its write would already have happened, and the caller would hear of a failure.
 */
const answering = proxyActivities<WaitListActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '200 milliseconds', maximumAttempts: 3 },
});
const driven = proxyLocalActivities<WaitListActivities>(drivenOptions);

export async function waitListWorkflow(rawInput: WaitListWorkflowInput): Promise<WaitListOutcome> {
  const input = parseMessage(waitListWorkflowInputSchema, rawInput, 'input');

  let entry: WaitListEntryView | undefined;
  let joining: Promise<WaitListEntryView> | undefined;
  let refusal: unknown;
  /** Bumped on every adopted change; waits end when it moves. */
  let version = 0;
  /** Offers the dispatcher announced that this workflow has not read yet. */
  let offersAnnounced = 0;
  /** Workflow-time instants, anchored on the activity's clock (see WaitListSnapshot). */
  let expiresAt = 0;
  let offerExpiresAt: number | null = null;
  let acceptedBookingRequestId: string | null = null;
  let handedOver = false;

  const adopt = (snapshot: WaitListSnapshot): WaitListEntryView => {
    const now = workflowNow();
    entry = snapshot.entry;
    acceptedBookingRequestId = snapshot.acceptedBookingRequestId;
    expiresAt = now + snapshot.expiresInMs;
    offerExpiresAt = snapshot.offerExpiresInMs === null ? null : now + snapshot.offerExpiresInMs;
    version += 1;
    return snapshot.entry;
  };
  const current = (): WaitListEntryView => {
    if (!entry) throw refuse('INVALID_STATE', 'The request is not on the wait list yet');
    return entry;
  };
  const requireState = (...states: WaitListState[]) => {
    if (!states.includes(current().state)) {
      throw refuse('INVALID_STATE', `The wait-list entry is ${current().state}; this needs it ${states.join(' or ')}`);
    }
  };
  const requireOpenOffer = () => {
    requireState('offered');
    if (offerExpiresAt !== null && workflowNow() >= offerExpiresAt) throw refuse('INVALID_STATE', 'The offer has expired');
  };
  /** An offer may have been made that this workflow has not read yet (its signal is on the way): only a closed entry is refused here. */
  const requireAnswerable = () => {
    requireState('waiting', 'offered');
    if (current().state === 'offered') requireOpenOffer();
  };
  /** Inside a handler: reads an announced (or not yet announced) offer before judging it. */
  const caughtUp = async () => {
    if (current().state !== 'offered' || offersAnnounced > 0) {
      offersAnnounced = 0;
      adopt(await answering.currentWaitListEntry({ entryId: current().id }));
    }
    requireOpenOffer();
  };
  const requireTenantOrStaff = (actor: Actor) => {
    const ownTenant = actor.role === 'tenant_user' && actor.tenantId === current().tenantId;
    if (!ownTenant && !(actsForAllTenants(actor) && (staffRoles as readonly string[]).includes(actor.role))) {
      throw refuse('FORBIDDEN', 'Only the waiting tenant or lab staff may do this');
    }
  };

  const transition = transitionQueue();

  const join = (): Promise<WaitListEntryView> =>
    (joining ??= transition(
      () => undefined,
      async () => {
        try {
          return adopt(
            await answering.joinWaitList({
              request: input.request,
              actor: input.actor,
              offerResponseMs: input.timing?.offerResponseMs ?? defaultOfferResponseMs,
            }),
          );
        } catch (err) {
          refusal = asRefusal(err);
          throw refusal;
        }
      },
    ));

  setHandler(joinWaitListUpdate, join);
  setHandler(offerMadeSignal, () => {
    offersAnnounced += 1;
  });

  setHandler(
    acceptOfferUpdate,
    (answer) =>
      transition(() => undefined, async (): Promise<AcceptedOffer> => {
        await caughtUp();
        const result = await answering.acceptOffer({ entryId: current().id, actor: answer.actor, timingOverrides: input.timing?.booking ?? {} });
        adopt(result.entry);
        if (result.kind === 'lost') throw refuse('INVALID_STATE', 'The offered time is no longer available; you stay on the wait list');
        return { entry: current(), booking: result.booking.booking };
      }).then(async (accepted) => {
        // Answer once the booking's workflow runs (outside the queue: the main flow starts it), so
        // the caller may act on the booking at once.
        await condition(() => handedOver);
        return accepted;
      }),
    {
      validator: (answer) => {
        parseMessage(offerAnswerInputSchema, answer, 'accept');
        requireTenantOrStaff(answer.actor);
        requireAnswerable();
      },
    },
  );

  setHandler(
    declineOfferUpdate,
    (answer) =>
      transition(() => undefined, async () => {
        await caughtUp();
        return adopt(await answering.releaseOffer({ entryId: current().id, outcome: 'declined', actor: answer.actor }));
      }),
    {
      validator: (answer) => {
        parseMessage(offerAnswerInputSchema, answer, 'decline');
        requireTenantOrStaff(answer.actor);
        requireAnswerable();
      },
    },
  );

  setHandler(
    withdrawFromWaitListUpdate,
    (answer) =>
      transition(
        () => requireState('waiting', 'offered'),
        async () => adopt(await answering.releaseOffer({ entryId: current().id, outcome: 'withdrawn', actor: answer.actor })),
      ),
    {
      validator: (answer) => {
        parseMessage(offerAnswerInputSchema, answer, 'withdraw');
        requireTenantOrStaff(answer.actor);
        requireState('waiting', 'offered');
      },
    },
  );

  setHandler(waitListStatusQuery, () => ({ entry: entry ?? null }));

  try {
    await join();
  } catch {
    // Refused before anything was written: the caller hears why; a retry may start afresh.
    await condition(allHandlersFinished);
    throw refusal;
  }

  /** Clock-driven steps and re-reads: a failure leaves the entry as the database has it, never stops the wait. */
  const quietly = (work: () => Promise<unknown>) =>
    transition(() => undefined, work).catch(async () => {
      await transition(() => undefined, async () => adopt(await driven.currentWaitListEntry({ entryId: current().id })));
    });

  while (!isWaitListClosed(current().state)) {
    const seen = version;
    const dueAt = current().state === 'offered' && offerExpiresAt !== null ? offerExpiresAt : expiresAt;
    const ms = dueAt - workflowNow();
    const woken = ms > 0 ? await condition(() => version !== seen || offersAnnounced > 0, ms) : version !== seen || offersAnnounced > 0;
    if (offersAnnounced > 0) {
      offersAnnounced = 0;
      await quietly(async () => adopt(await driven.currentWaitListEntry({ entryId: current().id })));
    } else if (!woken) {
      await quietly(async () => {
        if (version !== seen) return;
        if (current().state === 'offered') adopt(await driven.releaseOffer({ entryId: current().id, outcome: 'timed_out' }));
        else adopt(await driven.expireWaiter({ entryId: current().id }));
      });
    }
  }
  // Accepted: the booking's own workflow takes over; it finds the row by its request id and adopts it.
  // Started from here, not from the accept handler, so an acceptance the database has is always
  // handed over, however this workflow learnt of it.
  if (current().state === 'accepted' && acceptedBookingRequestId) {
    try {
      await startChild(bookingWorkflow, {
        workflowId: bookingWorkflowId(acceptedBookingRequestId),
        args: [{ request: { ...input.request, requestId: acceptedBookingRequestId }, actor: input.actor, ...(input.timing?.booking ? { timing: input.timing.booking } : {}) }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch {
      // Already running (started by an earlier run of this workflow): it is the booking's own.
    }
    handedOver = true;
  }
  await condition(allHandlersFinished);
  return { entry: current() };
}
