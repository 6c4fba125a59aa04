import { createActivities } from '../../activities/index.js';
import type { Db } from '../../src/data/db.js';
import { startTestApi, type TestApi } from './api.js';
import { steerableClock } from './clock.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { connectTestClient, startTestWorker, type TestClient, type TestWorker } from './temporal.js';

export interface ApiWorld extends AsyncDisposable {
  clock: ReturnType<typeof steerableClock>;
  database: TestDatabase;
  db: Db;
  worker: TestWorker;
  temporal: TestClient;
  api: TestApi;
}

/**
 * A fresh database built by `build`, a real worker and the real HTTP API on it, the clock at `now`;
 * everything stopped on dispose.
 */
export async function startApiWorld(now: Date, build: (db: Db) => Promise<void>, activityOptions: { lotPlanTimeLimitMs?: number } = {}): Promise<ApiWorld> {
  const clock = steerableClock();
  clock.jumpTo(now);
  const database = await createTestDatabase();
  const { db } = database;
  await build(db);
  const worker = await startTestWorker(createActivities({ db, clock, ...activityOptions }));
  const temporal = await connectTestClient();
  const api = await startTestApi({ db, clock, temporal: { client: temporal.client, namespace: 'default', taskQueue: worker.taskQueue } });
  return {
    clock,
    database,
    db,
    worker,
    temporal,
    api,
    async [Symbol.asyncDispose]() {
      await api[Symbol.asyncDispose]();
      await worker.stop();
      await temporal[Symbol.asyncDispose]();
      await database[Symbol.asyncDispose]();
    },
  };
}
