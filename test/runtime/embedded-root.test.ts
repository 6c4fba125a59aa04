import { chmod, cp, mkdtemp, readFile, readlink, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/runtime/database/embedded.js';
import { packagedBinaries } from '../../src/runtime/database/postgres-process.js';
import type { Log } from '../../src/runtime/log.js';

// A clone in root's home folder (or any folder below a private one): the server runs as the
// `postgres` user, which cannot enter it, neither to run the binaries nor to keep the cluster.

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function recordingLog(lines: string[]): Log {
  return {
    info: (m) => lines.push(m),
    warn: (m) => lines.push(m),
    error: (m) => lines.push(m),
    debug: () => undefined,
  };
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe.runIf(process.getuid?.() === 0)('the embedded PostgreSQL as root below a private folder', () => {
  it('runs from a copy of the binaries and a cluster the postgres user reaches, and finds its data again after a restart', async () => {
    const privateDir = await mkdtemp(path.join(os.tmpdir(), 'pilotline-private-'));
    expect((await stat(privateDir)).mode & 0o777).toBe(0o700);
    const reachableRoot = await mkdtemp(path.join(os.tmpdir(), 'pilotline-reachable-'));
    await chmod(reachableRoot, 0o755);
    cleanups.push(() => rm(privateDir, { recursive: true, force: true }));
    cleanups.push(() => rm(reachableRoot, { recursive: true, force: true }));
    // The binaries where npm would put them in such a clone: node_modules below the private folder.
    const binaries = path.join(privateDir, 'clone', 'node_modules', 'native');
    await cp(await packagedBinaries(), binaries, { recursive: true, verbatimSymlinks: true });
    const dir = path.join(privateDir, 'clone', '.pilotline', 'postgres');

    const firstLines: string[] = [];
    const first = await startEmbeddedPostgres({
      dir,
      log: recordingLog(firstLines),
      binaries,
      reachableRoot,
    });
    let firstStopped = false;
    cleanups.push(async () => {
      if (!firstStopped) await first.stop();
    });
    const relocation = firstLines.filter((l) => l.includes('cannot enter'));
    expect(relocation).toHaveLength(1);
    expect(relocation[0]).toContain(reachableRoot);

    const [{ data_directory: clusterDir }] = await query<{ data_directory: string }>(
      first.adminUrl,
      'SHOW data_directory',
    );
    expect(clusterDir!.startsWith(`${reachableRoot}/`)).toBe(true);
    const postmaster = (await readFile(path.join(clusterDir!, 'postmaster.pid'), 'utf8')).split('\n')[0];
    expect(await readlink(`/proc/${postmaster}/exe`)).toMatch(
      new RegExp(`^${reachableRoot}/postgres-[0-9a-f]{12}/bin/postgres$`),
    );

    await query(first.adminUrl, 'CREATE TABLE kept (note text)');
    await query(first.adminUrl, "INSERT INTO kept VALUES ('across restarts')");
    await first.stop();
    firstStopped = true;

    const secondLines: string[] = [];
    const second = await startEmbeddedPostgres({
      dir,
      log: recordingLog(secondLines),
      binaries,
      reachableRoot,
    });
    try {
      expect(secondLines.filter((l) => l.includes('cannot enter'))).toHaveLength(1);
      expect(secondLines.some((l) => l.includes('initialising'))).toBe(false);
      const [{ data_directory: again }] = await query<{ data_directory: string }>(
        second.adminUrl,
        'SHOW data_directory',
      );
      expect(again).toBe(clusterDir);
      expect(await query(second.adminUrl, 'SELECT note FROM kept')).toEqual([{ note: 'across restarts' }]);
    } finally {
      await second.stop();
    }
  }, 120_000);
});
