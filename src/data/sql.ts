import type pg from 'pg';
import type { Prisma } from '../generated/prisma/client.js';
import type { Db, Tx } from './db.js';

// The booking's hot path speaks to PostgreSQL through node-postgres itself, on the very pool
// Prisma's adapter uses: a statement through Prisma costs about five times the CPU and six times
// the wall time of the same statement through the driver (bench/booking.ts measures the difference).
// Everything else goes through Prisma.

/** A connection of the pool (inside a transaction, or a single statement's). */
export type SqlClient = Pick<pg.ClientBase, 'query'>;

const pools = new WeakMap<Db, pg.Pool>();

/** Remembers the pool `db`'s adapter was built on (src/runtime's createPrismaClient does it). */
export function attachPool(db: Db, pool: pg.Pool): void {
  pools.set(db, pool);
}

/** The node-postgres pool under `db`. */
export function poolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('this Prisma client was not made by createPrismaClient: its pool is unknown');
  return pool;
}

/** Rows of one statement built with Prisma.sql (`name`: prepared once per connection; give it only to a fixed text). */
export async function rowsOf<T>(client: SqlClient, statement: Prisma.Sql, name?: string): Promise<T[]> {
  const result = await client.query<T & pg.QueryResultRow>({ text: statement.text, values: statement.values, ...(name ? { name } : {}) });
  return result.rows;
}

/** Prisma's client or transaction, or a connection of the hot path: what a statement both may run on. */
export type SqlSource = Pick<Db | Tx, '$queryRaw' | '$executeRaw'> | SqlClient;

/** Rows of one statement on either kind of source. */
export function queryRows<T>(source: Pick<Db | Tx, '$queryRaw'> | SqlClient, statement: Prisma.Sql, name?: string): Promise<T[]> {
  return '$queryRaw' in source ? source.$queryRaw<T[]>(statement) : rowsOf<T>(source, statement, name);
}

/** One statement whose rows do not matter (a lock: Prisma reads no `void` column, so it executes it). */
export async function execute(source: Pick<Db | Tx, '$executeRaw'> | SqlClient, statement: Prisma.Sql, name?: string): Promise<void> {
  if ('$executeRaw' in source) await source.$executeRaw(statement);
  else await rowsOf(source, statement, name);
}

/**
 * Runs `work` in a transaction on one connection: committed when it returns, rolled back when it
 * throws. Each statement may run 15 s at most (a lock never waited for forever). `first`: fixed
 * statements (no parameters) sent with the BEGIN, in its round trip — a lock, say.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: SqlClient) => Promise<T>, first?: string): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(`BEGIN; SET LOCAL statement_timeout = '15s'${first ? `; ${first}` : ''}`);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((e: unknown) => {
      // A connection that cannot even roll back is closed rather than handed to the next caller.
      broken = e instanceof Error ? e : new Error(String(e));
    });
    throw err;
  } finally {
    client.release(broken);
  }
}
