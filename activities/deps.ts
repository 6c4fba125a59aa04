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
  /**
   * Wakes the wait-list dispatcher after a commit that freed tool time (default: signal-with-start
   * through the activity's client). A test passes one that loses the signal, as a crash would.
   */
  announceFreedTime?: () => Promise<void>;
  /** Open offers a tenant may hold at once (default 1): the fair order's cap. */
  openOffersPerTenant?: number;
  /** The optimizer's budget when placing a lot route (default 500 ms). */
  lotPlanTimeLimitMs?: number;
}
