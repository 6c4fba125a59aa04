import type { ActivityDeps } from '../deps.js';
import { cancelLotActivity, currentLotActivity, decideLotActivity, expireLotActivity } from './decide.js';
import { placeLotActivity } from './place-lot.js';
import { checkInLotStepActivity, checkOutLotStepActivity } from './steps.js';

/** Lot-route side effects: all steps of a route held, moved or released together. */
export function createLotActivities(deps: ActivityDeps) {
  return {
    placeLot: placeLotActivity(deps),
    decideLot: decideLotActivity(deps),
    expireLot: expireLotActivity(deps),
    cancelLot: cancelLotActivity(deps),
    currentLot: currentLotActivity(deps),
    checkInLotStep: checkInLotStepActivity(deps),
    checkOutLotStep: checkOutLotStepActivity(deps),
  };
}

export type LotActivities = ReturnType<typeof createLotActivities>;
