import type { ActivityDeps } from '../deps.js';
import { applyMaintenanceActivity } from './apply.js';
import { proposeMaintenanceActivity } from './propose.js';
import { pmWindowActivity, recordRequalificationActivity, setMaintenanceStateActivity } from './state.js';

export type { BookingRevision, Revision } from './apply.js';
export type { LotRevision } from './apply-lot-repairs.js';

/** Maintenance side effects: the repair under the same locks as placement, applied in one transaction. */
export function createMaintenanceActivities(deps: ActivityDeps) {
  return {
    pmWindow: pmWindowActivity(deps),
    proposeMaintenance: proposeMaintenanceActivity(deps),
    applyMaintenance: applyMaintenanceActivity(deps),
    setMaintenanceState: setMaintenanceStateActivity(deps),
    recordRequalification: recordRequalificationActivity(deps),
  };
}

export type MaintenanceActivities = ReturnType<typeof createMaintenanceActivities>;
