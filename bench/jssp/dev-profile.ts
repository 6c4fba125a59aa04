import { readFileSync } from 'node:fs';
import { readInstance } from '../../src/solver/optimize/readers.js';
import { parseProblem } from '../../src/solver/optimize/problem.js';
import { compileProblem } from '../../src/solver/optimize/compile.js';
import { ShopTabuSearch } from '../../src/solver/optimize/shop/tabu.js';
const [file, secs, seed] = [process.argv[2]!, Number(process.argv[3] ?? 5), Number(process.argv[4] ?? 1)];
const { problem } = readInstance(readFileSync(file, 'utf8'));
const c = compileProblem(parseProblem(problem));
const t0 = performance.now();
const s = new ShopTabuSearch(c, { seed });
console.log('initial', s.bestValue);
const deadline = t0 + secs * 1000;
let last = -1;
while (performance.now() < deadline) {
  s.run(20000, () => performance.now() > deadline);
  if (s.bestValue !== last) { last = s.bestValue; console.log(((performance.now()-t0)/1000).toFixed(2), s.iterations, s.bestValue); }
}
console.log('final', s.bestValue, 'iters', s.iterations, 'it/s', Math.round(s.iterations / ((performance.now() - t0) / 1000)));
