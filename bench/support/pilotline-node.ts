import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../src/runtime/ports.js';

// A `pilotline api` or `pilotline worker` as its own OS process, as production runs them: for the
// multi-node bench and the tests of the node commands.

const projectRoot = path.resolve(import.meta.dirname, '../..');

export type NodeCommand = 'api' | 'worker' | 'start';

export interface PilotlineNode {
  command: NodeCommand;
  pid: number;
  /** Where its HTTP listens (the API, or a worker's /healthz). */
  url: string;
  child: ChildProcess;
  /** What it printed so far (stdout and stderr), for a failure's message. */
  output(): string;
  /** Its exit: code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (SIGKILL: a crash; SIGTERM: a drain) and waits for the process to end. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface NodeOptions {
  command: NodeCommand;
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  dataDir: string;
  /** More environment (HTTP_DRAIN_SECONDS, WORKER_*…). */
  env?: Record<string, string>;
  /** How long it may take to answer /healthz with `ok` (bundling the workflows is the slow part). */
  readyWithinMs?: number;
}

/** Starts a node and resolves once its /healthz answers 200; rejects (and kills it) otherwise. */
export async function startPilotlineNode(options: NodeOptions): Promise<PilotlineNode> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    PILOTLINE_DATA_DIR: options.dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', options.command], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  const node: PilotlineNode = {
    command: options.command,
    pid: child.pid!,
    url,
    child,
    output: () => output,
    exited,
    stop: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  const deadline = Date.now() + (options.readyWithinMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`pilotline ${options.command} exited before it was ready:\n${output}`);
    }
    const status = await fetch(`${url}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return node;
    if (Date.now() > deadline) {
      await node.stop('SIGKILL');
      throw new Error(`pilotline ${options.command} was not healthy in time (last /healthz: ${status}):\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
