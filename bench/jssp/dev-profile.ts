// Development harness (not part of the bench): one tabu stream on one instance file, printing each
// improvement and the iterations per second; for profiling the hot path:
// node --import tsx --cpu-prof bench/jssp/dev-profile.ts FILE [SECONDS] [SEED]
import { readFileSync } from 'node:fs';
import { compileProblem, makespanLowerBound } from '../../src/solver/optimize/compile.js';
import { parseProblem } from '../../src/solver/optimize/problem.js';
import { readInstance } from '../../src/solver/optimize/readers.js';
import { ShopTabuSearch } from '../../src/solver/optimize/shop/tabu.js';

const [file, secs, seed] = [process.argv[2]!, Number(process.argv[3] ?? 5), Number(process.argv[4] ?? 1)];
const c = compileProblem(parseProblem(readInstance(readFileSync(file, 'utf8')).problem));
const t0 = performance.now();
const search = new ShopTabuSearch(c, { seed, lowerBound: makespanLowerBound(c) });
console.log('initial', search.bestValue);
const deadline = t0 + secs * 1000;
let last = -1;
while (performance.now() < deadline && search.run(20_000, () => performance.now() > deadline) > 0) {
  if (search.bestValue !== last) {
    last = search.bestValue;
    console.log(((performance.now() - t0) / 1000).toFixed(2), search.iterations, search.bestValue);
  }
}
const seconds = (performance.now() - t0) / 1000;
console.log('final', search.bestValue, 'iterations', search.iterations, 'it/s', Math.round(search.iterations / seconds));
