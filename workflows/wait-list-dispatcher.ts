// The one drainer of freed time (per task queue): woken by a signal after every commit that freed
// time, and at every worker start, it turns the outbox into offers (fair order, in the database)
// and tells each waiter's workflow. Signals to waiters are workflow commands: durable, so an offer
// made is always announced, even if the worker dies right after the activity.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  proxyLocalActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { WaitListActivities } from '../activities/index.js';
import { drivenOptions } from './activity-options.js';
import { freedTimeSignal, offerMadeSignal } from './messages.js';

const driven = proxyLocalActivities<WaitListActivities>(drivenOptions);

/** Freed intervals per activity call: each is its own transaction; the rest follow in the next call. */
const drainBatch = 20;

export async function waitListDispatcherWorkflow(): Promise<void> {
  // A (re)started dispatcher drains whatever is pending: a freeing whose signal was lost is found here.
  let wakeups = 1;
  setHandler(freedTimeSignal, () => {
    wakeups += 1;
  });

  for (;;) {
    await condition(() => wakeups > 0);
    wakeups = 0;
    let drained;
    try {
      drained = await driven.drainFreedTime({ limit: drainBatch });
    } catch {
      // Not a retryable database hiccup (those are retried inside): try again a little later.
      wakeups += 1;
      await sleep('30 seconds');
      continue;
    }
    for (const offer of drained.offers) {
      try {
        await getExternalWorkflowHandle(offer.workflowId).signal(offerMadeSignal, { offerId: offer.offerId });
      } catch {
        // The waiter's workflow is gone: nobody would answer or time out the offer, so it is released.
        await driven.releaseOffer({ entryId: offer.entryId, outcome: 'withdrawn' }).catch(() => undefined);
      }
    }
    if (drained.more) wakeups += 1;
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof waitListDispatcherWorkflow>();
    }
  }
}
