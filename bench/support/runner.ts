import { Bench } from 'tinybench';

// Shared bench plumbing: progress lines while it runs, one JSON summary as the very last line.

export interface Measured {
  readonly runs: number;
  readonly opsPerSec: number;
  readonly meanMicros: number;
  readonly p50Micros: number;
  readonly p99Micros: number;
}

export function progress(bench: string, message: string): void {
  console.log(`[${bench}] ${message}`);
}

/** Times `fn` with tinybench (hrtime, warm-up first) and returns its latency percentiles in microseconds. */
export async function measure(
  name: string,
  fn: () => void,
  options: { timeMs: number; warmupMs?: number; minRuns?: number },
): Promise<Measured> {
  const bench = new Bench({
    name,
    time: options.timeMs,
    warmupTime: options.warmupMs ?? 300,
    timestampProvider: 'hrtimeNow',
    throws: true,
    // tinybench runs a task at least 64 times by default, whatever the time: slow tasks ask for fewer.
    ...(options.minRuns === undefined ? {} : { iterations: options.minRuns }),
  });
  bench.add(name, fn);
  await bench.run();
  const result = bench.getTask(name)?.result;
  if (result === undefined || result.state !== 'completed')
    throw new Error(`bench ${name} did not complete (${result?.state})`);
  const micros = (ms: number) => round(ms * 1000, 2);
  return {
    runs: result.latency.samplesCount,
    // Runs per second of total time (1 / mean latency): the mean of per-sample throughputs overstates it.
    opsPerSec: Math.round(1000 / result.latency.mean),
    meanMicros: micros(result.latency.mean),
    p50Micros: micros(result.latency.p50),
    p99Micros: micros(result.latency.p99),
  };
}

/** The machine the numbers came from, for the summary. */
export function environment(): Record<string, unknown> {
  return { node: process.version, platform: `${process.platform}-${process.arch}` };
}

export function summary(fields: Record<string, unknown>): void {
  console.log(JSON.stringify(fields));
}

export function round(value: number, digits = 0): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
