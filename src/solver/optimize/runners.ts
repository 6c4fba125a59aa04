import { Worker } from 'node:worker_threads';
import type { CompiledProblem } from './compile.js';
import { createStream, type Engine, type TabuTuning } from './engines.js';
import type { SearchStream } from './stream.js';

/** What a stream reports after an epoch; the snapshot only when its best improved. */
export interface EpochReport {
  ran: number;
  /** Stopped before the budget and before the deadline: nothing left to search. */
  exhausted: boolean;
  bestValue: number;
  snapshot: Int32Array | null;
}

/** Runs one search stream, here or in a worker thread. */
export interface StreamRunner {
  /** Starts an epoch of up to `iterations` iterations, stopping at the deadline. */
  run(iterations: number, deadline: number, now: () => number): Promise<EpochReport>;
  offer(snapshot: Int32Array, value: number): void;
  close(): Promise<void>;
}

export class InThreadRunner implements StreamRunner {
  private reported = Infinity;
  readonly stream: SearchStream;

  constructor(c: CompiledProblem, engine: Engine, seed: number, tuning: TabuTuning = {}) {
    this.stream = createStream(c, engine, seed, tuning);
  }

  run(iterations: number, deadline: number, now: () => number): Promise<EpochReport> {
    return Promise.resolve(this.runNow(iterations, deadline, now));
  }

  runNow(iterations: number, deadline: number, now: () => number): EpochReport {
    const ran = this.stream.run(iterations, () => now() >= deadline);
    const exhausted = ran < iterations && now() < deadline;
    const bestValue = this.stream.bestValue;
    const improved = bestValue < this.reported;
    this.reported = Math.min(this.reported, bestValue);
    return { ran, exhausted, bestValue, snapshot: improved ? this.stream.bestSnapshot() : null };
  }

  offer(snapshot: Int32Array, value: number): void {
    this.stream.offer(snapshot, value);
    this.reported = Math.min(this.reported, value);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export type WorkerRequest =
  | { type: 'init'; problem: CompiledProblem; engine: Engine; seed: number; tuning: TabuTuning }
  | { type: 'run'; iterations: number; remainingMs: number }
  | { type: 'offer'; snapshot: Int32Array; value: number };

export type WorkerReply = { type: 'ready' } | ({ type: 'ran' } & EpochReport) | { type: 'error'; message: string };

/**
 * A stream in a worker thread. The worker has its own clock, so it gets the time left rather than
 * the caller's `now`; everything else (seed, iterations, offers between epochs) is identical to
 * the in-thread runner, hence the same trajectory.
 */
export class WorkerRunner implements StreamRunner {
  private pending: { resolve: (r: EpochReport) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (msg: WorkerReply) => {
      const p = this.pending;
      this.pending = null;
      if (!p) return;
      if (msg.type === 'ran') p.resolve({ ran: msg.ran, exhausted: msg.exhausted, bestValue: msg.bestValue, snapshot: msg.snapshot });
      else if (msg.type === 'error') p.reject(new Error(`optimizer worker: ${msg.message}`));
    });
    const fail = (err: Error): void => {
      this.failure = err;
      this.pending?.reject(err);
      this.pending = null;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`optimizer worker exited with code ${code}`)));
  }

  /** Starts a worker and builds its stream; null when no worker can run here (the caller falls back). */
  static async start(c: CompiledProblem, engine: Engine, seed: number, tuning: TabuTuning = {}): Promise<WorkerRunner | null> {
    let worker: Worker;
    try {
      worker = spawnWorker();
    } catch {
      return null;
    }
    const ok = await new Promise<boolean>((resolve) => {
      const onMessage = (msg: WorkerReply): void => {
        cleanup();
        resolve(msg.type === 'ready');
      };
      const onFail = (): void => {
        cleanup();
        resolve(false);
      };
      const cleanup = (): void => {
        worker.off('message', onMessage);
        worker.off('error', onFail);
        worker.off('exit', onFail);
      };
      worker.on('message', onMessage);
      worker.on('error', onFail);
      worker.on('exit', onFail);
      worker.postMessage({ type: 'init', problem: c, engine, seed, tuning } satisfies WorkerRequest);
    });
    if (!ok) {
      await worker.terminate().catch(() => undefined);
      return null;
    }
    return new WorkerRunner(worker);
  }

  run(iterations: number, deadline: number, now: () => number): Promise<EpochReport> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      const t = now();
      const remainingMs = t === Infinity ? 0 : Number.isFinite(deadline) ? Math.max(0, deadline - t) : -1;
      this.worker.postMessage({ type: 'run', iterations, remainingMs } satisfies WorkerRequest);
    });
  }

  offer(snapshot: Int32Array, value: number): void {
    this.worker.postMessage({ type: 'offer', snapshot, value } satisfies WorkerRequest);
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

/** Compiled JS loads worker.js directly; from TypeScript sources (tsx, vitest) the worker registers tsx first. */
function spawnWorker(): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const url = new URL('./worker.ts', here).href;
    const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url)}); })`;
    return new Worker(boot, { eval: true });
  }
  return new Worker(new URL('./worker.js', here));
}
