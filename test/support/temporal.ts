import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { inject } from 'vitest';
import type { Activities } from '../../activities/index.js';
import { currentSlot } from './slots.js';
import { createWorker, installTemporalRuntime, type PilotlineWorker } from '../../src/runtime/temporal/worker.js';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflows bundled once for the whole run by the global setup (webpack takes seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  return (bundle ??= readFile(inject('workflowBundlePath'), 'utf8').then((code) => ({ code, sourceMap: '' })));
}

/** The dev server of this file's slot: files running at the same time never share one. */
export function temporalAddress(): string {
  const addresses = inject('temporalAddresses');
  return addresses[currentSlot() % addresses.length]!;
}

export interface TestWorker extends AsyncDisposable {
  taskQueue: string;
  worker: PilotlineWorker;
  /** Stops this worker (e.g. to simulate a crash) and resolves when it is down. */
  stop(): Promise<void>;
}

/** A real worker on the shared dev server, on a task queue of its own. */
export async function startTestWorker(activities: Activities, taskQueue = `test-${randomBytes(4).toString('hex')}`): Promise<TestWorker> {
  installTemporalRuntime((process.env.TEMPORAL_LOG_LEVEL as 'WARN') ?? 'WARN');
  const worker = await createWorker({
    address: temporalAddress(),
    namespace: 'default',
    taskQueue,
    activities,
    workflowBundle: await workflowBundle(),
  });
  const running = worker.run();
  const stop = async () => {
    await worker.shutdown();
    await running;
  };
  return { taskQueue, worker, stop, [Symbol.asyncDispose]: stop };
}

export interface TestClient extends AsyncDisposable {
  client: Client;
}

export async function connectTestClient(): Promise<TestClient> {
  const connection = await Connection.connect({ address: temporalAddress() });
  return { client: new Client({ connection, namespace: 'default' }), [Symbol.asyncDispose]: () => connection.close() };
}

/**
 * Resolves once the server has seen workflow-task polls on `taskQueue` from the process `pid` (a
 * worker's default identity is pid@host): a worker that says it started may not poll yet, and a
 * query meanwhile fails with "no poller seen".
 */
export async function untilWorkerPolls(client: Client, taskQueue: string, pid: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue },
      taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
    });
    if (pollers?.some((p) => p.identity?.startsWith(`${pid}@`))) return;
    if (Date.now() > deadline) throw new Error(`worker ${pid} did not poll ${taskQueue} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
