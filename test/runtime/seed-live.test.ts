import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/runtime/config.js';
import { openDatabaseServer, type DatabaseServer } from '../../src/runtime/database/index.js';
import { migrate } from '../../src/runtime/database/migrate.js';
import { silentLog } from '../../src/runtime/log.js';
import { freePort } from '../../src/runtime/ports.js';

// The README's `pilotline seed --history N` while `pilotline start` runs: the short command uses the
// embedded server of the running instance (its cluster is locked by postmaster.pid) instead of failing.

const projectRoot = path.resolve(import.meta.dirname, '../..');
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function pilotline(
  args: string[],
  dataDir: string,
): Promise<{ code: number | null; output: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PILOTLINE_DATA_DIR: dataDir,
    PORT: String(await freePort()),
    LOG_LEVEL: 'info',
  };
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    output += c.toString();
    stderr += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output, stderr };
}

async function count(url: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(table)}`)).rows[0].n);
  } finally {
    await client.end();
  }
}

describe('pilotline seed while the data dir has a running server', () => {
  it('seeds through the running server, refuses a second start in one sentence, and gets past a stale lock', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pilotline-live-'));
    await chmod(dataDir, 0o755);
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const config = loadConfig({ PILOTLINE_DATA_DIR: dataDir }, projectRoot);

    // What `pilotline start` holds while it runs: the embedded server of the data dir, migrated.
    let running: DatabaseServer | undefined = await openDatabaseServer(config, silentLog);
    cleanups.push(async () => running?.stop());
    await migrate(running.url, silentLog);

    const seeded = await pilotline(['seed', '--history', '3'], dataDir);
    expect(seeded.code, seeded.output).toBe(0);
    expect(seeded.output).toContain('using the embedded PostgreSQL already running on this data dir');
    expect(seeded.output).toMatch(/seed: \d+ bookings/);
    expect(await count(running.url, 'tools')).toBeGreaterThanOrEqual(38);
    expect(await count(running.url, 'bookings')).toBeGreaterThan(0);
    // The running server is still up: seed left it alone.
    expect(await count(running.url, 'tenants')).toBe(13);

    const second = await pilotline(['start'], dataDir);
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toBe(
      `Another Pilotline (pid ${process.pid}) is running on the data dir ${dataDir}; stop it first, or set PILOTLINE_DATA_DIR to another folder.`,
    );

    // A lock left by a server that is gone (a crash, a reboot that handed its pid to another process).
    const clusterDir = path.join(dataDir, 'postgres', 'cluster');
    const lock = await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8');
    await running.stop();
    running = undefined;
    await writeFile(path.join(clusterDir, 'postmaster.pid'), lock.replace(/^\d+/, String(process.pid)));
    const migrated = await pilotline(['migrate'], dataDir);
    expect(migrated.code, migrated.output).toBe(0);
    expect(migrated.output).not.toContain('already running');
  }, 180_000);
});
