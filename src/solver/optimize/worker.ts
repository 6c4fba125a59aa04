import { parentPort } from 'node:worker_threads';
import { createStream } from './engines.js';
import type { WorkerReply, WorkerRequest } from './runners.js';
import type { SearchStream } from './stream.js';

// Worker-thread entry: one search stream, driven epoch by epoch by the coordinator.

const port = parentPort;
if (!port) throw new Error('optimize/worker.ts must run in a worker thread');

let stream: SearchStream | null = null;
let reported = Infinity;

const reply = (msg: WorkerReply, transfer: ArrayBuffer[] = []): void => port.postMessage(msg, transfer);

port.on('message', (msg: WorkerRequest) => {
  try {
    if (msg.type === 'init') {
      stream = createStream(msg.problem, msg.engine, msg.seed, msg.tuning);
      reply({ type: 'ready' });
    } else if (msg.type === 'offer') {
      stream!.offer(msg.snapshot, msg.value);
      reported = Math.min(reported, msg.value);
    } else {
      const s = stream!;
      // The edge of the library: this thread's own clock measures the time left.
      const deadline = msg.remainingMs < 0 ? Infinity : performance.now() + msg.remainingMs;
      const ran = s.run(msg.iterations, () => performance.now() >= deadline);
      const exhausted = ran < msg.iterations && performance.now() < deadline;
      const improved = s.bestValue < reported;
      reported = Math.min(reported, s.bestValue);
      const snapshot = improved ? s.bestSnapshot() : null;
      reply({ type: 'ran', ran, exhausted, bestValue: s.bestValue, snapshot }, snapshot ? [snapshot.buffer as ArrayBuffer] : []);
    }
  } catch (err) {
    reply({ type: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) });
  }
});
