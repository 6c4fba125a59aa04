import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualificationWorkflowId } from '../../src/domain/ids.js';
import { ensureQualificationTimers } from '../../src/runtime/qualification-timers.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aTool, aUser } from '../support/scenario.js';
import { connectTestClient, type TestClient } from '../support/temporal.js';

// At start, qualifications with an expiry ahead (the seed's) get their workflow; lapsed, revoked and
// open-ended ones get none, and a second start starts nothing new. No worker polls this task queue:
// what is checked is which workflows exist, not what they do (test/workflows/qualification.test.ts).

let database: TestDatabase;
let temporal: TestClient;
const taskQueue = `timers-${Date.now()}`;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await aTool(db, 'SEM-1', 'sem');
  await aTool(db, 'AFM-1', 'afm');
  await aUser(db, 'ann', 'uni-a');
  const year = new Date(Date.now() + 365 * 86_400_000);
  await db.qualification.createMany({
    data: [
      { userId: 'ann', toolTypeId: 'sem', grantedAt: new Date(), expiresAt: year },
      { userId: 'ann', toolId: 'SEM-1', grantedAt: new Date(), expiresAt: year, revokedAt: new Date(), revokedById: 'x' },
      { userId: 'ann', toolTypeId: 'afm', grantedAt: new Date(), expiresAt: new Date(Date.now() - 1_000), lapsedAt: new Date() },
      { userId: 'ann', toolId: 'AFM-1', grantedAt: new Date() },
    ],
  });
  temporal = await connectTestClient();
});

afterAll(async () => {
  await temporal?.client.workflow.getHandle(qualificationWorkflowId('ann', { toolTypeId: 'sem' })).terminate('test over').catch(() => undefined);
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

describe('ensureQualificationTimers', () => {
  it('starts one watching workflow per qualification with an expiry ahead, and none again on the next start', async () => {
    expect(await ensureQualificationTimers(database.db, temporal.client, { taskQueue })).toEqual({ timed: 1 });
    const handle = temporal.client.workflow.getHandle(qualificationWorkflowId('ann', { toolTypeId: 'sem' }));
    const first = await handle.describe();
    expect(first.status.name).toBe('RUNNING');
    expect(first.taskQueue).toBe(taskQueue);

    await ensureQualificationTimers(database.db, temporal.client, { taskQueue });
    expect((await handle.describe()).runId).toBe(first.runId);
    for (const scope of [{ toolId: 'SEM-1' }, { toolTypeId: 'afm' }, { toolId: 'AFM-1' }]) {
      await expect(temporal.client.workflow.getHandle(qualificationWorkflowId('ann', scope)).describe()).rejects.toThrow(/not found/i);
    }
  });
});
