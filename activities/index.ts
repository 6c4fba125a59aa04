import type { Clock } from '../src/clock.js';
import type { Db } from '../src/runtime/database/prisma.js';
import { createBookingActivities } from './bookings.js';

export interface ActivityDeps {
  db: Db;
  clock: Clock;
}

/** Every activity the worker registers, built from its dependencies (no singletons). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createBookingActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
