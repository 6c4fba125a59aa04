import { PROBLEM_VERSION, type Problem } from './problem.js';

// Readers for the standard benchmark formats. Each returns a makespan Problem with unary machines
// M0..M{m-1} and jobs J0..J{n-1}.

export type InstanceFormat = 'jobshop' | 'taillard' | 'flexible';

export class InstanceFormatError extends Error {
  override readonly name = 'InstanceFormatError';
}

interface RawOperation {
  alternatives: { machine: number; duration: number }[];
}

/** Job shop in the JSPLIB layout (Fisher–Thompson, Lawrence, Taillard in JSPLIB): `n m`, then per job `machine duration` pairs. */
export function readJobShop(text: string, name?: string): Problem {
  const rows = dataRows(text);
  const [header, ...jobs] = rows;
  const [n, m] = header ?? [];
  if (n === undefined || m === undefined) throw new InstanceFormatError('missing "jobs machines" header');
  if (jobs.length < n) throw new InstanceFormatError(`expected ${n} job lines, found ${jobs.length}`);
  const routes = jobs.slice(0, n).map((row, j) => {
    if (row.length !== 2 * m) throw new InstanceFormatError(`job ${j}: expected ${2 * m} numbers, found ${row.length}`);
    const ops: RawOperation[] = [];
    for (let k = 0; k < m; k++) ops.push({ alternatives: [{ machine: row[2 * k]!, duration: row[2 * k + 1]! }] });
    return ops;
  });
  // Some copies number machines from 1: no machine 0 and some machine m.
  const all = routes.flatMap((ops) => ops.map((op) => op.alternatives[0]!.machine));
  if (!all.includes(0) && all.includes(m)) for (const ops of routes) for (const op of ops) op.alternatives[0]!.machine -= 1;
  return toProblem(routes, m, name);
}

/**
 * Job shop in Taillard's layout: a header (`n m`, optionally with seeds and bounds), the n × m
 * processing-times matrix, then the n × m machines matrix (1-based as in Taillard's files).
 * `Times` / `Machines` caption lines are accepted and ignored.
 */
export function readTaillard(text: string, name?: string): Problem {
  const lines = text.split(/\r?\n/).filter((l) => !l.trim().startsWith('#'));
  const numeric = lines.map(numbersOf).filter((r): r is number[] => r !== null && r.length > 0);
  const [header, ...body] = numeric;
  const [n, m] = header ?? [];
  if (n === undefined || m === undefined) throw new InstanceFormatError('missing "jobs machines" header');
  if (body.length < 2 * n) throw new InstanceFormatError(`expected ${2 * n} matrix rows, found ${body.length}`);
  const times = body.slice(0, n);
  const machines = body.slice(n, 2 * n);
  const oneBased = machines.every((row) => row.every((x) => x >= 1)) && machines.some((row) => row.includes(m));
  const routes = times.map((row, j) => {
    const mrow = machines[j]!;
    if (row.length !== m || mrow.length !== m) throw new InstanceFormatError(`job ${j}: expected ${m} columns`);
    return row.map((duration, k) => ({
      alternatives: [{ machine: mrow[k]! - (oneBased ? 1 : 0), duration }],
    }));
  });
  return toProblem(routes, m, name);
}

/**
 * Flexible job shop (Brandimarte and the usual FJSP text layout): header `n m [flexibility]`, then
 * per job: number of ops, and per op: number of machines, then `machine duration` pairs.
 * Machine numbers are 0-based when any 0 appears, else 1-based.
 */
export function readFlexibleJobShop(text: string, name?: string): Problem {
  const rows = dataRows(text);
  const [header] = rows;
  const [n, m] = header ?? [];
  if (n === undefined || m === undefined) throw new InstanceFormatError('missing "jobs machines" header');
  const tokens = rows.slice(1).flat();
  let at = 0;
  const take = (what: string): number => {
    const x = tokens[at++];
    if (x === undefined) throw new InstanceFormatError(`unexpected end of file reading ${what}`);
    return x;
  };
  const routes: RawOperation[][] = [];
  let sawZero = false;
  for (let j = 0; j < n; j++) {
    const nOps = take(`job ${j} operation count`);
    const ops: RawOperation[] = [];
    for (let k = 0; k < nOps; k++) {
      const nAlt = take(`job ${j} op ${k} machine count`);
      if (nAlt < 1) throw new InstanceFormatError(`job ${j} op ${k}: no eligible machine`);
      const alternatives: RawOperation['alternatives'] = [];
      for (let a = 0; a < nAlt; a++) {
        const machine = take(`job ${j} op ${k} machine`);
        if (machine === 0) sawZero = true;
        alternatives.push({ machine, duration: take(`job ${j} op ${k} duration`) });
      }
      ops.push({ alternatives });
    }
    routes.push(ops);
  }
  if (at !== tokens.length) throw new InstanceFormatError(`${tokens.length - at} numbers left after the last job`);
  if (!sawZero) for (const ops of routes) for (const op of ops) for (const alt of op.alternatives) alt.machine -= 1;
  return toProblem(routes, m, name);
}

/** Reads any of the three layouts, trying the strictest first. */
export function readInstance(text: string, name?: string): { format: InstanceFormat; problem: Problem } {
  if (/^\s*times\s*$/im.test(text)) return { format: 'taillard', problem: readTaillard(text, name) };
  const attempts: [InstanceFormat, (t: string, n?: string) => Problem][] = [
    ['jobshop', readJobShop],
    ['taillard', readTaillard],
    ['flexible', readFlexibleJobShop],
  ];
  const errors: string[] = [];
  for (const [format, read] of attempts) {
    try {
      return { format, problem: read(text, name) };
    } catch (err) {
      if (!(err instanceof InstanceFormatError)) throw err;
      errors.push(`${format}: ${err.message}`);
    }
  }
  throw new InstanceFormatError(`unrecognised instance (${errors.join('; ')})`);
}

function numbersOf(line: string): number[] | null {
  const t = line.trim();
  if (t === '') return [];
  const parts = t.split(/[\s,]+/);
  const out: number[] = [];
  for (const part of parts) {
    if (!/^-?\d+(\.\d+)?$/.test(part)) return null;
    out.push(Number(part));
  }
  return out;
}

/** Numeric rows, skipping comments, blank lines and caption lines. */
function dataRows(text: string): number[][] {
  const rows: number[][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim().startsWith('#')) continue;
    const row = numbersOf(line);
    if (row === null) {
      if (rows.length === 0) continue; // caption before the header
      throw new InstanceFormatError(`not a number in line "${line.trim()}"`);
    }
    if (row.length > 0) rows.push(row);
  }
  return rows;
}

function toProblem(routes: RawOperation[][], m: number, name?: string): Problem {
  for (const [j, ops] of routes.entries()) {
    for (const [k, op] of ops.entries()) {
      for (const alt of op.alternatives) {
        if (!Number.isInteger(alt.machine) || alt.machine < 0 || alt.machine >= m)
          throw new InstanceFormatError(`job ${j} op ${k}: machine ${alt.machine} outside 0..${m - 1}`);
        if (!Number.isInteger(alt.duration) || alt.duration < 1)
          throw new InstanceFormatError(`job ${j} op ${k}: duration ${alt.duration} must be a positive integer`);
      }
    }
  }
  return {
    version: PROBLEM_VERSION,
    ...(name === undefined ? {} : { name }),
    machines: Array.from({ length: m }, (_, k) => ({ id: `M${k}`, capacity: 1, blocked: [], changeovers: [] })),
    jobs: routes.map((ops, j) => ({
      id: `J${j}`,
      release: 0,
      weight: 1,
      operations: ops.map((op) => ({
        alternatives: op.alternatives.map((a) => ({ machine: `M${a.machine}`, duration: a.duration })),
        family: '',
        batchSize: 1,
        minLagToNext: 0,
      })),
    })),
    objective: { kind: 'makespan' },
  };
}
