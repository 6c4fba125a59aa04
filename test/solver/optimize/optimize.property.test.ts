import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSchedule } from '../../../src/solver/optimize/check.js';
import { InfeasibleProblemError } from '../../../src/solver/optimize/general/chains.js';
import { optimize, type OptimizeOptions, type OptimizeResult } from '../../../src/solver/optimize/optimize.js';
import { parseProblem, type Problem } from '../../../src/solver/optimize/problem.js';
import { arbitraryProblem } from './builders.js';

const budget = { maxIterations: 300, seed: 7, threads: 1 } as const;
// Longer than `budget`: enough LNS epochs (200 iterations each) for repairs and relinking to run.
const longer = { maxIterations: 1600, threads: 1 } as const;

/**
 * Oracle for the only static infeasibility of the model: a Q-time chain whose consecutive runs on
 * one machine need a changeover longer than the chain lets them wait, for every machine choice.
 */
function chainsCanBeMet(problem: Problem): boolean {
  return problem.jobs.every((job) => {
    const ops = job.operations;
    let start = 0;
    for (let k = 0; k < ops.length; k++) {
      if (ops[k]!.maxLagToNext !== undefined && k < ops.length - 1) continue;
      const chain = ops.slice(start, k + 1);
      start = k + 1;
      const ok = (i: number, chosen: { machine: string; duration: number }[]): boolean => {
        if (i === chain.length) return true;
        return chain[i]!.alternatives.some((alt) => {
          // Find the previous chain op on the same machine and the most it can be waited for.
          let room = 0;
          for (let x = i - 1; x >= 0; x--) {
            room += chain[x]!.maxLagToNext!;
            if (chosen[x]!.machine === alt.machine) {
              const m = problem.machines.find((mm) => mm.id === alt.machine)!;
              const need = m.changeovers.find((c) => c.from === chain[x]!.family && c.to === chain[i]!.family)?.minutes ?? 0;
              if (need > room) return false;
              break;
            }
            room += chosen[x]!.duration;
          }
          return ok(i + 1, [...chosen, alt]);
        });
      };
      if (!ok(0, [])) return false;
    }
    return true;
  });
}

async function optimizeOrInfeasible(problem: Problem, options: OptimizeOptions): Promise<OptimizeResult | null> {
  try {
    const result = await optimize(problem, options);
    expect(chainsCanBeMet(problem)).toBe(true);
    return result;
  } catch (err) {
    if (!(err instanceof InfeasibleProblemError)) throw err;
    expect(chainsCanBeMet(problem)).toBe(false);
    return null;
  }
}

describe('optimize (properties)', () => {
  it('returns schedules that pass the independent checker, for the full model and every objective', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryProblem({ features: 'all', objective: 'any' }), fc.integer({ min: 0, max: 1000 }), async (input, seed) => {
        const problem = parseProblem(input);
        const result = await optimizeOrInfeasible(problem, { ...longer, seed });
        if (!result) return;
        const check = checkSchedule(problem, result.schedule);
        expect(check.violations).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('returns valid schedules from the tabu search on plain and flexible job shops', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryProblem({ features: 'shop', objective: 'makespan' }), fc.integer({ min: 0, max: 1000 }), async (input, seed) => {
        const problem = parseProblem(input);
        const result = await optimize(problem, { maxIterations: 10_000, seed, threads: 1 });
        expect(result.engine).toBe('tabu');
        expect(checkSchedule(problem, result.schedule).violations).toEqual([]);
        expect(result.makespan).toBeGreaterThanOrEqual(result.lowerBound);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the same schedule for the same seed and iteration budget', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryProblem({ features: 'all', objective: 'any' }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom(1, 2),
        async (input, plain, seed, threads) => {
          const problem = parseProblem(input);
          if (plain) problem.objective = { kind: 'makespan' };
          const options = { ...budget, seed, threads, useWorkers: false };
          const a = await optimizeOrInfeasible(problem, options);
          const b = await optimizeOrInfeasible(problem, options);
          expect(b?.schedule).toEqual(a?.schedule);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('gives the same schedule with two streams whether the second runs in a worker or here', async () => {
    const problem = parseProblem(fc.sample(arbitraryProblem({ features: 'shop', objective: 'makespan' }), { seed: 11, numRuns: 1 })[0]!);
    const here = await optimize(problem, { maxIterations: 25_000, seed: 5, threads: 2, useWorkers: false });
    const worker = await optimize(problem, { maxIterations: 25_000, seed: 5, threads: 2 });
    expect(worker.schedule).toEqual(here.schedule);
    expect(worker.iterations).toBe(here.iterations);
  });

  it('stops at the deadline of the injected clock', async () => {
    const problem = parseProblem(fc.sample(arbitraryProblem({ features: 'all', objective: 'weightedTardiness' }), { seed: 5, numRuns: 1 })[0]!);
    let t = 0;
    const result = await optimize(problem, { timeLimitMs: 500, threads: 1, now: () => (t += 1) });
    expect(['timeLimit', 'lowerBound']).toContain(result.stopReason);
    expect(result.elapsedMs).toBeLessThan(5000);
    expect(checkSchedule(problem, result.schedule).violations).toEqual([]);
  });

  it('stops when aborted and still returns the best valid schedule', async () => {
    const problem = parseProblem(fc.sample(arbitraryProblem({ features: 'all', objective: 'makespan' }), { seed: 3, numRuns: 1 })[0]!);
    const controller = new AbortController();
    let calls = 0;
    const result = await optimize(problem, {
      timeLimitMs: 60_000,
      threads: 2,
      signal: controller.signal,
      onProgress: () => {
        if (++calls === 2) controller.abort();
      },
    });
    expect(calls).toBeLessThanOrEqual(2);
    expect(['aborted', 'lowerBound']).toContain(result.stopReason);
    expect(checkSchedule(problem, result.schedule).violations).toEqual([]);
  });

  it('keeps every op at its current slot when the current schedule is feasible', async () => {
    const problem = parseProblem({
      version: 1,
      machines: [{ id: 'A' }, { id: 'B' }],
      jobs: [
        { id: 'L1', operations: [{ alternatives: [{ machine: 'A', duration: 5 }] }, { alternatives: [{ machine: 'B', duration: 5 }] }] },
        { id: 'L2', operations: [{ alternatives: [{ machine: 'A', duration: 5 }, { machine: 'B', duration: 5 }] }] },
      ],
      objective: {
        kind: 'stability',
        machineChangeCost: 30,
        current: [
          { job: 'L1', operation: 0, machine: 'A', start: 20 },
          { job: 'L1', operation: 1, machine: 'B', start: 30 },
          { job: 'L2', operation: 0, machine: 'B', start: 3 },
        ],
      },
    });
    const result = await optimize(problem, budget);
    expect(result.objective).toBe(0);
    expect(result.stopReason).toBe('lowerBound');
  });
});
