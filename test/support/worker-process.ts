import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';
import type { Client } from '@temporalio/client';
import { temporalAddress, untilWorkerPolls } from './temporal.js';

const projectRoot = path.resolve(import.meta.dirname, '../..');
export interface WorkerProcess {
  pid: number;
  /** SIGSTOP: the process holds still (its sockets stay open) until killed. */
  freeze(): void;
  /** SIGKILL, as a crash or an OOM killer would; resolves once the process is gone. */
  kill(): Promise<void>;
  /** What the process printed, for a failing test's message. */
  output(): string;
}

const started: ChildProcess[] = [];

/** A worker in a child process (test/support/worker-main.ts), resolved once the server has seen it poll. */
export async function startWorkerProcess(options: { databaseUrl: string; taskQueue: string; client: Client }): Promise<WorkerProcess> {
  const { client, ...forChild } = options;
  const args = JSON.stringify({ ...forChild, temporalAddress: temporalAddress(), bundlePath: inject('workflowBundlePath') });
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/worker-main.ts', args], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker process did not start in 90 s:\n${output}`)), 90_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker process exited (${code ?? signal}) before it polled:\n${output}`));
    });
  });
  await untilWorkerPolls(client, options.taskQueue, child.pid!);
  return {
    pid: child.pid!,
    freeze: () => child.kill('SIGSTOP'),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    output: () => output,
  };
}

/** SIGKILLs every worker process this test file started that still runs. */
export async function killWorkerProcesses(): Promise<void> {
  await Promise.all(
    started.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }),
  );
}
