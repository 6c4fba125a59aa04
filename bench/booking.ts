import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { createActivities } from '../activities/index.js';
import { createApiToken } from '../src/accounts/api-tokens.js';
import { buildApiServer } from '../src/api/server.js';
import { refereeCalendar } from '../src/calendar/referee.js';
import { systemClock } from '../src/clock.js';
import { ensureDatabase } from '../src/runtime/database/index.js';
import { startEmbeddedPostgres } from '../src/runtime/database/embedded.js';
import { migrate } from '../src/runtime/database/migrate.js';
import { createPrismaClient } from '../src/runtime/database/prisma.js';
import { createConsoleLog } from '../src/runtime/log.js';
import { freePort } from '../src/runtime/ports.js';
import { connectClient } from '../src/runtime/temporal/client.js';
import { findTemporalCli } from '../src/runtime/temporal/cli.js';
import { startDevServer } from '../src/runtime/temporal/dev-server.js';
import { createWorker, installTemporalRuntime } from '../src/runtime/temporal/worker.js';
import { tenants } from '../src/seed/catalogue.js';
import { seedCatalogue } from '../src/seed/seed.js';
import { runNodeStorm } from './booking-nodes.js';
import { cpuMeter, describeThreads, startProfile, threadCpu } from './support/process-cpu.js';
import { environment, median, progress, round, summary } from './support/runner.js';

// Booking requests end to end — HTTP API → Update-with-Start → worker → local activity (solver +
// PostgreSQL transaction) → decision — against Temporal's own limit on the same server and worker:
// an empty workflow. Runs on the Temporal *dev server* (one SQLite shard) and embedded PostgreSQL.
// `--cpu-prof DIR` writes the main thread's profile of each concurrent phase there.
// With `--nodes N`: N API nodes and N workers as separate processes, a storm and two SIGKILLs
// (bench/booking-nodes.ts).

const BENCH = 'booking';
const CONCURRENCY = 32;
const SEQUENTIAL = 60;
const CONCURRENT = 640;
const log = createConsoleLog('warn');

const { values: args } = parseArgs({
  options: {
    nodes: { type: 'string' },
    requests: { type: 'string' },
    concurrency: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
  strict: true,
});
const nodes = Number(args.nodes ?? 1);
// `--cpu-prof DIR`: the main thread's CPU profile of each concurrent phase, for Chrome DevTools.
const profileDir = args['cpu-prof'];
if (!Number.isInteger(nodes) || nodes < 1 || nodes > 8) throw new Error(`--nodes: a whole number from 1 to 8, not ${args.nodes}`);
if (nodes > 1) {
  await runNodeStorm({ nodes, requests: Number(args.requests ?? 360), concurrency: Number(args.concurrency ?? 24) });
} else {
  await singleProcess();
}

async function singleProcess(): Promise<void> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'pilotline-bench-'));
  await chmod(scratch, 0o755);
  const stops: Array<() => Promise<unknown>> = [async () => rm(scratch, { recursive: true, force: true })];
  try {
    progress(BENCH, 'starting embedded PostgreSQL, the Temporal dev server, a worker and the API');
    const pg = await startEmbeddedPostgres({ dir: path.join(scratch, 'postgres'), log });
    stops.push(pg.stop);
    await ensureDatabase(pg.adminUrl, 'pilotline');
    const url = pg.urlFor('pilotline');
    await migrate(url, log);
    const db = createPrismaClient(url, { poolSize: 20 });
    stops.push(() => db.$disconnect());
    await seedCatalogue(db, systemClock);
    const tokens = new Map<string, string>();
    for (const user of await db.user.findMany({ select: { id: true } })) {
      const created = await createApiToken(db, { userId: user.id, name: 'bench', now: systemClock.now() });
      tokens.set(user.id, created.secret);
    }

    const cli = await findTemporalCli({
      configuredPath: process.env.TEMPORAL_CLI_PATH,
      pathEnv: process.env.PATH,
      log,
    });
    if (cli.kind !== 'existing') throw new Error('bench:booking needs the temporal CLI');
    const server = await startDevServer({
      cliPath: cli.path,
      dbFile: path.join(scratch, 'temporal.sqlite'),
      namespace: 'default',
      uiPort: false,
      log,
    });
    stops.push(server.stop);
    const temporal = await connectClient(server.address, 'default');
    stops.push(temporal.close);
    installTemporalRuntime('ERROR');
    const taskQueue = 'pilotline-bench';
    // The placement activity's own time (solver + PostgreSQL transaction), to show where a request's time goes.
    const activities = createActivities({ db, clock: systemClock });
    const activityMs: number[] = [];
    const placeAndHold = activities.placeAndHold;
    activities.placeAndHold = async (input) => {
      const t = performance.now();
      try {
        return await placeAndHold(input);
      } finally {
        activityMs.push(performance.now() - t);
      }
    };
    const worker = await createWorker({ address: server.address, namespace: 'default', taskQueue, activities });
    const running = worker.run();
    stops.push(async () => {
      await worker.shutdown();
      await running;
    });
    const api = buildApiServer(
      { db, clock: systemClock, temporal: { client: temporal.client, namespace: 'default', taskQueue } },
      { logLevel: 'error' },
    );
    const port = await freePort();
    await api.listen({ host: '127.0.0.1', port });
    stops.push(() => api.close());
    const base = `http://127.0.0.1:${port}`;

    // Metrology requests (no approval) from every qualified tenant user, spread over four weeks.
    const metrology = [
      'sem',
      'afm',
      'xrd',
      'ellipsometer',
      'sheet-resistance',
      'defect-inspection',
      'probe-station',
    ];
    const bookers = tenants.flatMap((t) => t.users.filter((u) => u.role === 'tenant_user'));
    let sequence = 0;
    const nextRequest = () => {
      const n = sequence++;
      const user = bookers[n % bookers.length]!;
      const types = metrology.filter((t) => user.qualifiedOn.includes(t));
      const dayStart =
        Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) +
        (2 + (n % 25)) * 86_400_000;
      const earliest = dayStart + (n % 10) * 3_600_000; // 08:00–17:00 Hong Kong time
      return {
        token: tokens.get(user.id)!,
        body: {
          requestId: randomUUID(),
          toolTypeId: types[n % types.length]!,
          durationMin: 15 * (1 + (n % 4)),
          earliestStart: new Date(earliest).toISOString(),
          latestEnd: new Date(earliest + 4 * 3_600_000).toISOString(),
          material: 'GaN',
          waferSize: 150,
        },
      };
    };
    // Answers by kind: only placed requests count as bookings; refusals are reported apart.
    const answers = { placed: 0, NO_FEASIBLE_SLOT: 0, SLOT_TAKEN: 0 };
    const bookOnce = async () => {
      const { token, body } = nextRequest();
      const response = await fetch(`${base}/api/bookings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status === 201) {
        answers.placed++;
        return;
      }
      const code = response.status === 409 ? (JSON.parse(text) as { code?: string }).code : undefined;
      if (code === 'NO_FEASIBLE_SLOT' || code === 'SLOT_TAKEN') answers[code]++;
      else throw new Error(`booking request failed: ${response.status} ${text}`);
    };
    const emptyOnce = () =>
      temporal.client.workflow.execute('probeWorkflow', { taskQueue, workflowId: `probe-${randomUUID()}` });

    // Warm-up: JIT, connection pools, the worker's workflow cache.
    for (let i = 0; i < 10; i++) await Promise.all([bookOnce(), emptyOnce()]);
    activityMs.length = 0;

    progress(
      BENCH,
      `one at a time: ${SEQUENTIAL} empty workflows and ${SEQUENTIAL} booking requests (tinybench)`,
    );
    const sequential = new Bench({
      name: 'sequential',
      iterations: SEQUENTIAL,
      time: 0,
      warmupIterations: 3,
      timestampProvider: 'hrtimeNow',
      throws: true,
    });
    sequential.add('empty workflow', emptyOnce).add('booking request', bookOnce);
    await sequential.run();
    const latency = (name: string) => sequential.getTask(name)!.result!;
    const emptyP50Ms = round(latencyOf(latency('empty workflow')).p50, 1);
    const p50Ms = round(latencyOf(latency('booking request')).p50, 1);
    const sequentialActivityP50Ms = round(median(activityMs.splice(0)), 1);
    progress(
      BENCH,
      `p50: empty workflow ${emptyP50Ms} ms, booking request ${p50Ms} ms (of which the placement activity ${sequentialActivityP50Ms} ms)`,
    );

    // CPU beside wall time: this process (API, worker, the bench's own HTTP client), PostgreSQL's
    // processes and the Temporal server's, per workflow and per booking, in the same run.
    const cpu = cpuMeter({ postgres: pg.pid, temporal: server.pid });
    progress(BENCH, `${CONCURRENT} empty workflows, ${CONCURRENCY} at a time…`);
    let cpuBefore = cpu.read();
    const emptyThreads = threadCpu();
    const stopEmptyProfile = profileDir ? await startProfile() : undefined;
    const empty = await atConcurrency(CONCURRENT, CONCURRENCY, emptyOnce);
    if (stopEmptyProfile) await stopEmptyProfile(path.join(profileDir!, 'empty-workflows.cpuprofile'));
    progress(BENCH, `our threads, CPU ms per empty workflow: ${describeThreads(emptyThreads, threadCpu(), CONCURRENT)}`);
    const emptyCpu = cpu.per(cpuBefore, CONCURRENT);
    progress(
      BENCH,
      `empty workflows: ${round(empty.perSec, 1)}/s, p95 ${round(empty.p95Ms, 1)} ms, CPU ${round(emptyCpu.total, 1)} ms each (${describeCpu(emptyCpu)})`,
    );
    progress(BENCH, `${CONCURRENT} booking requests, ${CONCURRENCY} at a time…`);
    activityMs.length = 0;
    const before = { ...answers };
    cpuBefore = cpu.read();
    const threadsBefore = threadCpu();
    const stopProfile = profileDir ? await startProfile() : undefined;
    const requests = await atConcurrency(CONCURRENT, CONCURRENCY, bookOnce);
    if (stopProfile) await stopProfile(path.join(profileDir!, 'booking-requests.cpuprofile'));
    progress(BENCH, `our threads, CPU ms per booking: ${describeThreads(threadsBefore, threadCpu(), answers.placed - before.placed)}`);
    const bookingCpu = cpu.per(cpuBefore, answers.placed - before.placed);
    const concurrentActivityP50Ms = round(median(activityMs), 1);
    const inPhase = (key: keyof typeof answers) => answers[key] - before[key];
    // Bookings per second counts placed requests only: a refusal is an answer, not a booking.
    const bookingsPerSec = inPhase('placed') / requests.seconds;
    progress(
      BENCH,
      `booking requests: ${round(bookingsPerSec, 1)} bookings/s of ${round(requests.perSec, 1)} answers/s, p95 ${round(requests.p95Ms, 1)} ms ` +
        `(${inPhase('placed')} placed, ${inPhase('NO_FEASIBLE_SLOT')} NO_FEASIBLE_SLOT, ${inPhase('SLOT_TAKEN')} SLOT_TAKEN), ` +
        `CPU ${round(bookingCpu.total, 1)} ms each (${describeCpu(bookingCpu)})`,
    );

    progress(BENCH, 'the referee judges every active booking in the database, as the solver sees them');
    const verdict = await refereeCalendar(db);
    const violationsByCode: Record<string, number> = {};
    for (const v of verdict.violations) violationsByCode[v.code] = (violationsByCode[v.code] ?? 0) + 1;
    progress(BENCH, `${verdict.bookings} active bookings judged: ${verdict.violations.length} violations`);

    summary({
      bench: BENCH,
      server:
        'temporal dev server (SQLite, one shard) + embedded PostgreSQL 17, worker, API and the bench HTTP client in this process',
      concurrency: CONCURRENCY,
      requests: CONCURRENT,
      bookingsPerSec: round(bookingsPerSec, 1),
      answersPerSec: round(requests.perSec, 1),
      temporalLimitPerSec: round(empty.perSec, 1),
      ratio: round(bookingsPerSec / empty.perSec, 2),
      p50Ms,
      emptyP50Ms,
      p50Ratio: round(p50Ms / emptyP50Ms, 2),
      p95Ms: round(requests.p95Ms, 1),
      emptyP95Ms: round(empty.p95Ms, 1),
      placementActivityP50Ms: sequentialActivityP50Ms,
      placementActivityP50MsAt32: concurrentActivityP50Ms,
      cpuMsPerBooking: round(bookingCpu.total, 1),
      cpuMsPerEmptyWorkflow: round(emptyCpu.total, 1),
      cpuMsPerBookingBy: roundParts(bookingCpu),
      cpuMsPerEmptyWorkflowBy: roundParts(emptyCpu),
      placed: inPhase('placed'),
      noFeasibleSlot: inPhase('NO_FEASIBLE_SLOT'),
      slotTaken: inPhase('SLOT_TAKEN'),
      placedAllPhases: answers.placed,
      judgedBookings: verdict.bookings,
      // Two active claims on one tool at once (with its buffer), as the referee over the database finds them.
      overlaps: (violationsByCode.OVERLAP ?? 0) + (violationsByCode.MAINTENANCE_OVERLAP ?? 0),
      refereeViolations: verdict.violations.length,
      violationsByCode,
      ...environment(),
    });
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

function describeCpu(parts: { pilotline: number; postgres: number; temporal: number }): string {
  return `Pilotline ${round(parts.pilotline, 1)}, PostgreSQL ${round(parts.postgres, 1)}, Temporal ${round(parts.temporal, 1)}`;
}

function roundParts(parts: { pilotline: number; postgres: number; temporal: number }) {
  return { pilotline: round(parts.pilotline, 1), postgres: round(parts.postgres, 1), temporal: round(parts.temporal, 1) };
}

function latencyOf(result: unknown): { p50: number } {
  return (result as { latency: { p50: number } }).latency;
}

/** Runs `total` calls of `work` with `concurrency` in flight; the rate and the p95 latency. */
async function atConcurrency(total: number, concurrency: number, work: () => Promise<unknown>) {
  const latencies: number[] = [];
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued < total) {
        issued++;
        const t = performance.now();
        await work();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    seconds,
    perSec: total / seconds,
    p95Ms: latencies[Math.floor(latencies.length * 0.95)]!,
    p50Ms: median(latencies),
  };
}
