import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createActivities } from '../../activities/index.js';
import { ensureAdminCanSignIn, type FirstAdminLink } from '../accounts/first-admin.js';
import { sweepExpiredSessions } from '../accounts/sessions.js';
import type { NodePart, NodeState } from '../api/deps.js';
import { buildApiServer, buildHealthServer } from '../api/server.js';
import type { Clock } from '../clock.js';
import { PilotlineError } from '../errors.js';
import { seedCatalogue } from '../seed/seed.js';
import type { Config } from './config.js';
import { openDatabaseServer } from './database/index.js';
import { migrate } from './database/migrate.js';
import type { Db } from '../data/db.js';
import { createPrismaClient } from './database/prisma.js';
import type { Log } from './log.js';
import { connectClient } from './temporal/client.js';
import { findTemporalCli } from './temporal/cli.js';
import { startDevServer } from './temporal/dev-server.js';
import { createWorker, installTemporalRuntime } from './temporal/worker.js';
import { wakeWaitListDispatcher } from './temporal/wait-list.js';
import { reconcilePmSchedules } from './pm-plans.js';
import { ensureMailDeliverySchedule } from '../schedules/mail-delivery.js';
import { ensureRoundSchedule } from '../schedules/round-opening.js';
// usage statements (issue 14)
import { ensureMonthCloseSchedule } from '../schedules/month-close.js';
import { ensureQualificationTimers } from './qualification-timers.js';
import { mailDeps } from './mail.js';
import { checkPortFree, startFailure, type Part } from './start-failure.js';

export interface Running {
  url: string;
  stop(): Promise<void>;
}

/** Stops what was started, newest first, even when one stop fails. */
class Stack {
  private readonly stops: Array<{ name: string; stop: () => Promise<unknown> }> = [];
  push(name: string, stop: () => Promise<unknown>) {
    this.stops.push({ name, stop });
  }
  async unwind(log: Log) {
    while (this.stops.length) {
      const { name, stop } = this.stops.pop()!;
      await stop().catch((err: unknown) => log.error(`stop ${name}: ${(err as Error).message}`));
    }
  }
}

/** Runs one part's start; whatever it throws becomes one sentence naming the part and the remedy. */
async function starting<T>(part: Part, config: Config, log: Log, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    log.debug(`${part}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    throw startFailure(part, err, config);
  }
}

/**
 * The database (embedded unless DATABASE_URL), migrated; the Prisma client over it.
 * `shareRunning`: short commands use the embedded server of a Pilotline running on the same data dir.
 */
export async function openDatabase(config: Config, log: Log, stack: Stack, options: { shareRunning?: boolean } = {}): Promise<Db> {
  return starting('database', config, log, async () => {
    const server = await openDatabaseServer(config, log, options);
    stack.push('database server', server.stop);
    await migrate(server.url, log);
    const db = createPrismaClient(server.url, { poolSize: config.databasePoolSize });
    stack.push('database client', () => db.$disconnect());
    return db;
  });
}

/** A running Temporal: TEMPORAL_ADDRESS, or a dev server started here with its data in the data dir. */
async function openTemporal(config: Config, log: Log, stack: Stack): Promise<{ address: string; uiUrl?: string }> {
  if (config.temporal.address) return { address: config.temporal.address };
  const cli = await findTemporalCli({ configuredPath: config.temporal.cliPath, pathEnv: process.env.PATH, log });
  const dbFile = path.join(config.dataDir, 'temporal', 'temporal.sqlite');
  if (cli.kind === 'sdk-download') {
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const env = await TestWorkflowEnvironment.createLocal({
      server: { dbFilename: dbFile, namespace: config.temporal.namespace, ui: true },
    });
    stack.push('temporal dev server', () => env.teardown());
    return { address: env.address };
  }
  log.info('temporal: starting the dev server');
  const server = await startDevServer({
    cliPath: cli.path,
    dbFile,
    namespace: config.temporal.namespace,
    log,
    ...(config.temporal.uiPort ? { uiPort: config.temporal.uiPort } : {}),
  });
  stack.push('temporal dev server', server.stop);
  return { address: server.address, ...(server.uiUrl ? { uiUrl: server.uiUrl } : {}) };
}

/** The first administrator's one-time link, on the console (at warn: a quiet LOG_LEVEL still shows it). */
export function printFirstAdminLink(log: Log, link: FirstAdminLink): void {
  log.warn(
    `\nNo administrator can sign in yet. Open this link to set the password of ${link.email} ` +
      `(once, before ${link.expiresAt.toISOString()}):\n\n  ${link.url}\n`,
  );
}

/** Everything in one process: database (embedded unless DATABASE_URL), Temporal, worker, HTTP API. */
export function startPilotline(config: Config, log: Log, clock: Clock): Promise<Running> {
  return startNode(config, log, clock, ['api', 'worker']);
}

/** The HTTP API alone, for production behind a load balancer: DATABASE_URL and TEMPORAL_ADDRESS must be set. */
export function startApiOnly(config: Config, log: Log, clock: Clock): Promise<Running> {
  return startNode(config, log, clock, ['api']);
}

/** A worker alone, for production: DATABASE_URL and TEMPORAL_ADDRESS must be set. Serves /healthz on PORT. */
export function startWorkerOnly(config: Config, log: Log, clock: Clock): Promise<Running> {
  return startNode(config, log, clock, ['worker']);
}

/**
 * One Pilotline process running `parts`. Any number of API and worker processes share one Temporal
 * and one PostgreSQL; `pilotline start` (both parts) may start those itself. Stopping drains it:
 * health says `draining`, the HTTP server takes no new connection and waits for the requests in
 * flight (up to HTTP_DRAIN_SECONDS), then the worker finishes its tasks and stops.
 */
async function startNode(config: Config, log: Log, clock: Clock, parts: readonly NodePart[]): Promise<Running> {
  const api = parts.includes('api');
  const everything = api && parts.includes('worker');
  if (!everything && (!config.databaseUrl || !config.temporal.address)) {
    throw new PilotlineError(
      'CONFIG_INVALID',
      `pilotline ${parts[0]} needs DATABASE_URL and TEMPORAL_ADDRESS; set both, or use \`pilotline start\` for everything in one process.`,
    );
  }
  const node: NodeState = { parts, draining: false };
  const stack = new Stack();
  try {
    await checkPortFree(config);
    const db = await openDatabase(config, log, stack);
    await starting('database', config, log, async () => {
      if (everything && (await db.tool.count()) === 0) {
        log.info('seed: an empty database; writing the pilot line catalogue');
        await seedCatalogue(db, clock);
      }
      if (api) await sweepExpiredSessions(db, clock.now());
    });
    const firstAdmin = api ? await ensureAdminCanSignIn(db, clock.now(), config.auth.publicUrl) : null;
    const { temporal, client } = await starting('temporal', config, log, async () => {
      const temporal = everything ? await openTemporal(config, log, stack) : { address: config.temporal.address! };
      const { client, close } = await connectClient(temporal.address, config.temporal.namespace);
      stack.push('temporal client', close);
      return { temporal, client };
    });

    if (parts.includes('worker')) {
      await starting('worker', config, log, async () => {
        installTemporalRuntime('WARN');
        log.info('worker: bundling workflows and starting');
        const worker = await createWorker({
          address: temporal.address,
          namespace: config.temporal.namespace,
          taskQueue: config.temporal.taskQueue,
          activities: createActivities({ db, clock, mail: mailDeps(config, clock, log) }),
          limits: config.worker,
        });
        const workerRun = worker.run();
        node.workerRunning = () => worker.worker.getState() === 'RUNNING';
        // Polls no more, finishes the tasks it holds (activities get WORKER_SHUTDOWN_GRACE_SECONDS).
        stack.push('worker', () => worker.shutdown());
        workerRun.catch((err: unknown) => log.error(`worker stopped: ${(err as Error).message}`));
        // At every worker start: freed time whose announcement died with its sender is drained now.
        await wakeWaitListDispatcher(client, config.temporal.taskQueue);
      });
    }

    if (api) {
      await starting('maintenance schedules', config, log, async () => {
        const report = await reconcilePmSchedules(db, client, { taskQueue: config.temporal.taskQueue });
        if (report.created) log.info(`maintenance: ${report.created} preventive-maintenance schedules created; all ${report.plans} plans are live`);
        if (await ensureMailDeliverySchedule(client, { taskQueue: config.temporal.taskQueue })) log.info('mail: the delivery schedule is created');
      });

      await starting('allocation rounds', config, log, async () => {
        if (await ensureRoundSchedule(client, { taskQueue: config.temporal.taskQueue })) log.info('allocation rounds: the weekly Schedule that opens them is created');
      });

      // usage statements (issue 14)
      await starting('statements', config, log, async () => {
        if (await ensureMonthCloseSchedule(client, { taskQueue: config.temporal.taskQueue })) log.info('statements: the monthly Schedule that drafts them is created');
      });

      // In the background: the API answers meanwhile; a stop ends it (the next start does the rest).
      const stopWatching = new AbortController();
      const watching = ensureQualificationTimers(db, client, { taskQueue: config.temporal.taskQueue, signal: stopWatching.signal }).then(
        (report) => report.timed && log.info(`qualifications: ${report.timed} expiries timed (reminder, then lapse)`),
        (err: unknown) => log.warn(`qualifications: could not time every expiry: ${(err as Error).message}`),
      );
      stack.push('qualification timers', () => {
        stopWatching.abort();
        return watching;
      });
    }

    await starting('http', config, log, async () => {
      const deps = {
        db,
        clock,
        node,
        temporal: { client, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue },
        publicUrl: config.publicUrl,
      };
      const logLevel = config.logLevel === 'info' ? 'warn' : config.logLevel;
      const http = api ? buildApiServer(deps, { logLevel, auth: config.auth }) : buildHealthServer(deps, { logLevel });
      await http.listen({ host: config.http.host, port: config.http.port });
      stack.push('http', () => drainHttp(http, config.http.drainMs, log));
    });

    const url = `http://${config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host}:${config.http.port}`;
    if (temporal.uiUrl) log.info(`Temporal UI: ${temporal.uiUrl}`);
    if (firstAdmin) printFirstAdminLink(log, firstAdmin);
    if (api) log.info(`Pilotline is running at ${url}  (health: ${url}/healthz, API: ${url}/openapi.json)`);
    if (!api) log.info(`worker: polling ${config.temporal.taskQueue} on ${temporal.address}  (health: ${url}/healthz)`);
    return {
      url,
      stop: async () => {
        node.draining = true;
        await stack.unwind(log);
      },
    };
  } catch (err) {
    await stack.unwind(log);
    throw err;
  }
}

/**
 * Stops taking connections and lets the requests in flight finish; after `drainMs` the ones still
 * open are cut. Requests arriving on a kept-alive connection meanwhile get 503 (Fastify's
 * return503OnClosing): a load balancer sends them to another node.
 */
async function drainHttp(http: FastifyInstance, drainMs: number, log: Log): Promise<void> {
  const cut = setTimeout(() => {
    log.warn(`http: requests still open after ${drainMs / 1000} s; closing their connections`);
    http.server.closeAllConnections();
  }, drainMs);
  // A connection whose request has been answered is kept alive by the client: close it as soon as
  // it is idle, or the drain would wait for the keep-alive timeout rather than for the requests.
  const closeIdle = setInterval(() => http.server.closeIdleConnections(), 100);
  try {
    await http.close();
  } finally {
    clearTimeout(cut);
    clearInterval(closeIdle);
  }
}

/**
 * Runs `work` against the database: the embedded server a running Pilotline has on the data dir,
 * else one started for the time of `work`.
 */
export async function withDatabase<T>(config: Config, log: Log, work: (db: Db) => Promise<T>): Promise<T> {
  const stack = new Stack();
  try {
    return await work(await openDatabase(config, log, stack, { shareRunning: true }));
  } finally {
    await stack.unwind(log);
  }
}
