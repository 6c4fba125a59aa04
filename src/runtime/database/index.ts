import pg from 'pg';
import path from 'node:path';
import type { Config } from '../config.js';
import { redactUrl } from '../config.js';
import type { Log } from '../log.js';
import { startEmbeddedPostgres } from './embedded.js';

export interface DatabaseServer {
  url: string;
  /** Stops the embedded server; a no-op for an external DATABASE_URL. */
  stop(): Promise<void>;
  embedded: boolean;
}

const embeddedDatabaseName = 'pilotline';

/**
 * The configured PostgreSQL server, or an embedded one in the data dir when none is configured.
 * `shareRunning`: use the embedded server a running Pilotline has on the data dir (short commands).
 */
export async function openDatabaseServer(config: Config, log: Log, options: { shareRunning?: boolean } = {}): Promise<DatabaseServer> {
  if (config.databaseUrl) {
    log.info(`database: using ${redactUrl(config.databaseUrl)}`);
    return { url: config.databaseUrl, stop: async () => undefined, embedded: false };
  }
  const server = await startEmbeddedPostgres({ dir: path.join(config.dataDir, 'postgres'), log, shareRunning: options.shareRunning ?? false });
  try {
    await ensureDatabase(server.adminUrl, embeddedDatabaseName);
  } catch (err) {
    await server.stop();
    throw err;
  }
  log.info(`database: embedded PostgreSQL at ${redactUrl(server.urlFor(embeddedDatabaseName))}`);
  return { url: server.urlFor(embeddedDatabaseName), stop: () => server.stop(), embedded: true };
}

/** Creates `name` on the server unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
