import { Worker } from 'node:worker_threads';
import type { CompiledProblem } from './compile.js';
import { createStream, type Engine, type TabuTuning } from './engines.js';
import type { SearchStream } from './stream.js';

/** What a stream reports after a round; the snapshot only when its best improved. */
export interface RoundReport {
  ran: number;
  /** Stopped before the budget and before the deadline: optimal, or nothing left to search. */
  exhausted: boolean;
  bestValue: number;
  snapshot: Int32Array | null;
}

export interface StreamSpec {
  problem: CompiledProblem;
  engine: Engine;
  seed: number;
  tuning: TabuTuning;
}

/** Runs one search stream, here or in a worker thread. */
export interface StreamRunner {
  /** Runs a round of up to `iterations` iterations, stopping at the deadline (ms on `clock`). */
  runRound(iterations: number, deadline: number, clock: () => number): Promise<RoundReport>;
  offer(snapshot: Int32Array, value: number): void;
  close(): Promise<void>;
}

export class InThreadRunner implements StreamRunner {
  private reported = Infinity;
  readonly stream: SearchStream;

  constructor(spec: StreamSpec) {
    this.stream = createStream(spec.problem, spec.engine, spec.seed, spec.tuning);
  }

  runRound(iterations: number, deadline: number, clock: () => number): Promise<RoundReport> {
    return Promise.resolve(this.runNow(iterations, deadline, clock));
  }

  runNow(iterations: number, deadline: number, clock: () => number): RoundReport {
    const ran = this.stream.run(iterations, () => clock() >= deadline);
    const exhausted = ran < iterations && clock() < deadline;
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
  | { type: 'init'; spec: StreamSpec; abort: Int32Array }
  | { type: 'run'; iterations: number; deadlineWallMs: number }
  | { type: 'offer'; snapshot: Int32Array; value: number };

export type WorkerReply = ({ type: 'ran' } & RoundReport) | { type: 'error'; message: string };

/** Raised by a worker that never came up: the coordinator runs its stream here instead. */
export class WorkerUnavailableError extends Error {
  override readonly name = 'WorkerUnavailableError';
}

/** Wall-clock ms shared by all threads (each thread's performance.now() has its own origin). */
export const wallNow = (): number => performance.timeOrigin + performance.now();

/**
 * A stream in a worker thread, started without waiting: requests queue up while the worker boots,
 * so the caller's own stream runs meanwhile. The worker has its own clock, so it gets the deadline
 * as wall-clock time; everything else (seed, iteration budgets, offers between rounds) is as in
 * the in-thread runner, hence the same trajectory.
 */
export class WorkerRunner implements StreamRunner {
  private pending: { resolve: (r: RoundReport) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  private answered = false;

  constructor(
    private readonly worker: Worker,
    spec: StreamSpec,
    abort: Int32Array,
  ) {
    worker.on('message', (msg: WorkerReply) => {
      const p = this.pending;
      this.pending = null;
      if (msg.type === 'ran') {
        this.answered = true;
        p?.resolve({ ran: msg.ran, exhausted: msg.exhausted, bestValue: msg.bestValue, snapshot: msg.snapshot });
        return;
      }
      // Before its first round the worker is unusable (it failed to build its stream).
      this.failure = this.answered ? new Error(`optimizer worker: ${msg.message}`) : new WorkerUnavailableError(msg.message);
      p?.reject(this.failure);
    });
    const fail = (err: Error): void => {
      this.failure = this.answered ? err : new WorkerUnavailableError(err.message);
      this.pending?.reject(this.failure);
      this.pending = null;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`optimizer worker exited with code ${code}`)));
    worker.postMessage({ type: 'init', spec, abort } satisfies WorkerRequest);
  }

  /** Null when no worker thread can be created here. */
  static start(spec: StreamSpec, abort: Int32Array): WorkerRunner | null {
    try {
      return new WorkerRunner(spawnWorker(), spec, abort);
    } catch {
      return null;
    }
  }

  runRound(iterations: number, deadline: number, clock: () => number): Promise<RoundReport> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      const t = clock();
      const deadlineWallMs = t === Infinity ? 0 : Number.isFinite(deadline) ? wallNow() + (deadline - t) : Infinity;
      this.worker.postMessage({ type: 'run', iterations, deadlineWallMs } satisfies WorkerRequest);
    });
  }

  offer(snapshot: Int32Array, value: number): void {
    this.worker.postMessage({ type: 'offer', snapshot, value } satisfies WorkerRequest);
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    this.worker.removeAllListeners('error');
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
