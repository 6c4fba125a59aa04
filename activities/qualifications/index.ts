import type { ActivityDeps } from '../deps.js';
import { grantQualificationActivity, renewQualificationActivity } from './grant.js';
import { revokeQualificationActivity } from './revoke.js';
import { currentQualificationActivity, lapseQualificationActivity, remindQualificationActivity } from './timers.js';

export type { QualificationChange } from './change.js';
export type { QualificationKey } from './key.js';

/** Qualification side effects, each one transaction with its audit entry and notifications. */
export function createQualificationActivities(deps: ActivityDeps) {
  return {
    grantQualification: grantQualificationActivity(deps),
    renewQualification: renewQualificationActivity(deps),
    revokeQualification: revokeQualificationActivity(deps),
    currentQualification: currentQualificationActivity(deps),
    remindQualification: remindQualificationActivity(deps),
    lapseQualification: lapseQualificationActivity(deps),
  };
}

export type QualificationActivities = ReturnType<typeof createQualificationActivities>;
