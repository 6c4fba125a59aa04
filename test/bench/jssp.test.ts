import { describe, expect, it } from 'vitest';
import { readForCheck } from '../../bench/jssp/check-reader.js';
import { summarise } from '../../bench/jssp/summary.js';
import { checkSchedule } from '../../src/solver/optimize/check.js';
import { optimize } from '../../src/solver/optimize/optimize.js';
import { parseProblem } from '../../src/solver/optimize/problem.js';
import { readInstance } from '../../src/solver/optimize/readers.js';

const FT06 = `# instance ft06
# Fisher and Thompson 6x6 instance, alternate name (mt06)
6 6
2  1  0  3  1  6  3  7  5  3  4  6
1  8  2  5  4 10  5 10  0 10  3  4
2  5  3  4  5  8  0  9  1  1  4  7
1  5  0  5  2  5  3  3  4  8  5  9
2  9  1  3  4  5  5  4  0  3  3  1
1  3  3  3  5  9  0 10  4  4  2  1
`;

const FT06_TAILLARD = `Nb of jobs, Nb of Machines, Time seed, Machine seed, Upper bound, Lower bound
 6 6 0 0 55 55
Times
 1  3  6  7  3  6
 8  5 10 10 10  4
 5  4  8  9  1  7
 5  5  5  3  8  9
 9  3  5  4  3  1
 3  3  9 10  4  1
Machines
 3  1  2  4  6  5
 2  3  5  6  1  4
 3  4  6  1  2  5
 2  1  3  4  5  6
 3  2  5  6  1  4
 2  4  6  1  5  3
`;

// The same small FJSP with 0-based machines, and 1-based with a flexibility as a third header number.
const FJSP_ZERO = `3 3
2 2 0 3 1 5 1 2 4
3 1 1 2 2 0 6 2 3 1 1 7
1 3 0 2 1 2 2 2
`;
const FJSP_ONE = `3 3 1.8
2 2 1 3 2 5 1 3 4
3 1 2 2 2 1 6 3 3 1 2 7
1 3 1 2 2 2 3 2
`;

describe("the JSSP bench's own reader for the check", () => {
  it.each([
    ['JSPLIB', FT06],
    ['Taillard', FT06_TAILLARD],
    ['FJSP, 0-based', FJSP_ZERO],
    ['FJSP, 1-based', FJSP_ONE],
  ])('reads a %s file as the optimizer reads it', (_, text) => {
    expect(parseProblem(readForCheck(text)).jobs).toEqual(readInstance(text).problem.jobs);
  });

  it('fails the check of a schedule made for a misread instance, which checking the same object would pass', async () => {
    // A reader that swaps a job's two durations: its problem is wrong, its schedule valid for it.
    const misread = readInstance(FT06).problem;
    const [first, second] = misread.jobs[1]!.operations;
    [first!.alternatives[0]!.duration, second!.alternatives[0]!.duration] = [second!.alternatives[0]!.duration, first!.alternatives[0]!.duration];
    const { schedule } = await optimize(misread, { maxIterations: 2000, seed: 1, threads: 1 });
    expect(checkSchedule(misread, schedule).ok).toBe(true);
    expect(checkSchedule(readForCheck(FT06), schedule).violations).toContainEqual(expect.objectContaining({ kind: 'wrongDuration', job: 'J1' }));
  });

  it('refuses a file it cannot make sense of', () => {
    expect(() => readForCheck('2 2\n0 1 1\n')).toThrow();
    expect(() => readForCheck('1 2\n1 1 5 3\n')).toThrow(/outside/);
  });
});

describe('the JSSP bench figures', () => {
  it('leaves an infeasible schedule out of the gaps and names it, per family and overall', () => {
    const summary = summarise([
      { name: 'ta01', makespan: 1231, bks: 1231, feasible: true },
      { name: 'ta02', makespan: 1255, bks: 1244, feasible: true },
      { name: 'ta03', makespan: 1000, bks: 1218, feasible: false },
      { name: 'mk01', makespan: 40, bks: 40, feasible: true },
      { name: 'mk99', makespan: 50, bks: null, feasible: true },
    ]);
    expect(summary).toMatchObject({ instances: 5, atBks: 2, infeasible: ['ta03'] });
    expect(summary.meanGapPct).toBeCloseTo((0 + (100 * 11) / 1244 + 0) / 3, 3);
    expect(summary.maxGapPct).toBeCloseTo((100 * 11) / 1244, 3);
    expect(summary.groups.ta).toMatchObject({ instances: 3, atBks: 1, infeasible: ['ta03'] });
    expect(summary.groups.ta!.meanGapPct).toBeCloseTo((100 * 11) / 1244 / 2, 3);
    expect(summary.groups.mk).toEqual({ instances: 2, meanGapPct: 0, maxGapPct: 0, atBks: 1, infeasible: [] });
  });
});
