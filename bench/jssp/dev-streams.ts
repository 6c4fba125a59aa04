// Development harness (not part of the bench): optimize() with an iteration budget per stream,
// all streams in this thread (same result as with workers), so CPU load does not matter.
// tsx bench/jssp/dev-streams.ts ITER SEEDS THREADS inst-list
import { readFileSync } from 'node:fs';
import { optimize } from '../../src/solver/optimize/optimize.js';
import { readInstance } from '../../src/solver/optimize/readers.js';
import { defaultInstances, selectInstances } from './instances.js';

const [iters, seeds, threads, names] = [Number(process.argv[2]), Number(process.argv[3]), Number(process.argv[4]), process.argv[5]!];
const tabu = JSON.parse(process.argv[6] ?? '{}') as Record<string, number> | Record<string, number>[];
const gaps: number[] = [];
const out: string[] = [];
for (const e of selectInstances(defaultInstances(), names)) {
  const problem = readInstance(readFileSync(e.file, 'utf8')).problem;
  const vals: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const r = await optimize(problem, { seed, threads, maxIterations: iters, useWorkers: false, tabu, exchangeEvery: Number(process.env.EXCHANGE ?? 1) });
    vals.push(r.makespan);
    gaps.push((100 * (r.makespan - e.upperBound!)) / e.upperBound!);
  }
  out.push(`${e.name}:${vals.join('/')}`);
}
console.log(JSON.stringify(tabu), 'exchange', process.env.EXCHANGE ?? 1, `threads ${threads}`, 'mean', (gaps.reduce((a, b) => a + b, 0) / gaps.length).toFixed(3), 'max', Math.max(...gaps).toFixed(2), out.join(' '));
