import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { Db } from '../../data/db.js';
import { attachPool } from '../../data/sql.js';
import { PrismaClient } from '../../generated/prisma/client.js';

/**
 * One Prisma client over a node-postgres pool: the same path for the embedded server and
 * production. The hot path uses the same pool directly (src/data/sql.ts); `$disconnect` ends it.
 */
export function createPrismaClient(databaseUrl: string, options: { poolSize?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  attachPool(db, pool);
  return db;
}
