import type { Db } from '../../src/data/db.js';

/**
 * Every table's row count and a digest of its rows: two equal fingerprints mean nothing was
 * inserted, deleted or changed in between (Prisma's migration table aside).
 */
/** When a credential was last used is bookkeeping of signing in, not something a request wrote. */
const bookkeeping: Record<string, string[]> = { api_tokens: ['last_used_at'], sessions: ['last_seen_at'] };

export async function databaseFingerprint(db: Db): Promise<Record<string, string>> {
  const tables = await db.$queryRaw<Array<{ name: string }>>`
    SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'
     ORDER BY table_name`;
  const fingerprint: Record<string, string> = {};
  for (const { name } of tables) {
    const quoted = `"${name.replaceAll('"', '""')}"`;
    const ignored = (bookkeeping[name] ?? []).map((c) => ` - '${c}'`).join('');
    const value = ignored ? `(to_jsonb(t)${ignored})::text` : 't::text';
    const [row] = await db.$queryRawUnsafe<Array<{ rows: bigint; digest: string | null }>>(
      `SELECT count(*) AS rows, md5(string_agg(${value}, '|' ORDER BY ${value})) AS digest FROM ${quoted} t`,
    );
    fingerprint[name] = `${row!.rows} rows, ${row!.digest ?? '-'}`;
  }
  return fingerprint;
}
