import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InfeasibleProblemError } from '../../../src/solver/optimize/general/chains.js';
import { optimize, type OptimizeResult } from '../../../src/solver/optimize/optimize.js';
import { parseProblem, type Problem } from '../../../src/solver/optimize/problem.js';
import { arbitraryProblem, type ProblemShape } from './builders.js';
import { optimalMakespan, routeBound, scheduleWithin, SearchTooLargeError } from './exact.js';

// The makespan lower bound stops the search and marks results optimal, so it must never exceed the
// true optimum. Checked against exact optima found by brute force (./exact.ts) on problems small
// enough to enumerate: up to 3 machines and 3 jobs of 3 operations, with every feature of the model.
const tiny: ProblemShape['size'] = { machines: 3, jobs: 3, operations: 3, blockedBefore: 24, duration: 6 };
const arbitraryTinyProblem = fc
  .constantFrom<ProblemShape['features']>('all', 'shop', 'none')
  .chain((features) => arbitraryProblem({ features, objective: 'makespan', size: tiny }));

async function optimizeOrInfeasible(problem: Problem): Promise<OptimizeResult | null> {
  try {
    return await optimize(problem, { maxIterations: 300, seed: 1, threads: 1 });
  } catch (err) {
    if (err instanceof InfeasibleProblemError) return null;
    throw err;
  }
}

describe('makespan lower bound (against brute force)', () => {
  it('never exceeds the optimum, and an optimum the optimizer claims is the true one', async () => {
    let exact = 0;
    let tight = 0;
    await fc.assert(
      fc.asyncProperty(arbitraryTinyProblem, async (input) => {
        const problem = parseProblem(input);
        const result = await optimizeOrInfeasible(problem);
        if (!result) return;
        const bound = result.lowerBound;
        // The claim itself: no schedule at all finishes before the bound.
        const earlier = bound > 0 ? scheduleWithin(problem, bound - 1) : null;
        expect(earlier, `a valid schedule ends before the bound ${bound}`).toBeNull();
        let optimum: number;
        try {
          // From a bound too simple to be wrong, up to the optimizer's makespan (which the search must reach).
          optimum = optimalMakespan(problem, Math.min(bound, routeBound(problem)), result.makespan, { maxNodes: 300_000 });
        } catch (err) {
          // About one problem in a thousand has an optimum far above the bound: too many schedules to enumerate.
          if (err instanceof SearchTooLargeError) return;
          throw err;
        }
        exact++;
        if (optimum === bound) tight++;
        expect(bound).toBeLessThanOrEqual(optimum);
        expect(result.makespan).toBeGreaterThanOrEqual(optimum);
        if (result.stopReason === 'lowerBound') expect(result.makespan).toBe(optimum);
      }),
      { numRuns: 1000 },
    );
    // The oracle is exercised, and the bound is not trivially low.
    expect(exact).toBeGreaterThan(900);
    expect(tight / exact).toBeGreaterThan(0.5);
  });

  it('is met by brute force on hand-made cases where the bound is exact', () => {
    // Two jobs crossing two machines (Jackson's bound on M0 is the optimum, 7).
    const crossing = parseProblem({
      version: 1,
      machines: [{ id: 'M0' }, { id: 'M1' }],
      jobs: [
        { id: 'A', operations: [{ alternatives: [{ machine: 'M0', duration: 3 }] }, { alternatives: [{ machine: 'M1', duration: 2 }] }] },
        { id: 'B', operations: [{ alternatives: [{ machine: 'M1', duration: 2 }] }, { alternatives: [{ machine: 'M0', duration: 4 }] }] },
      ],
    });
    expect(scheduleWithin(crossing, 6)).toBeNull();
    expect(scheduleWithin(crossing, 7)).not.toBeNull();
    expect(optimalMakespan(crossing, 0, 20)).toBe(7);
  });
});
