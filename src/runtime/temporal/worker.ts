import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type LogLevel,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { Activities } from '../../../activities/index.js';

/** A module of workflows/: `.ts` under tsx and vitest, `.js` once compiled. */
function workflowModule(name: string): string {
  const ts = fileURLToPath(new URL(`../../../workflows/${name}.ts`, import.meta.url));
  return existsSync(ts) ? ts : fileURLToPath(new URL(`../../../workflows/${name}.js`, import.meta.url));
}

/** The workflow entry module. */
export function workflowsPath(): string {
  return workflowModule('index');
}

/** Evaluated once per worker and shared by every workflow (see workflows/shared-modules.ts). */
export const bundlerOptions = { preloadModules: [workflowModule('shared-modules')] };

/** Bundles the workflows once (webpack, a few seconds) for workers that start repeatedly. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietBundlerLogger, ...bundlerOptions });
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`workflow bundler: ${message}\n`),
  error: (message: string) => process.stderr.write(`workflow bundler: ${message}\n`),
};

let runtimeInstalled = false;

/**
 * The SDK's process-wide runtime, logging at `level` (its default, INFO, is chatty). Pilotline
 * handles SIGINT/SIGTERM itself, to stop every part in order: the SDK must not grab them.
 */
export function installTemporalRuntime(level: LogLevel = 'WARN'): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger(level), shutdownSignals: [] });
  runtimeInstalled = true;
}

export interface WorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  activities: Activities;
  /** A prebuilt bundle; without one the worker bundles `workflows/` itself. */
  workflowBundle?: WorkflowBundleWithSourceMap;
  /** What the worker takes on at once; the defaults suit one small machine (see Config.worker). */
  limits?: Partial<WorkerLimits>;
}

export interface WorkerLimits {
  workflowTasks: number;
  localActivities: number;
  activities: number;
  cachedWorkflows: number;
  /** On shutdown, running activities get this long, then a cancellation (and must honour it). */
  shutdownGraceMs: number;
}

/** For tests and benches; a node takes its limits from the configuration (WORKER_*). */
export const defaultWorkerLimits: WorkerLimits = {
  workflowTasks: 40,
  localActivities: 40,
  activities: 40,
  cachedWorkflows: 2_000,
  shutdownGraceMs: 3_000,
};

export interface PilotlineWorker {
  worker: Worker;
  /** Runs until `shutdown()` (or a fatal error). */
  run(): Promise<void>;
  shutdown(): Promise<void>;
}

export async function createWorker(options: WorkerOptions): Promise<PilotlineWorker> {
  const limits = { ...defaultWorkerLimits, ...options.limits };
  const connection = await NativeConnection.connect({ address: options.address });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: workflowsPath(), bundlerOptions }),
    maxConcurrentWorkflowTaskExecutions: limits.workflowTasks,
    maxConcurrentLocalActivityExecutions: limits.localActivities,
    maxConcurrentActivityTaskExecutions: limits.activities,
    maxCachedWorkflows: limits.cachedWorkflows,
    shutdownGraceTime: limits.shutdownGraceMs,
  });
  let running: Promise<void> | undefined;
  return {
    worker,
    run: () => (running ??= worker.run().finally(() => connection.close())),
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
