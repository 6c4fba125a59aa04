import { systemClock } from '../src/clock.js';
import { utilisationReport } from '../src/data/utilisation-report.js';
import { facilityDay } from '../src/domain/time.js';
import { utilisationQuerySchema } from '../src/domain/utilisation.js';
import { environment, median, progress, round, summary } from './support/runner.js';
import { openSeededHistory } from './support/seeded-history.js';

// A utilisation report on the seeded pilot line with a year of history (`seed --history 365`):
// the last quarter and the whole year, per tool, tool type, tenant and tenant class, as the API
// answers it (both statements and the assembly), on embedded PostgreSQL.

const BENCH = 'utilisation';
const RUNS = 15;
await using seededHistory = await openSeededHistory(BENCH, { days: 365, poolSize: 10, durable: false });
const { db, history: seeded } = seededHistory;

const now = systemClock.now();
const day = (ago: number) => facilityDay(new Date(now.getTime() - ago * 86_400_000));
const periods = { quarter: { from: day(91), to: day(1) }, year: { from: day(364), to: day(0) } };
const timings: Record<string, { medianMs: number; maxMs: number; bookings: number; usedHours: number }> = {};
for (const [name, period] of Object.entries(periods)) {
  const query = utilisationQuerySchema.parse(period);
  const samples: number[] = [];
  let report = await utilisationReport(db, { query, now }); // warm-up
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    report = await utilisationReport(db, { query, now });
    samples.push(performance.now() - started);
  }
  timings[name] = { medianMs: round(median(samples), 1), maxMs: round(Math.max(...samples), 1), bookings: report.total.bookings, usedHours: report.total.usedHours };
  progress(BENCH, `${name} (${period.from} to ${period.to}): median ${timings[name].medianMs} ms over ${RUNS} runs; ${report.tools.length} tools, ${report.total.bookings} bookings, utilisation ${report.total.utilisation}`);
}
summary({ bench: BENCH, historyDays: 365, bookings: seeded.bookings, runs: RUNS, ...Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, v])), server: 'embedded PostgreSQL 17', ...environment() });
