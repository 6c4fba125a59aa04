import { parentPort } from 'node:worker_threads';
import { createStream } from './engines.js';
import { wallNow, type WorkerReply, type WorkerRequest } from './runners.js';
import type { SearchStream } from './stream.js';

// Worker-thread entry: one search stream, driven round by round by the coordinator.

const port = parentPort;
if (!port) throw new Error('optimize/worker.ts must run in a worker thread');

let stream: SearchStream | null = null;
let abort: Int32Array | null = null;
let reported = Infinity;

const reply = (msg: WorkerReply, transfer: ArrayBuffer[] = []): void => port.postMessage(msg, transfer);

port.on('message', (msg: WorkerRequest) => {
  try {
    if (msg.type === 'init') {
      stream = createStream(msg.spec.problem, msg.spec.engine, msg.spec.seed, msg.spec.tuning);
      abort = msg.abort;
    } else if (msg.type === 'offer') {
      stream!.offer(msg.snapshot, msg.value);
      reported = Math.min(reported, msg.value);
    } else {
      const s = stream!;
      const flag = abort!;
      // The edge of the library: this thread reads the wall clock and the shared abort flag.
      const stop = (): boolean => Atomics.load(flag, 0) !== 0 || wallNow() >= msg.deadlineWallMs;
      const ran = s.run(msg.iterations, stop);
      const exhausted = ran < msg.iterations && !stop();
      const improved = s.bestValue < reported;
      reported = Math.min(reported, s.bestValue);
      const snapshot = improved ? s.bestSnapshot() : null;
      reply({ type: 'ran', ran, exhausted, bestValue: s.bestValue, snapshot }, snapshot ? [snapshot.buffer as ArrayBuffer] : []);
    }
  } catch (err) {
    reply({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
