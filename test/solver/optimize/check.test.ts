import { describe, expect, it } from 'vitest';
import { checkSchedule, type ViolationKind } from '../../../src/solver/optimize/check.js';
import { parseProblem, type Problem, type ProblemInput, type Schedule } from '../../../src/solver/optimize/problem.js';

// A furnace F (batches of 2, blocked 100–110, changeover A→B of 5) and a unary tool U.
const base: ProblemInput = {
  version: 1,
  machines: [
    { id: 'F', capacity: 2, blocked: [{ start: 100, end: 110 }], changeovers: [{ from: 'A', to: 'B', minutes: 5 }] },
    { id: 'U' },
  ],
  jobs: [
    {
      id: 'J1',
      operations: [
        { alternatives: [{ machine: 'U', duration: 10 }, { machine: 'F', duration: 12 }], family: 'A', minLagToNext: 2, maxLagToNext: 20 },
        { alternatives: [{ machine: 'F', duration: 10 }], family: 'A' },
      ],
    },
    {
      id: 'J2',
      release: 5,
      operations: [
        { alternatives: [{ machine: 'U', duration: 5 }] },
        { alternatives: [{ machine: 'F', duration: 10 }], family: 'A' },
      ],
    },
    { id: 'J3', operations: [{ alternatives: [{ machine: 'F', duration: 10 }], family: 'B' }] },
  ],
};

const valid: Schedule = {
  version: 1,
  operations: [
    { job: 'J1', operation: 0, machine: 'U', start: 0, end: 10 },
    { job: 'J2', operation: 0, machine: 'U', start: 10, end: 15 },
    { job: 'J1', operation: 1, machine: 'F', start: 15, end: 25 },
    { job: 'J2', operation: 1, machine: 'F', start: 15, end: 25 },
    { job: 'J3', operation: 0, machine: 'F', start: 30, end: 40 },
  ],
  makespan: 40,
  objective: { kind: 'makespan', value: 40 },
};

function problemWith(edit: (p: Problem) => void = () => undefined): Problem {
  const p = parseProblem(structuredClone(base));
  edit(p);
  return p;
}

function scheduleWith(edit: (s: Schedule) => void): Schedule {
  const s = structuredClone(valid);
  edit(s);
  return s;
}

const op = (s: Schedule, job: string, k: number): Schedule['operations'][number] =>
  s.operations.find((o) => o.job === job && o.operation === k)!;

function kinds(problem: Problem, schedule: Schedule): ViolationKind[] {
  return checkSchedule(problem, schedule).violations.map((v) => v.kind);
}

describe('checkSchedule', () => {
  it('accepts a valid schedule with a batch, a changeover and lags', () => {
    expect(checkSchedule(problemWith(), valid)).toEqual({ ok: true, violations: [] });
  });

  const cases: [ViolationKind, () => [Problem, Schedule]][] = [
    ['time', () => [problemWith(), scheduleWith((s) => (op(s, 'J3', 0).start = 30.5))]],
    ['unknownOperation', () => [problemWith(), scheduleWith((s) => s.operations.push({ job: 'J9', operation: 0, machine: 'U', start: 50, end: 51 }))]],
    ['duplicate', () => [problemWith(), scheduleWith((s) => s.operations.push({ ...op(s, 'J3', 0) }))]],
    ['missing', () => [problemWith(), scheduleWith((s) => (s.operations = s.operations.filter((o) => o.job !== 'J3')))]],
    ['ineligibleMachine', () => [problemWith(), scheduleWith((s) => (op(s, 'J3', 0).machine = 'U'))]],
    ['wrongDuration', () => [problemWith(), scheduleWith((s) => (op(s, 'J3', 0).end = 41))]],
    ['release', () => [problemWith((p) => (p.jobs[1]!.release = 12)), valid]],
    ['precedence', () => [problemWith(), scheduleWith((s) => Object.assign(op(s, 'J1', 0), { start: 6, end: 16 }))]],
    ['minLag', () => [problemWith((p) => (p.jobs[0]!.operations[0]!.minLagToNext = 7)), valid]],
    ['maxLag', () => [problemWith((p) => (p.jobs[0]!.operations[0]!.maxLagToNext = 3)), valid]],
    ['blocked', () => [problemWith(), scheduleWith((s) => Object.assign(op(s, 'J3', 0), { start: 95, end: 105 }))]],
    ['overlap', () => [problemWith(), scheduleWith((s) => Object.assign(op(s, 'J3', 0), { start: 20, end: 30 }))]],
    ['batchCapacity', () => [problemWith((p) => (p.machines[0]!.capacity = 1)), valid]],
    ['batchFamily', () => [problemWith((p) => (p.jobs[1]!.operations[1]!.family = 'B')), valid]],
    ['changeover', () => [problemWith(), scheduleWith((s) => Object.assign(op(s, 'J3', 0), { start: 27, end: 37 }))]],
    ['makespan', () => [problemWith(), scheduleWith((s) => (s.makespan = 39))]],
    ['objective', () => [problemWith(), scheduleWith((s) => (s.objective.value = 39))]],
  ];
  it.each(cases)('detects a %s violation', (kind, make) => {
    const [problem, schedule] = make();
    expect(kinds(problem, schedule)).toContain(kind);
  });

  it('names the operations involved', () => {
    const schedule = scheduleWith((s) => Object.assign(op(s, 'J3', 0), { start: 27, end: 37 }));
    const [v] = checkSchedule(problemWith(), schedule).violations;
    expect(v).toMatchObject({ kind: 'changeover', machine: 'F', job: 'J3', operation: 0 });
  });

  it('computes weighted tardiness and stability objectives from their definitions', () => {
    const wt = problemWith((p) => {
      p.objective = { kind: 'weightedTardiness' };
      p.jobs[0]!.due = 20;
      p.jobs[0]!.weight = 3;
      p.jobs[2]!.due = 50;
    });
    expect(checkSchedule(wt, scheduleWith((s) => (s.objective = { kind: 'weightedTardiness', value: 15 }))).ok).toBe(true);
    const st = problemWith((p) => {
      p.objective = {
        kind: 'stability',
        machineChangeCost: 100,
        current: [
          { job: 'J1', operation: 0, machine: 'F', start: 0 },
          { job: 'J3', operation: 0, machine: 'F', start: 35 },
        ],
      };
    });
    expect(checkSchedule(st, scheduleWith((s) => (s.objective = { kind: 'stability', value: 105 }))).ok).toBe(true);
  });
});

describe('parseProblem', () => {
  it('names what is wrong: unknown machines, oversized batches, duplicate ids, times that overflow', () => {
    const bad: ProblemInput = {
      version: 1,
      machines: [{ id: 'F', capacity: 2 }, { id: 'F' }],
      jobs: [
        { id: 'J', operations: [{ alternatives: [{ machine: 'X', duration: 5 }] }, { alternatives: [{ machine: 'F', duration: 5 }], batchSize: 3 }] },
        { id: 'K', operations: [{ alternatives: [{ machine: 'F', duration: 2 ** 30 }] }, { alternatives: [{ machine: 'F', duration: 2 ** 30 }] }] },
      ],
    };
    expect(() => parseProblem(bad)).toThrow(/duplicate machine id F/);
    expect(() => parseProblem(bad)).toThrow(/unknown machine X/);
    expect(() => parseProblem(bad)).toThrow(/batch size 3 exceeds capacity/);
    expect(() => parseProblem(bad)).toThrow(/times too large/);
    expect(() => parseProblem({ ...base, jobs: [{ id: 'J', operations: [{ alternatives: [{ machine: 'F', duration: 1 }], minLagToNext: 5, maxLagToNext: 2 }] }] })).toThrow(
      /maxLagToNext must be at least minLagToNext/,
    );
  });
});
