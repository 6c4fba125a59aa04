import type { Clock } from '../src/clock.js';
import type { Db } from '../src/runtime/database/prisma.js';
import { createBookingActivities } from './bookings.js';
import { createLotActivities } from './lots.js';
import { createMaintenanceActivities } from './maintenance.js';

export interface ActivityDeps {
  db: Db;
  clock: Clock;
  /** The optimizer's budget when placing a lot route (default 500 ms). */
  lotPlanTimeLimitMs?: number;
}

/** Every activity the worker registers, built from its dependencies (no singletons). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createBookingActivities(deps),
    ...createMaintenanceActivities(deps),
    ...createLotActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { BookingActivities } from './bookings.js';
export type { MaintenanceActivities } from './maintenance.js';
export type { LotActivities } from './lots.js';
