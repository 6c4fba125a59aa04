import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { issueStatement } from '../../src/billing/adjust.js';
import type { MonthCloseReport } from '../../src/domain/statement.js';
import { ensureMonthCloseSchedule } from '../../src/schedules/month-close.js';
import { steerableClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { keepHistory } from '../support/histories.js';
import { aBooking, aProject, aRate, aTool, aUser, type TestUser } from '../support/scenario.js';
import { connectTestClient, startTestWorker, type TestClient, type TestWorker } from '../support/temporal.js';

// The month-close Schedule against the real dev server and PostgreSQL: a firing drafts the
// statements of the Hong Kong month just ended; a second firing re-drafts the drafts (new lines
// included) and leaves an issued statement exactly as it was.

const clock = steerableClock();
let database: TestDatabase;
let worker: TestWorker;
let temporal: TestClient;
let ann: TestUser;
let mia: TestUser;
let project: string;

beforeAll(async () => {
  clock.jumpTo(new Date('2035-04-01T00:00:00Z')); // 08:00 on 1 April in Hong Kong
  database = await createTestDatabase();
  const { db } = database;
  await aTool(db, 'SEM-1', 'sem');
  await aRate(db, 'sem', 'university', 60_000);
  ann = await aUser(db, 'ann', 'uni-a', 'tenant_user', ['sem']);
  mia = await aUser(db, 'mia', 'institute', 'lab_manager');
  project = (await aProject(db, 'uni-a', 'UA-1', ['ann'])).id;
  worker = await startTestWorker(createActivities({ db, clock }));
  temporal = await connectTestClient();
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

/** A used hour in March (Hong Kong), as check-out writes it. */
async function usedHour(startsAt: string, projectId: string | null) {
  const start = new Date(startsAt);
  const end = new Date(start.getTime() + 3_600_000);
  const booking = await aBooking(database.db, ann.actor, 'SEM-1', start, { endsAt: end, state: 'completed', checkedInAt: start, checkedOutAt: end, projectId });
  await database.db.usageLine.create({
    data: { bookingId: booking.id, tenantId: 'uni-a', toolId: 'SEM-1', projectId, kind: 'use', chargedAt: end, month: '2035-03', minutes: 60, rateCents: 60_000, amountCents: 60_000, currency: 'HKD' },
  });
}

/** Fires the Schedule now and waits for that firing's workflow to finish. */
async function fire(client: Client, scheduleId: string, firings: number) {
  const schedule = client.schedule.getHandle(scheduleId);
  await schedule.trigger();
  for (;;) {
    const actions = (await schedule.describe()).info.recentActions;
    if (actions.length >= firings) {
      const handle = client.workflow.getHandle(actions.at(-1)!.action.workflow.workflowId);
      return { handle, report: (await handle.result()) as MonthCloseReport };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('monthCloseWorkflow on its Schedule', () => {
  it('drafts the month just ended, and on a second firing re-drafts drafts but never an issued statement', async () => {
    const { client } = temporal;
    await usedHour('2035-03-10T02:00:00Z', project);
    await usedHour('2035-03-31T14:00:00Z', project); // out at 23:00 on 31 March in Hong Kong: still March
    const scheduleId = `test-month-close-${randomBytes(4).toString('hex')}`;
    expect(await ensureMonthCloseSchedule(client, { taskQueue: worker.taskQueue, scheduleId })).toBe(true);
    expect(await ensureMonthCloseSchedule(client, { taskQueue: worker.taskQueue, scheduleId })).toBe(false);
    try {
      const spec = (await client.schedule.getHandle(scheduleId).describe()).spec;
      expect(spec.timezone).toBe('Asia/Hong_Kong');

      const first = await fire(client, scheduleId, 1);
      expect(first.report).toEqual({ month: '2035-03', statements: 1, lines: 2 });
      const [drafted] = await database.db.statement.findMany();
      expect(drafted).toMatchObject({ tenantId: 'uni-a', projectId: project, month: '2035-03', state: 'draft', usageCents: 120_000, totalCents: 120_000, lineCount: 2 });

      const issued = await issueStatement(database.db, { statementId: drafted!.id, actor: mia.actor, now: clock.now() });
      const issuedRow = await database.db.statement.findUniqueOrThrow({ where: { id: issued.id } });
      // A March line with no project arrives before the second firing.
      await usedHour('2035-03-20T02:00:00Z', null);

      const second = await fire(client, scheduleId, 2);
      expect(second.report).toEqual({ month: '2035-03', statements: 1, lines: 1 });
      const rows = await database.db.statement.findMany({ orderBy: { state: 'asc' } });
      expect(rows).toHaveLength(2);
      expect(rows.find((s) => s.id === issued.id)).toEqual(issuedRow);
      expect(rows.find((s) => s.id !== issued.id)).toMatchObject({ projectId: null, month: '2035-03', state: 'draft', totalCents: 60_000 });
      await keepHistory('month-close', second.handle);
    } finally {
      await client.schedule.getHandle(scheduleId).delete();
    }
  });
});
