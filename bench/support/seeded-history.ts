import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../../src/clock.js';
import type { Db } from '../../src/data/db.js';
import { ensureDatabase } from '../../src/runtime/database/index.js';
import { startEmbeddedPostgres } from '../../src/runtime/database/embedded.js';
import { migrate } from '../../src/runtime/database/migrate.js';
import { createPrismaClient } from '../../src/runtime/database/prisma.js';
import { createConsoleLog } from '../../src/runtime/log.js';
import { seedHistory, type HistoryReport } from '../../src/seed/history.js';
import { seedCatalogue } from '../../src/seed/seed.js';
import { progress, round } from './runner.js';

export interface SeededHistory extends AsyncDisposable {
  db: Db;
  url: string;
  history: HistoryReport;
  seedMs: number;
}

/**
 * A throwaway embedded PostgreSQL holding the seed's pilot line and `days` of its history (what
 * `seed --history N` writes), analysed, for the benches that read a year of use. Progress every
 * tenth of the tools; disposing stops the server and removes its folder.
 */
export async function openSeededHistory(
  bench: string,
  options: { days: number; poolSize: number; durable?: boolean },
): Promise<SeededHistory> {
  const log = createConsoleLog('warn');
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'pilotline-bench-'));
  // PostgreSQL runs as the postgres user under root: it must be able to enter the folder.
  await chmod(scratch, 0o755);
  const stops: Array<() => Promise<unknown>> = [() => rm(scratch, { recursive: true, force: true })];
  const dispose = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    progress(bench, 'starting embedded PostgreSQL');
    const pg = await startEmbeddedPostgres({
      dir: path.join(scratch, 'postgres'),
      log,
      ...(options.durable === false ? { durable: false } : {}),
    });
    stops.push(pg.stop);
    await ensureDatabase(pg.adminUrl, 'pilotline');
    const url = pg.urlFor('pilotline');
    await migrate(url, log);
    const db = createPrismaClient(url, { poolSize: options.poolSize });
    stops.push(() => db.$disconnect());
    await seedCatalogue(db, systemClock);
    progress(bench, `seeding ${options.days} days of history`);
    const started = performance.now();
    let shown = -1;
    const history = await seedHistory(db, systemClock, {
      days: options.days,
      seed: 1,
      onProgress: (done, line) => {
        const tenth = Math.floor(done * 10);
        if (tenth === shown) return;
        shown = tenth;
        progress(bench, line);
      },
    });
    const seedMs = performance.now() - started;
    progress(
      bench,
      `seeded ${history.bookings} bookings, ${history.usageLines} usage lines, ${history.maintenances} maintenance windows in ${round(seedMs / 1000, 1)} s`,
    );
    await db.$executeRawUnsafe('ANALYZE');
    return { db, url, history, seedMs, [Symbol.asyncDispose]: dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
