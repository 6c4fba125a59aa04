import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { migrate } from '../../src/runtime/database/migrate.js';
import type { Db } from '../../src/data/db.js';
import { createPrismaClient } from '../../src/runtime/database/prisma.js';
import { silentLog } from '../../src/runtime/log.js';

export interface TestDatabase extends AsyncDisposable {
  url: string;
  name: string;
  db: Db;
}

/** The shared server's URL with another database name. */
export function databaseUrl(name: string): string {
  const url = new URL(inject('databaseAdminUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh, empty database on the shared server (no migrations). */
export async function createEmptyDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `pilotline_test_${randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  return {
    name,
    url: databaseUrl(name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
  };
}

/** A fresh, migrated database with a Prisma client; dropped on dispose. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const empty = await createEmptyDatabase();
  await migrate(empty.url, silentLog);
  const db = createPrismaClient(empty.url, { poolSize: 20 });
  return {
    name: empty.name,
    url: empty.url,
    db,
    async [Symbol.asyncDispose]() {
      await db.$disconnect();
      await empty.drop();
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('databaseAdminUrl') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
