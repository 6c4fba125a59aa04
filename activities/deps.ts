import type { CatalogueCache } from '../src/calendar/catalogue.js';
import type { Clock } from '../src/clock.js';
import type { Db } from '../src/data/db.js';
import type { SqlSource } from '../src/data/sql.js';
import type { MailTransport } from '../src/mail/transport.js';

/** How the outbox reaches people: a transport and the words around each mail. */
export interface MailDeps {
  transport: MailTransport;
  /** The sender, `Name <address>`. */
  from: string;
  /** Where people open Pilotline, for links, without a trailing slash. */
  publicUrl: string;
  /** A claim older than this whose outcome was never recorded may have been sent: unconfirmed (default 10 min). */
  sendLeaseMs?: number;
  /** Attempts before a mail that keeps failing definitely is given up (default 8). */
  maxAttempts?: number;
  /** The first retry's delay, doubling each time up to an hour (default 1 min). */
  retryBaseMs?: number;
  /** Mails sent per delivery run at most (default 200); the next run takes the rest. */
  batchSize?: number;
}

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
  placementLock?: (tx: SqlSource, toolTypeIds: readonly string[]) => Promise<void>;
  /**
   * Wakes the wait-list dispatcher after a commit that freed tool time (default: signal-with-start
   * through the activity's client). A test passes one that loses the signal, as a crash would.
   */
  announceFreedTime?: () => Promise<void>;
  /** Open offers a tenant may hold at once (default 1): the fair order's cap. */
  openOffersPerTenant?: number;
  /** The optimizer's budget when placing a lot route (default 500 ms). */
  lotPlanTimeLimitMs?: number;
  /** The catalogue this worker keeps between placements (createActivities makes one). */
  catalogue?: CatalogueCache;
  /** The e-mail outbox's delivery; absent: `deliverMail` refuses (nothing is sent). */
  mail?: MailDeps;
}
