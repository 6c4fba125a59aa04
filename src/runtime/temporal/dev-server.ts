import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Log } from '../log.js';
import { freePort } from '../ports.js';

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  /** The server's process: benches read its CPU time. */
  pid: number;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  cliPath: string;
  /** SQLite file of the server; kept across restarts so workflows survive them. */
  dbFile: string;
  namespace: string;
  log: Log;
  /** Web UI port; `false` runs headless. */
  uiPort?: number | false;
  startTimeoutMs?: number;
}

/**
 * Runs `temporal server start-dev` on free loopback ports and resolves once its frontend answers.
 * It runs one history shard on one SQLite connection: for development, tests and benches only.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  await mkdir(path.dirname(options.dbFile), { recursive: true });
  const port = await freePort();
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--http-port',
    String(await freePort()),
    '--metrics-port',
    String(await freePort()),
    '--db-filename',
    options.dbFile,
    '--namespace',
    options.namespace,
    '--sqlite-pragma',
    'journal_mode=WAL',
    '--sqlite-pragma',
    'synchronous=OFF',
    '--log-level',
    'error',
  ];
  let uiUrl: string | undefined;
  if (options.uiPort === false) {
    args.push('--headless');
  } else {
    const uiPort = options.uiPort ?? (await freePort());
    args.push('--ui-port', String(uiPort), '--ui-ip', '127.0.0.1');
    uiUrl = `http://127.0.0.1:${uiPort}`;
  }

  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `127.0.0.1:${port}`;

  try {
    await waitUntilServing(address, options.namespace, exited, options.startTimeoutMs ?? 60_000);
  } catch (err) {
    await stopChild(child, exited);
    const said = stderr.trim().split('\n').at(-1);
    throw new Error(`${(err as Error).message}${said ? `: ${said}` : ''}`, { cause: err });
  }
  options.log.debug(`temporal: dev server on ${address}${uiUrl ? `, UI ${uiUrl}` : ''}`);
  return { address, uiUrl, pid: child.pid!, stop: () => stopChild(child, exited) };
}

async function waitUntilServing(
  address: string,
  namespace: string,
  exited: Promise<number | null>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error('the server process exited');
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`no answer on ${address} within ${timeoutMs} ms`, { cause: err });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** SIGTERM, then SIGKILL after 10 s: never leave a server behind. */
async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
