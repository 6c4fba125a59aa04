import type { CatalogueCache } from '../src/calendar/catalogue.js';
import type { Clock } from '../src/clock.js';
import type { Db, Tx } from '../src/data/db.js';

/** What every activity is built from: passed in by the worker (or a test), never a singleton. */
export interface ActivityDeps {
  db: Db;
  clock: Clock;
  /** How often placement re-places after losing a slot to a concurrent writer (default 5). */
  maxPlacementAttempts?: number;
  /**
   * How booking placements on the same tool types take turns inside their transaction (default:
   * the per-type advisory lock). A test passes a no-op to let placements race to the constraint.
   */
  placementLock?: (tx: Tx, toolTypeIds: readonly string[]) => Promise<void>;
  /** The optimizer's budget when placing a lot route (default 500 ms). */
  lotPlanTimeLimitMs?: number;
  /** The catalogue this worker keeps between placements (createActivities makes one). */
  catalogue?: CatalogueCache;
}
