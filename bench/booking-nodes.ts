import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createApiToken } from '../src/accounts/api-tokens.js';
import { refereeCalendar } from '../src/calendar/referee.js';
import { systemClock } from '../src/clock.js';
import { bookingWorkflowId } from '../src/domain/ids.js';
import { ensureDatabase } from '../src/runtime/database/index.js';
import { startEmbeddedPostgres } from '../src/runtime/database/embedded.js';
import { migrate } from '../src/runtime/database/migrate.js';
import { createPrismaClient } from '../src/runtime/database/prisma.js';
import { createConsoleLog } from '../src/runtime/log.js';
import { connectClient } from '../src/runtime/temporal/client.js';
import { findTemporalCli } from '../src/runtime/temporal/cli.js';
import { startDevServer } from '../src/runtime/temporal/dev-server.js';
import { tenants } from '../src/seed/catalogue.js';
import { seedCatalogue } from '../src/seed/seed.js';
import type { BookingStatus } from '../workflows/messages.js';
import { startPilotlineNode, type PilotlineNode } from './support/pilotline-node.js';
import { environment, progress, round, summary } from './support/runner.js';

// Several Pilotline nodes on one Temporal and one PostgreSQL, as a facility runs them past one
// machine: `pilotline api` × N and `pilotline worker` × N as separate OS processes. A storm of
// booking requests, spread over the API nodes and crowded onto a few slots, loses one worker and
// one API node to SIGKILL a third of the way in. A client whose node died asks another node with the
// same requestId, as it would through a load balancer. Then the database is the witness: the
// referee judges every active claim, every acknowledged booking is there once, and every booking's
// workflow answers its query.

const BENCH = 'booking-nodes';
const log = createConsoleLog('warn');

export interface StormOptions {
  nodes: number;
  requests: number;
  concurrency: number;
}

type Answer = { kind: 'booked'; bookingId: string } | { kind: 'refused'; code: string };

export async function runNodeStorm(options: StormOptions): Promise<void> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'pilotline-bench-nodes-'));
  await chmod(scratch, 0o755);
  const stops: Array<() => Promise<unknown>> = [async () => rm(scratch, { recursive: true, force: true })];
  const nodes: PilotlineNode[] = [];
  try {
    progress(BENCH, 'starting embedded PostgreSQL and the Temporal dev server');
    const pg = await startEmbeddedPostgres({ dir: path.join(scratch, 'postgres'), log });
    stops.push(pg.stop);
    await ensureDatabase(pg.adminUrl, 'pilotline');
    const databaseUrl = pg.urlFor('pilotline');
    await migrate(databaseUrl, log);
    const db = createPrismaClient(databaseUrl, { poolSize: 4 });
    stops.push(() => db.$disconnect());
    await seedCatalogue(db, systemClock);
    const tokens = new Map<string, string>();
    for (const user of await db.user.findMany({ select: { id: true } })) {
      tokens.set(user.id, (await createApiToken(db, { userId: user.id, name: 'bench', now: systemClock.now() })).secret);
    }
    const cli = await findTemporalCli({ configuredPath: process.env.TEMPORAL_CLI_PATH, pathEnv: process.env.PATH, log });
    if (cli.kind !== 'existing') throw new Error('bench:booking --nodes needs the temporal CLI');
    const server = await startDevServer({ cliPath: cli.path, dbFile: path.join(scratch, 'temporal.sqlite'), namespace: 'default', uiPort: false, log });
    stops.push(server.stop);
    const temporal = await connectClient(server.address, 'default');
    stops.push(temporal.close);

    progress(BENCH, `starting ${options.nodes} workers and ${options.nodes} API nodes as processes`);
    const common = { databaseUrl, temporalAddress: server.address, taskQueue: 'pilotline-nodes', dataDir: path.join(scratch, 'data') };
    // One at a time: each worker bundles the workflows, which takes a core for a while.
    for (let i = 0; i < options.nodes; i++) nodes.push(await startPilotlineNode({ ...common, command: 'worker' }));
    for (let i = 0; i < options.nodes; i++) nodes.push(await startPilotlineNode({ ...common, command: 'api' }));
    stops.push(async () => Promise.all(nodes.map((n) => n.stop('SIGTERM'))));
    const workers = nodes.filter((n) => n.command === 'worker');
    const apis = nodes.filter((n) => n.command === 'api');
    const live = new Set(apis);

    // Metrology (no approval) from every qualified tenant user, crowded onto six three-hour windows:
    // about as many requests per tool and window as the window holds bookings, many refused.
    const metrology = ['sem', 'afm', 'xrd', 'ellipsometer', 'sheet-resistance', 'defect-inspection', 'probe-station'];
    const bookers = tenants.flatMap((t) => t.users.filter((u) => u.role === 'tenant_user'));
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    const request = (n: number) => {
      const user = bookers[n % bookers.length]!;
      const types = metrology.filter((t) => user.qualifiedOn.includes(t));
      const earliest = today + (3 + (n % 6)) * 86_400_000 + 3_600_000; // 09:00 Hong Kong time
      return {
        token: tokens.get(user.id)!,
        body: {
          requestId: randomUUID(),
          toolTypeId: types[Math.floor(n / 6) % types.length]!,
          durationMin: 30 * (1 + (n % 2)),
          earliestStart: new Date(earliest).toISOString(),
          latestEnd: new Date(earliest + 3 * 3_600_000).toISOString(),
          material: 'GaN',
          waferSize: 150,
        },
      };
    };

    const answers = new Map<string, Answer>();
    let retried = 0;
    let unanswered = 0;
    /** Asks the nodes in turn, starting at `first`; a node that is gone (or draining) sends it to the next. */
    const ask = async (n: number): Promise<void> => {
      const { token, body } = request(n);
      for (let attempt = 0; attempt < 8; attempt++) {
        const alive = [...live];
        const node = alive[(n + attempt) % alive.length]!;
        const response = await fetch(`${node.url}/api/bookings`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).catch(() => undefined);
        if (response && response.status !== 503 && response.status < 500) {
          const answer = (await response.json()) as { booking?: { id: string }; code?: string };
          if (response.status === 201) answers.set(body.requestId, { kind: 'booked', bookingId: answer.booking!.id });
          else if (response.status === 409) answers.set(body.requestId, { kind: 'refused', code: answer.code ?? '409' });
          else throw new Error(`booking request answered ${response.status}: ${JSON.stringify(answer)}`);
          return;
        }
        retried++;
        await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
      }
      unanswered++;
    };

    const killAt = Math.floor(options.requests / 3);
    const killed: string[] = [];
    let done = 0;
    let next = 0;
    let killing: Promise<void> | undefined;
    progress(BENCH, `${options.requests} booking requests, ${options.concurrency} at a time, over ${apis.length} API nodes; SIGKILL of a worker and an API node after ${killAt}`);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < options.requests) {
          await ask(next++);
          if (++done === killAt) {
            killing = (async () => {
              const [worker, api] = [workers[0]!, apis[0]!];
              live.delete(api);
              await Promise.all([worker.stop('SIGKILL'), api.stop('SIGKILL')]);
              killed.push(`worker pid ${worker.pid}`, `api pid ${api.pid}`);
              progress(BENCH, `killed ${killed.join(' and ')} (SIGKILL) with ${options.concurrency} requests in flight`);
            })();
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    await killing;
    const booked = [...answers.entries()].filter((e): e is [string, Extract<Answer, { kind: 'booked' }>] => e[1].kind === 'booked');
    const refusals: Record<string, number> = {};
    for (const a of answers.values()) if (a.kind === 'refused') refusals[a.code] = (refusals[a.code] ?? 0) + 1;
    progress(BENCH, `${booked.length} booked, refused ${JSON.stringify(refusals)}, ${retried} retries at another node, ${unanswered} unanswered, ${round(seconds, 1)} s`);

    progress(BENCH, 'the database: the referee over every active claim, each acknowledged booking once, each workflow answering');
    const verdict = await refereeCalendar(db);
    const overlaps = verdict.violations.filter((v) => v.code === 'OVERLAP' || v.code === 'MAINTENANCE_OVERLAP').length;
    const rows = await db.booking.findMany({
      where: { requestId: { in: [...answers.keys()] } },
      select: { id: true, requestId: true, state: true },
    });
    const rowsByRequest = new Map<string, typeof rows>();
    for (const row of rows) rowsByRequest.set(row.requestId!, [...(rowsByRequest.get(row.requestId!) ?? []), row]);
    // Lost: acknowledged, but not in the database as that booking, active.
    const lost = booked.filter(([requestId, a]) => {
      const found = rowsByRequest.get(requestId) ?? [];
      return !found.some((r) => r.id === a.bookingId && ['held', 'confirmed'].includes(r.state));
    }).length;
    // Duplicates: more than one row for a request, or a row for a request that was refused.
    const duplicates =
      [...rowsByRequest.values()].filter((found) => found.length > 1).length +
      [...answers.entries()].filter(([requestId, a]) => a.kind === 'refused' && rowsByRequest.has(requestId)).length;
    let silentWorkflows = 0;
    for (const [requestId, a] of booked) {
      // The server may route a query to the dead worker's sticky queue for a while: ask again until
      // another worker has taken the workflow over (a minute at most).
      const handle = temporal.client.workflow.getHandle(bookingWorkflowId(requestId));
      const deadline = Date.now() + 60_000;
      let status: BookingStatus | undefined;
      while (!status && Date.now() < deadline) {
        status = await Promise.race([
          handle.query<BookingStatus>('status'),
          new Promise<undefined>((r) => setTimeout(() => r(undefined), 10_000)),
        ]).catch(() => undefined);
        if (!status) await new Promise((r) => setTimeout(r, 500));
      }
      if (status?.booking?.id !== a.bookingId) {
        silentWorkflows++;
        progress(BENCH, `workflow of request ${requestId}: ${status ? `answers booking ${status.booking?.id ?? 'none'}, not ${a.bookingId}` : 'no answer in 60 s'}`);
      }
    }
    progress(BENCH, `${verdict.bookings} active bookings judged: ${verdict.violations.length} violations; lost ${lost}, duplicates ${duplicates}, workflows not answering ${silentWorkflows}`);

    summary({
      bench: BENCH,
      server: 'temporal dev server (SQLite, one shard) + embedded PostgreSQL 17; API nodes and workers as separate processes',
      apiNodes: apis.length,
      workers: workers.length,
      requests: options.requests,
      concurrency: options.concurrency,
      bookingsPerSec: round(booked.length / seconds, 1),
      answersPerSec: round(answers.size / seconds, 1),
      placed: booked.length,
      refused: refusals,
      retriedAtAnotherNode: retried,
      unanswered,
      overlaps,
      refereeViolations: verdict.violations.length,
      lost,
      duplicates,
      workflowsNotAnswering: silentWorkflows,
      killed,
      ...environment(),
    });
  } catch (err) {
    for (const node of nodes) console.error(`--- pilotline ${node.command} (pid ${node.pid}) said:\n${node.output().slice(-4000)}`);
    throw err;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}
