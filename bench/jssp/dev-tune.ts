// Development harness (not part of the bench): fixed iteration budgets, so CPU load does not matter.
// tsx bench/jssp/dev-tune.ts ITER SEEDS inst1,inst2 '{"tenureMin":10}'
import { readFileSync } from 'node:fs';
import { compileProblem, makespanLowerBound } from '../../src/solver/optimize/compile.js';
import { parseProblem } from '../../src/solver/optimize/problem.js';
import { readInstance } from '../../src/solver/optimize/readers.js';
import { ShopTabuSearch } from '../../src/solver/optimize/shop/tabu.js';
import { defaultInstances, selectInstances } from './instances.js';

const [iters, seeds, names, json] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]!, process.argv[5] ?? '{}'];
const opts = JSON.parse(json) as Record<string, number>;
const gaps: number[] = [];
const out: string[] = [];
for (const e of selectInstances(defaultInstances(), names)) {
  const c = compileProblem(parseProblem(readInstance(readFileSync(e.file, 'utf8')).problem));
  const vals: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const s = new ShopTabuSearch(c, { seed, lowerBound: makespanLowerBound(c), ...opts });
    s.run(iters, () => false);
    vals.push(s.bestValue);
    gaps.push((100 * (s.bestValue - e.upperBound!)) / e.upperBound!);
  }
  out.push(`${e.name}:${vals.join('/')}`);
}
console.log(json, 'mean', (gaps.reduce((a, b) => a + b, 0) / gaps.length).toFixed(3), out.join(' '));
