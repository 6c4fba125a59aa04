import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../src/clock.js';
import { utilisationReport } from '../src/data/utilisation-report.js';
import { facilityDay } from '../src/domain/time.js';
import { utilisationQuerySchema } from '../src/domain/utilisation.js';
import { ensureDatabase } from '../src/runtime/database/index.js';
import { startEmbeddedPostgres } from '../src/runtime/database/embedded.js';
import { migrate } from '../src/runtime/database/migrate.js';
import { createPrismaClient } from '../src/runtime/database/prisma.js';
import { createConsoleLog } from '../src/runtime/log.js';
import { seedHistory } from '../src/seed/history.js';
import { seedCatalogue } from '../src/seed/seed.js';
import { environment, median, progress, round, summary } from './support/runner.js';

// A utilisation report on the seeded pilot line with a year of history (`seed --history 365`):
// the last quarter and the whole year, per tool, tool type, tenant and tenant class, as the API
// answers it (both statements and the assembly), on embedded PostgreSQL.

const BENCH = 'utilisation';
const RUNS = 15;
const log = createConsoleLog('warn');

const scratch = await mkdtemp(path.join(os.tmpdir(), 'pilotline-bench-'));
await chmod(scratch, 0o755);
const pg = await startEmbeddedPostgres({ dir: path.join(scratch, 'postgres'), log, durable: false });
try {
  await ensureDatabase(pg.adminUrl, 'pilotline');
  const url = pg.urlFor('pilotline');
  await migrate(url, log);
  const db = createPrismaClient(url, { poolSize: 10 });
  try {
    await seedCatalogue(db, systemClock);
    let last = 0;
    const seeded = await seedHistory(db, systemClock, {
      days: 365,
      seed: 1,
      onProgress: (done, line) => {
        if (done - last >= 0.25 || done === 1) {
          last = done;
          progress(BENCH, line);
        }
      },
    });
    progress(BENCH, `seeded ${seeded.bookings} bookings, ${seeded.maintenances} maintenance windows`);
    await db.$executeRawUnsafe('ANALYZE');

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
  } finally {
    await db.$disconnect();
  }
} finally {
  await pg.stop();
  await rm(scratch, { recursive: true, force: true });
}
