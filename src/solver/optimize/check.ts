import type { Problem, Schedule, ScheduledOperation } from './problem.js';

// The independent schedule checker: written from the model's definition only, sharing no code
// with the search, and deliberately plain (maps and sorts, no typed arrays).

export type ViolationKind =
  | 'time'
  | 'unknownOperation'
  | 'duplicate'
  | 'missing'
  | 'ineligibleMachine'
  | 'wrongDuration'
  | 'release'
  | 'precedence'
  | 'minLag'
  | 'maxLag'
  | 'blocked'
  | 'overlap'
  | 'batchCapacity'
  | 'batchFamily'
  | 'changeover'
  | 'makespan'
  | 'objective';

export interface Violation {
  kind: ViolationKind;
  message: string;
  job?: string;
  operation?: number;
  machine?: string;
}

export interface CheckResult {
  ok: boolean;
  violations: Violation[];
}

/** Lists every way the schedule breaks the problem's rules (empty when it is valid). */
export function checkSchedule(problem: Problem, schedule: Schedule): CheckResult {
  const violations: Violation[] = [];
  const add = (v: Violation): void => {
    violations.push(v);
  };
  const key = (job: string, op: number): string => `${job}\u0000${op}`;
  const byKey = new Map<string, ScheduledOperation>();
  const jobs = new Map(problem.jobs.map((j) => [j.id, j]));

  for (const s of schedule.operations) {
    const where = { job: s.job, operation: s.operation, machine: s.machine };
    if (![s.start, s.end].every((t) => Number.isInteger(t) && t >= 0)) {
      add({ kind: 'time', message: `${s.job}/${s.operation}: times must be non-negative integers`, ...where });
    }
    const job = jobs.get(s.job);
    if (!job || !job.operations[s.operation]) {
      add({ kind: 'unknownOperation', message: `${s.job}/${s.operation} is not in the problem`, ...where });
      continue;
    }
    const k = key(s.job, s.operation);
    if (byKey.has(k)) {
      add({ kind: 'duplicate', message: `${s.job}/${s.operation} is scheduled twice`, ...where });
      continue;
    }
    byKey.set(k, s);
    const alt = job.operations[s.operation]!.alternatives.find((a) => a.machine === s.machine);
    if (!alt) add({ kind: 'ineligibleMachine', message: `${s.job}/${s.operation} cannot run on ${s.machine}`, ...where });
    else if (s.end - s.start !== alt.duration) {
      add({
        kind: 'wrongDuration',
        message: `${s.job}/${s.operation} lasts ${s.end - s.start} on ${s.machine}, needs ${alt.duration}`,
        ...where,
      });
    }
  }

  for (const job of problem.jobs) {
    job.operations.forEach((op, k) => {
      const s = byKey.get(key(job.id, k));
      if (!s) {
        add({ kind: 'missing', message: `${job.id}/${k} is not scheduled`, job: job.id, operation: k });
        return;
      }
      if (k === 0 && s.start < job.release) {
        add({ kind: 'release', message: `${job.id} starts at ${s.start} before its release ${job.release}`, job: job.id, operation: k });
      }
      const next = byKey.get(key(job.id, k + 1));
      if (!next) return;
      const where = { job: job.id, operation: k + 1 };
      const gap = next.start - s.end;
      if (gap < 0) add({ kind: 'precedence', message: `${job.id}/${k + 1} starts ${-gap} before ${job.id}/${k} ends`, ...where });
      else if (gap < op.minLagToNext) {
        add({ kind: 'minLag', message: `${job.id}/${k + 1} starts ${gap} after ${job.id}/${k}, min lag ${op.minLagToNext}`, ...where });
      }
      if (op.maxLagToNext !== undefined && gap > op.maxLagToNext) {
        add({ kind: 'maxLag', message: `${job.id}/${k + 1} starts ${gap} after ${job.id}/${k}, max lag ${op.maxLagToNext}`, ...where });
      }
    });
  }

  for (const machine of problem.machines) {
    const runs = schedule.operations.filter((s) => s.machine === machine.id && byKey.get(key(s.job, s.operation)) === s);
    const familyOf = (s: ScheduledOperation): string => jobs.get(s.job)!.operations[s.operation]!.family;
    const sizeOf = (s: ScheduledOperation): number => jobs.get(s.job)!.operations[s.operation]!.batchSize;
    for (const s of runs) {
      for (const b of machine.blocked) {
        if (s.start < b.end && b.start < s.end) {
          add({
            kind: 'blocked',
            message: `${s.job}/${s.operation} on ${machine.id} [${s.start},${s.end}) meets blocked [${b.start},${b.end})`,
            job: s.job,
            operation: s.operation,
            machine: machine.id,
          });
        }
      }
    }
    // A batch: runs with the same start and end on one machine.
    const batches = new Map<string, ScheduledOperation[]>();
    for (const s of runs) {
      const k = `${s.start}:${s.end}`;
      batches.set(k, [...(batches.get(k) ?? []), s]);
    }
    const ordered = [...batches.values()].sort((a, b) => a[0]!.start - b[0]!.start || a[0]!.end - b[0]!.end);
    for (const batch of ordered) {
      const first = batch[0]!;
      const size = batch.reduce((t, s) => t + sizeOf(s), 0);
      if (size > machine.capacity) {
        add({
          kind: 'batchCapacity',
          message: `${machine.id} runs ${size} units at [${first.start},${first.end}), capacity ${machine.capacity}`,
          machine: machine.id,
          job: first.job,
          operation: first.operation,
        });
      }
      if (new Set(batch.map(familyOf)).size > 1) {
        add({
          kind: 'batchFamily',
          message: `${machine.id} batches families ${[...new Set(batch.map(familyOf))].join(', ')} at ${first.start}`,
          machine: machine.id,
          job: first.job,
          operation: first.operation,
        });
      }
    }
    let latest = ordered[0]?.[0];
    for (let i = 1; i < ordered.length; i++) {
      const prev = ordered[i - 1]![0]!;
      const cur = ordered[i]![0]!;
      if (cur.start < latest!.end) {
        add({
          kind: 'overlap',
          message: `${machine.id}: ${cur.job}/${cur.operation} [${cur.start},${cur.end}) overlaps ${latest.job}/${latest.operation} [${latest.start},${latest.end}) without forming one batch`,
          machine: machine.id,
          job: cur.job,
          operation: cur.operation,
        });
        if (cur.end > latest!.end) latest = cur;
        continue;
      }
      latest = cur;
      const from = familyOf(prev);
      const to = familyOf(cur);
      const need = machine.changeovers.find((c) => c.from === from && c.to === to)?.minutes ?? 0;
      if (cur.start - prev.end < need) {
        add({
          kind: 'changeover',
          message: `${machine.id}: ${to} at ${cur.start} after ${from} ending ${prev.end} needs ${need}`,
          machine: machine.id,
          job: cur.job,
          operation: cur.operation,
        });
      }
    }
  }

  const makespan = schedule.operations.reduce((t, s) => Math.max(t, s.end), 0);
  if (schedule.makespan !== makespan) {
    add({ kind: 'makespan', message: `makespan says ${schedule.makespan}, operations end at ${makespan}` });
  }
  const value = objectiveValue(problem, schedule.operations);
  if (schedule.objective.kind !== problem.objective.kind || Math.abs(schedule.objective.value - value) > 1e-6 * Math.max(1, value)) {
    add({
      kind: 'objective',
      message: `objective says ${schedule.objective.kind} ${schedule.objective.value}, the operations give ${problem.objective.kind} ${value}`,
    });
  }
  return { ok: violations.length === 0, violations };
}

/** The problem's objective for a list of scheduled operations, from its definition. */
export function objectiveValue(problem: Problem, operations: readonly ScheduledOperation[]): number {
  const objective = problem.objective;
  if (objective.kind === 'makespan') return operations.reduce((t, s) => Math.max(t, s.end), 0);
  if (objective.kind === 'weightedTardiness') {
    const ends = new Map<string, number>();
    for (const s of operations) ends.set(s.job, Math.max(ends.get(s.job) ?? 0, s.end));
    let total = 0;
    for (const job of problem.jobs) {
      if (job.due === undefined) continue;
      const completion = ends.get(job.id) ?? 0;
      total += job.weight * Math.max(0, completion - job.due);
    }
    return total;
  }
  const placed = new Map(operations.map((s) => [`${s.job}\u0000${s.operation}`, s]));
  let total = 0;
  for (const cur of objective.current) {
    const s = placed.get(`${cur.job}\u0000${cur.operation}`);
    if (!s) continue;
    total += Math.abs(s.start - cur.start) + (s.machine === cur.machine ? 0 : objective.machineChangeCost);
  }
  return total;
}
