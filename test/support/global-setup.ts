import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/runtime/database/embedded.js';
import { createConsoleLog } from '../../src/runtime/log.js';
import { findTemporalCli } from '../../src/runtime/temporal/cli.js';
import { startDevServer } from '../../src/runtime/temporal/dev-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server where each test file creates its own database. */
    databaseAdminUrl: string;
    /** Whether that server is the embedded one (else DATABASE_URL's). */
    databaseEmbedded: boolean;
    temporalAddress: string;
  }
}

/** One PostgreSQL server and one Temporal dev server for the whole run, shared by the test files. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = createConsoleLog('warn');
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'pilotline-test-'));
  // Run as root, the embedded server runs as the `postgres` user, which must reach its folder.
  await chmod(scratch, 0o755);
  const stops: Array<() => Promise<void>> = [];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  };

  try {
    const external = process.env.DATABASE_URL?.trim();
    if (external) {
      project.provide('databaseAdminUrl', external);
      project.provide('databaseEmbedded', false);
    } else {
      const pg = await startEmbeddedPostgres({ dir: path.join(scratch, 'postgres'), log, durable: false });
      stops.push(pg.stop);
      project.provide('databaseAdminUrl', pg.adminUrl);
      project.provide('databaseEmbedded', true);
    }

    const cli = await findTemporalCli({
      configuredPath: process.env.TEMPORAL_CLI_PATH?.trim() || undefined,
      pathEnv: process.env.PATH,
      log: createConsoleLog('info'),
    });
    if (cli.kind !== 'existing') throw new Error('Tests need a temporal CLI (TEMPORAL_CLI_PATH, PATH or Go to build one)');
    const temporal = await startDevServer({
      cliPath: cli.path,
      dbFile: path.join(scratch, 'temporal.sqlite'),
      namespace: 'default',
      uiPort: false,
      log,
    });
    stops.push(temporal.stop);
    project.provide('temporalAddress', temporal.address);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
