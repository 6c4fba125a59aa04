import pg from 'pg';

// Holding a write still at a chosen point, without a seam in production code: the test holds a
// PostgreSQL advisory lock that the writer's transaction takes at that point, so the writer waits
// there (visibly, in pg_locks) until the test lets go.

/** Where a gated booking INSERT waits: before its row is written, after it, or at COMMIT. */
export type GatePoint = 'before-insert' | 'after-insert' | 'at-commit';

/** A booking requested with this purpose waits at the gate point; every other booking passes. */
export const gatedPurpose = (point: GatePoint): string => `gate:${point}`;

/** The advisory-lock key a gate point waits on. */
export const gateKey = (point: GatePoint): string => `pilotline-test/gate/${point}`;

/** The key of the per-tool-type lock placements take (activities/locks.ts). */
export const toolTypeLockKey = (toolTypeId: string): string => `pilotline/tool-type/${toolTypeId}`;

/**
 * Test-only triggers in a test database: a booking whose purpose names a gate point takes that
 * point's advisory lock there (before the row, after the row and its reservation, or at commit).
 */
export async function installBookingGates(url: string): Promise<void> {
  const gateAt = (point: GatePoint) =>
    `FOR EACH ROW WHEN (NEW."purpose" = ${pg.escapeLiteral(gatedPurpose(point))}) ` +
    `EXECUTE FUNCTION "pilotline_test_gate"(${pg.escapeLiteral(gateKey(point))})`;
  // Same-event triggers fire in name order: "test_gate_after_insert" after "bookings_mirror_reservation".
  await withClient(url, (client) =>
    client.query(`
      CREATE FUNCTION "pilotline_test_gate"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext(TG_ARGV[0]));
        RETURN NEW;
      END $$;
      CREATE TRIGGER "test_gate_before_insert" BEFORE INSERT ON "bookings" ${gateAt('before-insert')};
      CREATE TRIGGER "test_gate_after_insert" AFTER INSERT ON "bookings" ${gateAt('after-insert')};
      CREATE CONSTRAINT TRIGGER "test_gate_at_commit" AFTER INSERT ON "bookings" DEFERRABLE INITIALLY DEFERRED ${gateAt('at-commit')};
    `),
  );
}

export interface HeldLock extends AsyncDisposable {
  /** Resolves once at least `count` transactions wait for the lock (polls pg_locks). */
  untilWaiters(count: number, options?: WaitOptions): Promise<void>;
  /** Lets the one waiter through and holds the lock again as soon as its transaction ends. */
  letOneThrough(): Promise<void>;
  /** Lets go for good. */
  release(): Promise<void>;
}

/** Takes the advisory lock `key` (as hashtext(key), the way the app and the gates do) on a connection of its own. */
export async function holdAdvisoryLock(url: string, key: string): Promise<HeldLock> {
  const client = new pg.Client({ connectionString: url });
  // A failing test may drop its database under this connection: that ends it, quietly.
  client.on('error', () => undefined);
  await client.connect();
  const literal = pg.escapeLiteral(key);
  await client.query(`SELECT pg_advisory_lock(hashtext(${literal}))`);
  let held = true;

  const release = async () => {
    if (!held) return;
    held = false;
    await client.query(`SELECT pg_advisory_unlock(hashtext(${literal}))`);
  };

  return {
    untilWaiters: (count, options) => untilLockWaiters(client, key, count, options),
    async letOneThrough() {
      // One round trip: the waiter is granted the lock at the unlock, and our request queues
      // right behind it, ahead of anything the waiter's next transaction asks for.
      await client.query(`SELECT pg_advisory_unlock(hashtext(${literal})); SELECT pg_advisory_lock(hashtext(${literal}))`);
    },
    release,
    async [Symbol.asyncDispose]() {
      await release().catch(() => undefined);
      await client.end();
    },
  };
}

/** Resolves once at least `count` transactions wait for the advisory lock `key` (someone else holds it). */
export async function untilWaitersOn(url: string, key: string, count: number, options?: WaitOptions): Promise<void> {
  await withClient(url, (client) => untilLockWaiters(client, key, count, options));
}

interface WaitOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

async function untilLockWaiters(client: pg.Client, key: string, count: number, { timeoutMs = 45_000, signal }: WaitOptions = {}) {
  const deadline = Date.now() + timeoutMs;
  while ((await countLockWaiters(client, key)) < count) {
    if (signal?.aborted) return;
    if (Date.now() > deadline) throw new Error(`nobody reached ${key} (${count} waiter(s) expected) within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function countLockWaiters(client: pg.Client, key: string): Promise<number> {
  // A bigint advisory key shows in pg_locks as (classid, objid) = (high, low) 32 bits, objsubid 1.
  const { rows } = await client.query<{ n: number }>(
    `WITH k AS (SELECT hashtext($1)::bigint AS v)
     SELECT count(*)::int AS n FROM pg_locks, k
      WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND classid = ((k.v >> 32) & 4294967295)::oid AND objid = (k.v & 4294967295)::oid`,
    [key],
  );
  return rows[0]!.n;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
