import { z } from 'zod';

// The batch-scheduling model: plain JSON data, integer time units, versioned.
// Classic job-shop (JSSP) and flexible job-shop (FJSP) instances are special cases.

export const PROBLEM_VERSION = 1 as const;

/** Largest time value accepted, so heads and tails fit the solver's Int32 arrays. */
export const MAX_TIME = 2 ** 30;

const Time = z.number().int().min(0).max(MAX_TIME);
const Duration = z.number().int().min(1).max(MAX_TIME);
const Id = z.string().min(1);

export const IntervalSchema = z
  .object({ start: Time, end: Time })
  .refine((i) => i.end > i.start, { message: 'end must be after start' });
export type Interval = z.infer<typeof IntervalSchema>;

export const ChangeoverSchema = z.object({
  from: z.string(),
  to: z.string(),
  minutes: Time,
});
export type Changeover = z.infer<typeof ChangeoverSchema>;

export const MachineSchema = z.object({
  id: Id,
  /** Batch capacity in batch-size units: a furnace runs up to this many lots of one family together. */
  capacity: z.number().int().min(1).default(1),
  /** Fixed reservations and maintenance windows: nothing else may run inside them. */
  blocked: z.array(IntervalSchema).default([]),
  /** Sequence-dependent changeover between consecutive runs (absent pairs take 0). */
  changeovers: z.array(ChangeoverSchema).default([]),
});
export type Machine = z.infer<typeof MachineSchema>;

export const AlternativeSchema = z.object({ machine: Id, duration: Duration });
export type Alternative = z.infer<typeof AlternativeSchema>;

export const OperationSchema = z
  .object({
    alternatives: z.array(AlternativeSchema).min(1),
    /** Recipe / setup family: drives changeovers and batch compatibility ('' = none). */
    family: z.string().default(''),
    batchSize: z.number().int().min(1).default(1),
    /** Minimum wait from this operation's end to the next operation's start. */
    minLagToNext: Time.default(0),
    /** Q-time limit: the next operation must start at most this long after this one ends. */
    maxLagToNext: Time.optional(),
  })
  .refine((o) => o.maxLagToNext === undefined || o.maxLagToNext >= o.minLagToNext, {
    message: 'maxLagToNext must be at least minLagToNext',
  });
export type Operation = z.infer<typeof OperationSchema>;

export const JobSchema = z.object({
  id: Id,
  operations: z.array(OperationSchema).min(1),
  release: Time.default(0),
  due: Time.optional(),
  weight: z.number().min(0).default(1),
});
export type Job = z.infer<typeof JobSchema>;

export const CurrentPlacementSchema = z.object({
  job: Id,
  operation: z.number().int().min(0),
  machine: Id,
  start: Time,
});
export type CurrentPlacement = z.infer<typeof CurrentPlacementSchema>;

export const ObjectiveSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('makespan') }),
  /** Σ weight × max(0, completion − due) over jobs with a due date. */
  z.object({ kind: z.literal('weightedTardiness') }),
  /** Σ |start − current start| + machineChangeCost per operation moved to another machine. */
  z.object({
    kind: z.literal('stability'),
    current: z.array(CurrentPlacementSchema),
    machineChangeCost: Time.default(0),
  }),
]);
export type Objective = z.infer<typeof ObjectiveSchema>;
export type ObjectiveKind = Objective['kind'];

export const ProblemSchema = z.object({
  version: z.literal(PROBLEM_VERSION),
  name: z.string().optional(),
  machines: z.array(MachineSchema).min(1),
  jobs: z.array(JobSchema).min(1),
  objective: ObjectiveSchema.default({ kind: 'makespan' }),
});
export type Problem = z.infer<typeof ProblemSchema>;
/** What callers may write: defaults filled in by `parseProblem`. */
export type ProblemInput = z.input<typeof ProblemSchema>;

export const ScheduledOperationSchema = z.object({
  job: Id,
  operation: z.number().int().min(0),
  machine: Id,
  start: Time,
  end: Time,
});
export type ScheduledOperation = z.infer<typeof ScheduledOperationSchema>;

export const ScheduleSchema = z.object({
  version: z.literal(PROBLEM_VERSION),
  operations: z.array(ScheduledOperationSchema),
  makespan: Time,
  objective: z.object({ kind: z.enum(['makespan', 'weightedTardiness', 'stability']), value: z.number() }),
});
export type Schedule = z.infer<typeof ScheduleSchema>;

/** Parses and validates a problem: schema first, then cross-references (machine ids, capacities). */
export function parseProblem(input: unknown): Problem {
  const problem = ProblemSchema.parse(input);
  const issues = problemIssues(problem);
  if (issues.length > 0) {
    throw new z.ZodError(issues.map((i) => ({ code: 'custom' as const, message: i.message, path: i.path, input })));
  }
  return problem;
}

interface ProblemIssue {
  path: (string | number)[];
  message: string;
}

function problemIssues(problem: Problem): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  const machines = new Map<string, Machine>();
  problem.machines.forEach((m, i) => {
    if (machines.has(m.id)) issues.push({ path: ['machines', i, 'id'], message: `duplicate machine id ${m.id}` });
    machines.set(m.id, m);
    const pairs = new Set<string>();
    m.changeovers.forEach((c, k) => {
      const pair = JSON.stringify([c.from, c.to]);
      if (pairs.has(pair)) issues.push({ path: ['machines', i, 'changeovers', k], message: `changeover ${c.from}→${c.to} listed twice` });
      pairs.add(pair);
    });
  });
  const jobIds = new Set<string>();
  problem.jobs.forEach((job, j) => {
    if (jobIds.has(job.id)) issues.push({ path: ['jobs', j, 'id'], message: `duplicate job id ${job.id}` });
    jobIds.add(job.id);
    job.operations.forEach((op, k) => {
      const seen = new Set<string>();
      op.alternatives.forEach((alt, a) => {
        const path = ['jobs', j, 'operations', k, 'alternatives', a, 'machine'];
        const machine = machines.get(alt.machine);
        if (!machine) issues.push({ path, message: `unknown machine ${alt.machine}` });
        else if (op.batchSize > machine.capacity)
          issues.push({ path, message: `batch size ${op.batchSize} exceeds capacity ${machine.capacity} of ${alt.machine}` });
        if (seen.has(alt.machine)) issues.push({ path, message: `machine ${alt.machine} listed twice` });
        seen.add(alt.machine);
      });
    });
  });
  // The solver keeps times in Int32 arrays: every schedule it can build must end below 2^31.
  const latest = (values: number[]): number => values.reduce((a, b) => Math.max(a, b), 0);
  let horizon = Math.max(latest(problem.jobs.map((j) => j.release)), latest(problem.machines.flatMap((m) => m.blocked.map((b) => b.end))));
  if (problem.objective.kind === 'stability') horizon = Math.max(horizon, latest(problem.objective.current.map((c) => c.start)));
  for (const job of problem.jobs) {
    for (const op of job.operations) {
      let worst = 0;
      for (const alt of op.alternatives) {
        const setup = latest(machines.get(alt.machine)?.changeovers.map((c) => c.minutes) ?? []);
        worst = Math.max(worst, alt.duration + setup);
      }
      horizon += worst + op.minLagToNext;
    }
  }
  if (horizon >= 2 ** 31) issues.push({ path: [], message: `times too large: schedules could end at ${horizon} (limit 2^31)` });
  if (problem.objective.kind === 'stability') {
    problem.objective.current.forEach((c, i) => {
      const job = problem.jobs.find((jb) => jb.id === c.job);
      if (!job || c.operation >= job.operations.length)
        issues.push({ path: ['objective', 'current', i], message: `unknown operation ${c.job}/${c.operation}` });
    });
  }
  return issues;
}
