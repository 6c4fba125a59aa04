// Instance benchmark of the batch optimizer on JSSP / FJSP instances with best-known bounds.
// npm run bench:jssp -- [--dir FOLDER] [--instances ta01-ta10] [--time-limit-ms 10000] [--threads N] [--seed S]
// Runs one instance at a time, checks each schedule with the independent checker against the file
// read again by the bench's own reader, prints a line per instance and a JSON summary last: gaps
// over feasible schedules only, per instance family (ft, la, ta, mk) and overall.
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { checkSchedule } from '../src/solver/optimize/check.js';
import { optimize } from '../src/solver/optimize/optimize.js';
import { readInstance } from '../src/solver/optimize/readers.js';
import { readForCheck } from './jssp/check-reader.js';
import { defaultInstances, folderInstances, selectInstances } from './jssp/instances.js';
import { gapPct as gapOf, round, summarise } from './jssp/summary.js';

const ArgsSchema = z.object({
  dir: z.string().optional(),
  instances: z.string().optional(),
  'time-limit-ms': z.coerce.number().int().positive().default(10_000),
  threads: z.coerce.number().int().positive().default(availableParallelism()),
  seed: z.coerce.number().int().min(0).default(1),
});

const usage =
  'usage: npm run bench:jssp -- [--dir FOLDER] [--instances ta01-ta10] [--time-limit-ms 10000] [--threads N] [--seed S]';
const args = (() => {
  try {
    const { values } = parseArgs({
      options: {
        dir: { type: 'string' },
        instances: { type: 'string' },
        'time-limit-ms': { type: 'string' },
        threads: { type: 'string' },
        seed: { type: 'string' },
      },
      strict: true,
    });
    return ArgsSchema.parse(values);
  } catch (err) {
    const problem =
      err instanceof z.ZodError
        ? err.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')
        : (err as Error).message;
    console.error(`${problem}\n${usage}`);
    process.exit(2);
  }
})();
const all = args.dir ? folderInstances(args.dir) : defaultInstances();
const selected = selectInstances(all, args.instances);
const timeLimitMs = args['time-limit-ms'];

console.log(
  `jssp bench: ${selected.length} instances, ${timeLimitMs} ms each, ${args.threads} threads, seed ${args.seed}, load ${loadavg()[0]!.toFixed(2)}`,
);
const results = [];
for (const entry of selected) {
  const { format, problem } = readInstance(readFileSync(entry.file, 'utf8'), entry.name);
  const result = await optimize(problem, { timeLimitMs, threads: args.threads, seed: args.seed });
  // The checker judges against the file as the bench reads it, not the object the optimizer had.
  const check = (() => {
    try {
      return checkSchedule(readForCheck(readFileSync(entry.file, 'utf8')), result.schedule);
    } catch (err) {
      return { ok: false, violations: [{ message: `unreadable for the check: ${(err as Error).message}` }] };
    }
  })();
  const bks = entry.upperBound;
  const gapPct = gapOf({ ...result, name: entry.name, bks, feasible: check.ok });
  const ops = problem.jobs.reduce((s, j) => s + j.operations.length, 0);
  results.push({
    name: entry.name,
    format,
    size: `${problem.jobs.length}x${problem.machines.length}`,
    makespan: result.makespan,
    bks,
    lowerBound: entry.lowerBound,
    gapPct: gapPct === null ? null : round(gapPct, 3),
    feasible: check.ok,
    ...(check.ok ? {} : { violations: check.violations.slice(0, 5).map((v) => v.message) }),
    timeMs: Math.round(result.elapsedMs),
    iterations: result.iterations,
    iterationsPerSecond: Math.round(result.iterations / (result.elapsedMs / 1000)),
    stopReason: result.stopReason,
  });
  console.log(
    [
      entry.name.padEnd(8),
      `${problem.jobs.length}x${problem.machines.length}`.padEnd(6),
      `ops ${ops}`.padEnd(8),
      `makespan ${result.makespan}`.padEnd(14),
      `bks ${bks ?? '?'}`.padEnd(9),
      `gap ${gapPct === null ? '?' : gapPct.toFixed(2) + '%'}`.padEnd(11),
      `${(result.elapsedMs / 1000).toFixed(1)}s`.padEnd(6),
      // Stopped at the lower bound: proven optimal (iterations/s is meaningless then).
      (result.stopReason === 'lowerBound'
        ? 'optimal'
        : `${Math.round(result.iterations / (result.elapsedMs / 1000))} it/s`
      ).padEnd(12),
      check.ok
        ? 'valid'
        : `INVALID: ${check.violations
            .slice(0, 3)
            .map((v) => v.message)
            .join('; ')}`,
    ].join(' '),
  );
}
const { groups, ...overall } = summarise(results);
console.log(
  JSON.stringify({
    bench: 'jssp',
    ...overall,
    timeLimitMs,
    threads: args.threads,
    seed: args.seed,
    loadAverage: round(loadavg()[0]!, 2),
    groups,
    perInstance: results,
  }),
);
