import { makespanLowerBound, relaxToJobShop, type CompiledProblem } from '../compile.js';
import { ShopTabuSearch } from '../shop/tabu.js';
import type { Decoder, Genotype } from './decode.js';

/**
 * A start for the general search of a makespan problem: a short tabu search on the job-shop
 * relaxation (iteration budget fixed by the problem size, so the result stays deterministic),
 * read back as a unit order (by relaxed start) and a machine choice per op. The decoder then
 * repairs what the relaxation ignored (blocked time, changeovers, Q-time, batches).
 */
export function seedFromRelaxation(c: CompiledProblem, decoder: Decoder, seed: number): Genotype {
  const relaxed = relaxToJobShop(c);
  const search = new ShopTabuSearch(relaxed, { seed, lowerBound: makespanLowerBound(relaxed) });
  // About 2e7 op-steps at most, so that seeding stays well under a second on big problems.
  search.run(Math.min(20_000, 50 * c.nOps, Math.floor(2e7 / c.nOps)), () => false);
  const g = search.g;
  g.restore(search.bestSnapshot());
  g.evaluate();
  const units = Array.from({ length: decoder.nUnits }, (_, u) => u).sort(
    (a, b) => g.r[decoder.unitFirst[a]!]! - g.r[decoder.unitFirst[b]!]! || a - b,
  );
  const order = Int32Array.from(units, (u) => c.opJob[decoder.unitFirst[u]!]!);
  const assign = new Int32Array(c.nOps);
  for (let o = 0; o < c.nOps; o++) {
    let a = 0;
    while (c.altMachine[c.altStart[o]! + a] !== g.mach[o]) a++;
    assign[o] = a;
  }
  return { order, assign, free: new Int32Array(c.nOps) };
}
