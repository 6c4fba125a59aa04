import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { Db } from '../../src/data/db.js';
import { attachPool } from '../../src/data/sql.js';
import { PrismaClient } from '../../src/generated/prisma/client.js';

export interface CountingDb extends AsyncDisposable {
  db: Db;
  /** Every statement sent to PostgreSQL since the last `reset()`, as sent. */
  statements(): string[];
  reset(): void;
}

/**
 * A Prisma client whose connections write down every statement they send: how many round trips a
 * piece of work takes, counted at the driver, below anything Prisma might batch or hide.
 */
export function countingDb(url: string): CountingDb {
  const sent: string[] = [];
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      sent.push(typeof first === 'string' ? first : String((first as { text?: unknown }).text));
      return query(...args);
    };
  });
  const db = new PrismaClient({ adapter: new PrismaPg(pool) });
  attachPool(db, pool);
  return {
    db,
    statements: () => [...sent],
    reset: () => void sent.splice(0),
    async [Symbol.asyncDispose]() {
      await db.$disconnect();
      await pool.end();
    },
  };
}
