import type { ActivityDeps } from '../deps.js';
import { lapseRoundActivity } from './lapse.js';
import { nextRoundPlanActivity, openRoundActivity } from './open.js';
import { closeRoundActivity, proposeRoundActivity } from './propose.js';
import { publishRoundActivity } from './publish.js';

export type { PublishResult } from './publish.js';
export type { RoundChanges } from './propose.js';

/** Allocation-round side effects: each one transaction with its audit entry and notifications. */
export function createRoundActivities(deps: ActivityDeps) {
  return {
    nextRoundPlan: nextRoundPlanActivity(deps),
    openRound: openRoundActivity(deps),
    closeRound: closeRoundActivity(deps),
    proposeRound: proposeRoundActivity(deps),
    publishRound: publishRoundActivity(deps),
    lapseRound: lapseRoundActivity(deps),
  };
}

export type RoundActivities = ReturnType<typeof createRoundActivities>;
