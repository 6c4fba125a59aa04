import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileProblem } from '../../../src/solver/optimize/compile.js';
import { parseProblem } from '../../../src/solver/optimize/problem.js';
import { Random } from '../../../src/solver/optimize/random.js';
import { ShopGraph } from '../../../src/solver/optimize/shop/graph.js';
import { buildInitialSolution } from '../../../src/solver/optimize/shop/initial.js';
import { arbitraryProblem } from './builders.js';

describe('ShopGraph incremental update', () => {
  it('matches a full recomputation after any relocation, and refuses exactly the moves that close a cycle', () => {
    fc.assert(
      fc.property(arbitraryProblem({ features: 'shop', objective: 'makespan' }), fc.integer(), (input, seed) => {
        const c = compileProblem(parseProblem(input));
        const rng = new Random(seed);
        const g = new ShopGraph(c);
        buildInitialSolution(g, rng, 1);
        expect(g.evaluate()).toBe(true);
        const oracle = new ShopGraph(c);
        for (let step = 0; step < 60; step++) {
          const o = rng.int(c.nOps);
          const a = c.altStart[o]! + rng.int(c.altStart[o + 1]! - c.altStart[o]!);
          const k = c.altMachine[a]!;
          const seq = g.sequences()[k]!.filter((x) => x !== o);
          const at = rng.int(seq.length + 1);
          const after = at === 0 ? -1 : seq[at - 1]!;
          // The oracle: the same move, then Kahn's algorithm from scratch.
          oracle.restore(g.save());
          oracle.relocate(o, k, after);
          const acyclic = oracle.evaluate();
          const before = g.save();
          expect(g.moveAndUpdate(o, k, after)).toBe(acyclic);
          if (!acyclic) {
            expect(g.save()).toEqual(before);
            continue;
          }
          expect(g.cmax).toBe(oracle.cmax);
          expect(Array.from(g.r)).toEqual(Array.from(oracle.r));
          expect(Array.from(g.q)).toEqual(Array.from(oracle.q));
          // The maintained order stays topological.
          for (let x = 0; x < c.nOps; x++) {
            for (const y of [g.js[x]!, g.ms[x]!]) if (y >= 0) expect(g.pos[x]!).toBeLessThan(g.pos[y]!);
            expect(g.topo[g.pos[x]!]).toBe(x);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
