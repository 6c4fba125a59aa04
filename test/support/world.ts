import type { Client } from '@temporalio/client';
import { createActivities } from '../../activities/index.js';
import type { ApiDeps } from '../../src/api/deps.js';
import { pmScheduleId } from '../../src/maintenance/pm-schedules.js';
import type { MailDeps } from '../../activities/deps.js';
import type { Db } from '../../src/data/db.js';
import { startTestApi, type TestApi } from './api.js';
import { steerableClock } from './clock.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { connectTestClient, startTestWorker, type TestClient, type TestWorker } from './temporal.js';

export interface ApiWorld extends AsyncDisposable {
  clock: ReturnType<typeof steerableClock>;
  database: TestDatabase;
  db: Db;
  /** Absent when the test asked for none (its requests never reach a workflow). */
  worker: TestWorker | undefined;
  temporal: TestClient;
  api: TestApi;
}

/**
 * A fresh database built by `build`, a real worker (unless `worker: false`: bundling workflows takes
 * seconds) and the real HTTP API on it, the clock at `now`; everything stopped on dispose.
 */
export async function startApiWorld(
  now: Date,
  build: (db: Db) => Promise<void>,
  options: {
    lotPlanTimeLimitMs?: number;
    worker?: boolean;
    timing?: ApiDeps['timing'];
    mail?: (clock: ReturnType<typeof steerableClock>) => MailDeps;
  } = {},
): Promise<ApiWorld> {
  const clock = steerableClock();
  clock.jumpTo(now);
  const database = await createTestDatabase();
  const { db } = database;
  await build(db);
  const { worker: wanted = true, timing, mail, ...activityOptions } = options;
  const worker = wanted ? await startTestWorker(createActivities({ db, clock, ...activityOptions, ...(mail ? { mail: mail(clock) } : {}) })) : undefined;
  const temporal = await connectTestClient();
  const taskQueue = worker?.taskQueue ?? 'no-worker';
  const api = await startTestApi({ db, clock, temporal: { client: temporal.client, namespace: 'default', taskQueue }, ...(timing ? { timing } : {}) });
  return {
    clock,
    database,
    db,
    worker,
    temporal,
    api,
    async [Symbol.asyncDispose]() {
      await api[Symbol.asyncDispose]();
      await deletePmSchedules(db, temporal.client);
      await worker?.stop();
      await temporal[Symbol.asyncDispose]();
      await database[Symbol.asyncDispose]();
    },
  };
}

/** The dev server is shared by every test file: the Temporal Schedules of this database's plans go with it. */
async function deletePmSchedules(db: Db, client: Client): Promise<void> {
  const plans = await db.maintenancePlan.findMany({ select: { id: true, toolId: true, toolTypeId: true } });
  for (const plan of plans) {
    const tools = await db.tool.findMany({ where: plan.toolId ? { id: plan.toolId } : { toolTypeId: plan.toolTypeId ?? '' }, select: { id: true } });
    for (const tool of tools) await client.schedule.getHandle(pmScheduleId(plan.id, tool.id)).delete().catch(() => undefined);
  }
}
