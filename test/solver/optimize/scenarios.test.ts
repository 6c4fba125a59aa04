import { describe, expect, it } from 'vitest';
import { checkSchedule } from '../../../src/solver/optimize/check.js';
import { InfeasibleProblemError } from '../../../src/solver/optimize/general/chains.js';
import { optimize } from '../../../src/solver/optimize/optimize.js';
import { parseProblem, type Problem, type ProblemInput } from '../../../src/solver/optimize/problem.js';

type JobInput = ProblemInput['jobs'][number];
type OperationInput = JobInput['operations'][number];

const aStep = (machine: string, duration: number, more: Partial<OperationInput> = {}): OperationInput => ({
  alternatives: [{ machine, duration }],
  ...more,
});
const aLot = (id: string, operations: OperationInput[], more: Partial<JobInput> = {}): JobInput => ({ id, operations, ...more });

async function solved(input: ProblemInput): Promise<{ problem: Problem; result: Awaited<ReturnType<typeof optimize>> }> {
  const problem = parseProblem(input);
  const result = await optimize(problem, { maxIterations: 2000, seed: 1, threads: 1 });
  expect(checkSchedule(problem, result.schedule).violations).toEqual([]);
  return { problem, result };
}

const slot = (result: Awaited<ReturnType<typeof optimize>>, job: string, op: number) =>
  result.schedule.operations.find((s) => s.job === job && s.operation === op)!;

describe('optimize on pilot-line situations', () => {
  it('runs four oxide lots together in one furnace batch', async () => {
    const { result } = await solved({
      version: 1,
      machines: [{ id: 'FURNACE', capacity: 4 }],
      jobs: ['A', 'B', 'C', 'D'].map((id) => aLot(id, [aStep('FURNACE', 100, { family: 'oxide' })])),
    });
    expect(result.makespan).toBe(100);
    expect(result.stopReason).toBe('lowerBound');
  });

  it('delays the pre-clean so that deposition starts within its Q-time after a maintenance window', async () => {
    const { result } = await solved({
      version: 1,
      machines: [{ id: 'WET' }, { id: 'MOCVD', blocked: [{ start: 15, end: 50 }] }],
      jobs: [aLot('L1', [aStep('WET', 10, { maxLagToNext: 5 }), aStep('MOCVD', 30)])],
    });
    const clean = slot(result, 'L1', 0);
    const deposition = slot(result, 'L1', 1);
    expect(deposition.start).toBe(50);
    expect(deposition.start - clean.end).toBeLessThanOrEqual(5);
    expect(result.makespan).toBe(80);
  });

  it('orders runs to avoid a costly changeover', async () => {
    const { result } = await solved({
      version: 1,
      machines: [{ id: 'ETCH', changeovers: [{ from: 'GaN', to: 'SiC', minutes: 20 }] }],
      jobs: [aLot('G', [aStep('ETCH', 10, { family: 'GaN' })]), aLot('S', [aStep('ETCH', 10, { family: 'SiC' })])],
    });
    expect(result.makespan).toBe(20);
    expect(slot(result, 'S', 0).start).toBe(0);
  });

  it('serves the heavier lot first when both are due at once', async () => {
    const { result } = await solved({
      version: 1,
      machines: [{ id: 'IMPLANT' }],
      jobs: [aLot('light', [aStep('IMPLANT', 10)], { due: 10, weight: 1 }), aLot('heavy', [aStep('IMPLANT', 10)], { due: 10, weight: 5 })],
      objective: { kind: 'weightedTardiness' },
    });
    expect(result.objective).toBe(10);
    expect(slot(result, 'heavy', 0).start).toBe(0);
  });

  it('moves only what a new maintenance window displaces', async () => {
    const { result } = await solved({
      version: 1,
      machines: [{ id: 'SEM', blocked: [{ start: 10, end: 20 }] }, { id: 'AFM' }],
      jobs: [aLot('L1', [aStep('SEM', 5)]), aLot('L2', [aStep('SEM', 5)]), aLot('L3', [aStep('AFM', 5)])],
      objective: {
        kind: 'stability',
        current: [
          { job: 'L1', operation: 0, machine: 'SEM', start: 0 },
          { job: 'L2', operation: 0, machine: 'SEM', start: 12 },
          { job: 'L3', operation: 0, machine: 'AFM', start: 0 },
        ],
      },
    });
    expect(slot(result, 'L1', 0).start).toBe(0);
    expect(slot(result, 'L3', 0).start).toBe(0);
    // L2 goes right after the window (8 away) or right before it (7 away): the cheaper one.
    expect(result.objective).toBe(7);
  });

  it('says which lot can never meet its Q-time', async () => {
    const problem = parseProblem({
      version: 1,
      machines: [{ id: 'ICP', changeovers: [{ from: 'Cl', to: 'F', minutes: 30 }] }],
      jobs: [aLot('L7', [aStep('ICP', 10, { family: 'Cl', maxLagToNext: 10 }), aStep('ICP', 10, { family: 'F' })])],
    });
    await expect(optimize(problem, { maxIterations: 10, threads: 1 })).rejects.toThrow(InfeasibleProblemError);
    await expect(optimize(problem, { maxIterations: 10, threads: 1 })).rejects.toThrow(/job L7/);
  });
});
