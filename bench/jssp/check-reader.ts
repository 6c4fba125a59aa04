import type { Problem } from '../../src/solver/optimize/problem.js';

// The bench's own reading of an instance file, for the checker only: written from the file formats
// (../shared/benchmarks/instances/README.md), sharing no code with src/solver/optimize/readers.ts,
// so a misread instance cannot pass the check by being misread the same way twice. It keeps only
// the naming convention the optimizer's schedules use: machines M0…, jobs J0…, in file order.

/** One job: its operations in order, each with its eligible machines. */
type Route = { machine: number; duration: number }[][];

/** The problem as the file states it, or an Error saying where the file stops making sense. */
export function readForCheck(text: string): Problem {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.some((l) => /^times$/i.test(l))) return taillard(lines);
  const rows = lines.map((l) => l.split(/\s+/).map(Number)).filter((r) => r.every(Number.isFinite));
  const [n, m] = rows[0] ?? [];
  if (!n || !m) throw new Error('no "jobs machines" first line');
  const jobRows = rows.slice(1, 1 + n);
  // A job shop line visits every machine once: m (machine, duration) pairs.
  const isJobShop =
    rows[0]!.length === 2 &&
    jobRows.length === n &&
    jobRows.every((r) => r.length === 2 * m && new Set(r.filter((_, i) => i % 2 === 0)).size === m);
  return isJobShop ? jobShop(jobRows, m) : flexible(rows.slice(1).flat(), n, m);
}

function jobShop(jobRows: number[][], m: number): Problem {
  return toProblem(
    jobRows.map((r) => Array.from({ length: m }, (_, k) => [{ machine: r[2 * k]!, duration: r[2 * k + 1]! }])),
    m,
  );
}

function taillard(lines: string[]): Problem {
  const numeric = lines.map((l) => l.split(/\s+/).map(Number)).filter((r) => r.length > 0 && r.every(Number.isFinite));
  const [n, m] = numeric[0] ?? [];
  if (!n || !m) throw new Error('no "jobs machines" header');
  const times = numeric.slice(1, 1 + n);
  const machines = numeric.slice(1 + n, 1 + 2 * n);
  if (machines.length !== n) throw new Error(`expected ${n} rows of machines`);
  return toProblem(
    times.map((row, j) => row.map((duration, k) => [{ machine: machines[j]![k]!, duration }])),
    m,
  );
}

function flexible(tokens: number[], n: number, m: number): Problem {
  let at = 0;
  const next = (): number => {
    if (at >= tokens.length) throw new Error('the file ends inside a job');
    return tokens[at++]!;
  };
  const routes: Route[] = [];
  for (let j = 0; j < n; j++) {
    const ops: Route = [];
    for (let k = next(); k > 0; k--) {
      const alternatives = [];
      for (let a = next(); a > 0; a--) alternatives.push({ machine: next(), duration: next() });
      ops.push(alternatives);
    }
    routes.push(ops);
  }
  if (at !== tokens.length) throw new Error(`${tokens.length - at} numbers after the last job`);
  return toProblem(routes, m);
}

/** Machines are numbered from 0, or from 1 in files that never name machine 0 but do name machine m. */
function toProblem(routes: Route[], m: number): Problem {
  const all = routes.flat(2).map((a) => a.machine);
  const base = !all.includes(0) && all.includes(m) ? 1 : 0;
  for (const x of all) if (x - base < 0 || x - base >= m) throw new Error(`machine ${x} outside the ${m} machines`);
  return {
    version: 1,
    machines: Array.from({ length: m }, (_, i) => ({ id: `M${i}`, capacity: 1, blocked: [], changeovers: [] })),
    jobs: routes.map((ops, j) => ({
      id: `J${j}`,
      release: 0,
      weight: 1,
      operations: ops.map((alternatives) => ({
        alternatives: alternatives.map((a) => ({ machine: `M${a.machine - base}`, duration: a.duration })),
        family: '',
        batchSize: 1,
        minLagToNext: 0,
      })),
    })),
    objective: { kind: 'makespan' },
  };
}
