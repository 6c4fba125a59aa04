import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/runtime/database/embedded.js';
import { createConsoleLog } from '../../src/runtime/log.js';
import { findTemporalCli } from '../../src/runtime/temporal/cli.js';
import { startDevServer } from '../../src/runtime/temporal/dev-server.js';
import { bundleWorkflows } from '../../src/runtime/temporal/worker.js';
import { integrationSlots } from './slots.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server where each test file creates its own database. */
    databaseAdminUrl: string;
    /** Whether that server is the embedded one (else DATABASE_URL's). */
    databaseEmbedded: boolean;
    /** One Temporal dev server per concurrent test file (see `temporalAddress()`). */
    temporalAddresses: string[];
    /** The workflows bundled once for the whole run (webpack takes seconds per bundle). */
    workflowBundlePath: string;
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
    // Files run two at a time; each slot gets its own server, so workflow ids and Schedules that
    // tests fix (a round's week, a person's qualification) never meet another file's.
    const servers = await Promise.all(
      Array.from({ length: integrationSlots }, (_, slot) =>
        startDevServer({ cliPath: cli.path, dbFile: path.join(scratch, `temporal-${slot + 1}.sqlite`), namespace: 'default', uiPort: false, log }),
      ),
    );
    for (const server of servers) stops.push(server.stop);
    project.provide('temporalAddresses', servers.map((server) => server.address));
    const bundle = await bundleWorkflows();
    const bundlePath = path.join(scratch, 'workflows.js');
    await writeFile(bundlePath, bundle.code);
    project.provide('workflowBundlePath', bundlePath);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
