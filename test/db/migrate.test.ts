import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../../src/runtime/database/migrate.js';
import { silentLog } from '../../src/runtime/log.js';
import { createEmptyDatabase } from '../support/database.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('migrate', () => {
  it('applies every migration once and records it in _prisma_migrations as Prisma does', async () => {
    const database = await createEmptyDatabase();
    try {
      const migrations = await readMigrations();
      const first = await migrate(database.url, silentLog);
      expect(first.applied).toEqual(migrations.map((m) => m.name));

      const second = await migrate(database.url, silentLog);
      expect(second.applied).toEqual([]);
      expect(second.alreadyApplied).toEqual(migrations.map((m) => m.name));

      const rows = await query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
        database.url,
        'SELECT migration_name, checksum, applied_steps_count FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
      );
      expect(rows).toEqual(
        migrations.map((m) => ({ migration_name: m.name, checksum: m.checksum, applied_steps_count: 1 })),
      );
      const [gist] = await query<{ extname: string }>(database.url, "SELECT extname FROM pg_extension WHERE extname = 'btree_gist'");
      expect(gist?.extname).toBe('btree_gist');
    } finally {
      await database.drop();
    }
  });

  it('refuses a migration edited after it was applied', async () => {
    const database = await createEmptyDatabase();
    try {
      const migrations = await readMigrations();
      await migrate(database.url, silentLog, migrations);
      const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
      await expect(migrate(database.url, silentLog, edited)).rejects.toThrow(/edited after it was applied/);
    } finally {
      await database.drop();
    }
  });

  it('rolls a failing migration back whole and applies nothing after it', async () => {
    const database = await createEmptyDatabase();
    try {
      const broken = [
        { name: '1_ok', sql: 'CREATE TABLE a (x int);', checksum: 'a'.repeat(64) },
        { name: '2_broken', sql: 'CREATE TABLE b (x int); SELECT * FROM missing_table;', checksum: 'b'.repeat(64) },
        { name: '3_later', sql: 'CREATE TABLE c (x int);', checksum: 'c'.repeat(64) },
      ];
      await expect(migrate(database.url, silentLog, broken)).rejects.toThrow(/2_broken failed/);
      const tables = await query<{ tablename: string }>(
        database.url,
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('a','b','c') ORDER BY 1",
      );
      expect(tables.map((t) => t.tablename)).toEqual(['a']);
    } finally {
      await database.drop();
    }
  });

  it('lets concurrent runners apply each migration exactly once', async () => {
    const database = await createEmptyDatabase();
    try {
      const reports = await Promise.all([1, 2, 3].map(() => migrate(database.url, silentLog)));
      const appliedCounts = reports.map((r) => r.applied.length).sort();
      const total = (await readMigrations()).length;
      expect(appliedCounts).toEqual([0, 0, total]);
    } finally {
      await database.drop();
    }
  });
});
