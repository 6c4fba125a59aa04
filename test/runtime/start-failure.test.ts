import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/runtime/ports.js';
import { createEmptyDatabase } from '../support/database.js';

// What a person sees when a part cannot start: one sentence naming it and what to change, exit 1,
// never a stack trace.

const projectRoot = path.resolve(import.meta.dirname, '../..');
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pilotline-fail-'));
  await chmod(dir, 0o755);
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `pilotline <args>` to its end with `env` over a clean environment (no DATABASE_URL, TEMPORAL_ADDRESS). */
async function pilotline(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info' };
  delete base.DATABASE_URL;
  delete base.TEMPORAL_ADDRESS;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: projectRoot,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

function expectOneSentence(stderr: string, naming: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(naming);
  expect(lines[0]).toMatch(/; .+\.$/);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('a start-up failure', () => {
  it('says in one sentence, without a stack, that the HTTP port is taken', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => busy.close(() => resolve())));
    const port = (busy.address() as net.AddressInfo).port;
    const run = await pilotline(['start'], { PILOTLINE_DATA_DIR: await dataDir(), PORT: String(port) });
    expect(run.code).toBe(1);
    expectOneSentence(run.stderr, new RegExp(`Port ${port} .* in use.*PORT`));
  });

  it('says which database did not answer, and to check DATABASE_URL', async () => {
    const closed = await freePort();
    const run = await pilotline(['migrate'], {
      DATABASE_URL: `postgresql://pilotline:secret@127.0.0.1:${closed}/pilotline`,
    });
    expect(run.code).toBe(1);
    expectOneSentence(run.stderr, /DATABASE_URL/);
    expect(run.stderr).not.toContain('secret');
  });

  it('names TEMPORAL_CLI_PATH when it is not a temporal CLI', async () => {
    const database = await createEmptyDatabase();
    cleanups.push(() => database.drop());
    const run = await pilotline(['start'], {
      PILOTLINE_DATA_DIR: await dataDir(),
      DATABASE_URL: database.url,
      TEMPORAL_CLI_PATH: path.join(os.tmpdir(), 'no-such-temporal'),
      PORT: String(await freePort()),
    });
    expect(run.code).toBe(1);
    expectOneSentence(run.stderr, /TEMPORAL_CLI_PATH/);
  }, 60_000);

  it('names the variable of a bad configuration', async () => {
    const run = await pilotline(['start'], { PORT: 'eighty' });
    expect(run.code).toBe(1);
    expectOneSentence(run.stderr, /PORT/);
  });
});
