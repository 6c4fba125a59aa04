import type { ActivityDeps } from '../deps.js';
import { acceptOfferActivity, releaseOfferActivity } from './answer.js';
import { drainFreedTimeActivity } from './drain.js';
import { currentWaitListEntryActivity, expireWaiterActivity } from './follow.js';
import { joinWaitListActivity } from './join.js';

export type { AcceptOfferResult } from './answer.js';
export { announceFreedTime, recordFreedTime } from './freed-time.js';

/** Wait-list side effects: each one transaction with its audit entry; freed time is announced after commit. */
export function createWaitListActivities(deps: ActivityDeps) {
  return {
    joinWaitList: joinWaitListActivity(deps),
    drainFreedTime: drainFreedTimeActivity(deps),
    acceptOffer: acceptOfferActivity(deps),
    releaseOffer: releaseOfferActivity(deps),
    expireWaiter: expireWaiterActivity(deps),
    currentWaitListEntry: currentWaitListEntryActivity(deps),
  };
}

export type WaitListActivities = ReturnType<typeof createWaitListActivities>;
