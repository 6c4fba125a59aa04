import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { checkStatements } from '../src/billing/check.js';
import { draftStatements } from '../src/billing/draft.js';
import { systemClock } from '../src/clock.js';
import { monthOf, monthsBetween } from '../src/domain/month.js';
import { environment, median, progress, round, summary } from './support/runner.js';
import { openSeededHistory } from './support/seeded-history.js';

// A year of the seeded pilot line's history (`seed --history 365`) turned into monthly statements
// for every tenant and project, timed from scratch with tinybench (every draft deleted before each
// run), then judged by the independent checker (src/billing/check.ts), which recomputes every
// total from the raw bookings, policies and rates. Embedded PostgreSQL 17, this process.

const BENCH = 'statements';
const { values: args } = parseArgs({ options: { days: { type: 'string' }, runs: { type: 'string' } }, strict: true });
const days = Number(args.days ?? 365);
const runs = Number(args.runs ?? 5);
if (!Number.isInteger(days) || days < 1 || days > 3_650) throw new Error(`--days: a whole number from 1 to 3650, not ${args.days}`);
if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new Error(`--runs: a whole number from 1 to 100, not ${args.runs}`);
await using seededHistory = await openSeededHistory(BENCH, { days, poolSize: 4 });
const { db, history: seeded } = seededHistory;

const now = systemClock.now();
const months = monthsBetween(monthOf(new Date(now.getTime() - days * 86_400_000)), monthOf(now));
const draftYear = async () => {
  for (const month of months) await draftStatements(db, { month, now });
};
// Each run starts from no statement at all: what the first close of every month does.
const clear = async () => {
  await db.statement.deleteMany({ where: { state: 'draft' } });
};

let started = performance.now();
await draftYear();
const firstMs = performance.now() - started;
const statements = await db.statement.count();
const usageLines = await db.usageLine.count();
const onStatements = (await db.statement.aggregate({ _sum: { lineCount: true } }))._sum.lineCount ?? 0;
progress(BENCH, `first pass: ${months.length} months, ${statements} statements over ${onStatements} of ${usageLines} usage lines in ${round(firstMs)} ms`);

started = performance.now();
await draftYear();
const againMs = performance.now() - started;
const unchanged = (await db.statement.count()) === statements;
progress(BENCH, `drafting the year again (nothing new): ${round(againMs)} ms, ${unchanged ? 'same' : 'DIFFERENT'} statements`);

progress(BENCH, `timing ${runs} drafts of the whole year from scratch with tinybench…`);
const bench = new Bench({ name: BENCH, iterations: runs, time: 0, warmup: false, timestampProvider: 'hrtimeNow', throws: true, retainSamples: true });
let done = 0;
bench.add('draft a year', draftYear, {
  beforeEach: clear,
  afterEach: () => progress(BENCH, `  run ${++done}/${runs}`),
});
await bench.run();
const result = bench.getTask('draft a year')?.result;
if (!result || result.state !== 'completed') throw new Error(`bench did not complete (${result?.state})`);
const samples = result.latency.samples ?? [];
const ms = round(median(samples.length ? samples : [result.latency.mean]));
progress(BENCH, `whole year: median ${ms} ms, min ${round(result.latency.min)} ms, max ${round(result.latency.max)} ms`);

started = performance.now();
const checked = await checkStatements(db, { from: months[0]!, to: months.at(-1)! });
progress(BENCH, `checker: ${checked.checked} statements recomputed from the raw bookings in ${round(performance.now() - started)} ms, ${checked.differences.length} differences`);
for (const d of checked.differences.slice(0, 5)) progress(BENCH, `  difference: ${JSON.stringify(d)}`);

summary({
  bench: BENCH,
  historyDays: days,
  months: months.length,
  bookings: seeded.bookings,
  usageLines,
  statements: await db.statement.count(),
  ms,
  firstPassMs: round(firstMs),
  redraftMs: round(againMs),
  runs: samples.length,
  checkedTotals: checked.differences.length,
  idempotent: unchanged,
  database: 'embedded PostgreSQL 17, same machine',
  ...environment(),
});
