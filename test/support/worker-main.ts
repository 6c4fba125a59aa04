// A Pilotline worker alone in a process, for tests that SIGKILL it: createWorker + createActivities
// against a test database and the shared dev server, on a prebuilt workflow bundle (no webpack
// per start). Run by test/support/worker-process.ts with its options as one JSON argument.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { createActivities } from '../../activities/index.js';
import { systemClock } from '../../src/clock.js';
import { createPrismaClient } from '../../src/runtime/database/prisma.js';
import { createWorker, installTemporalRuntime } from '../../src/runtime/temporal/worker.js';

const options = z
  .object({ databaseUrl: z.url(), temporalAddress: z.string().min(1), taskQueue: z.string().min(1), bundlePath: z.string().min(1) })
  .parse(JSON.parse(process.argv[2] ?? '{}'));

installTemporalRuntime('ERROR');
const db = createPrismaClient(options.databaseUrl, { poolSize: 5 });
const worker = await createWorker({
  address: options.temporalAddress,
  namespace: 'default',
  taskQueue: options.taskQueue,
  activities: createActivities({ db, clock: systemClock }),
  workflowBundle: { code: await readFile(options.bundlePath, 'utf8'), sourceMap: '' },
});
const running = worker.run();
process.stdout.write(`worker ready: pid ${process.pid} on ${options.taskQueue}\n`);
await running;
await db.$disconnect();
