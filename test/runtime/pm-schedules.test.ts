import { randomBytes } from 'node:crypto';
import { ScheduleNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import {
  describePmSchedule,
  ensurePmSchedules,
  pmScheduleId,
  setPmSchedulePaused,
} from '../../src/maintenance/pm-schedules.js';
import { reconcilePmSchedules } from '../../src/runtime/pm-plans.js';
import { seedCatalogue } from '../../src/seed/seed.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { connectTestClient, type TestClient } from '../support/temporal.js';

// At every start the seed's preventive-maintenance plans are put on their Temporal Schedules (the
// real dev server): what is missing is created, what ops set up is left as it is.

let database: TestDatabase;
let temporal: TestClient;
/** Schedules this file created on the shared dev server, deleted at the end. */
const ours: string[] = [];
const taskQueue = `pm-test-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  database = await createTestDatabase();
  temporal = await connectTestClient();
  await seedCatalogue(database.db, fixedClock(new Date('2026-11-23T02:00:00Z')));
});
afterAll(async () => {
  for (const id of ours)
    await temporal?.client.schedule
      .getHandle(id)
      .delete()
      .catch((err: unknown) => {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      });
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

async function planTools() {
  const plans = await database.db.maintenancePlan.findMany({ orderBy: { id: 'asc' } });
  const pairs: Array<{ planId: string; toolId: string }> = [];
  for (const plan of plans) {
    const tools = await database.db.tool.findMany({
      where: { toolTypeId: plan.toolTypeId ?? '' },
      orderBy: { id: 'asc' },
    });
    for (const tool of tools) pairs.push({ planId: plan.id, toolId: tool.id });
  }
  return pairs;
}

describe('reconcilePmSchedules', () => {
  it('puts every seeded plan on its schedules, leaves an existing one as ops left it, and creates nothing the second time', async () => {
    const { db } = database;
    const { client } = temporal;
    const pairs = await planTools();
    expect(new Set(pairs.map((p) => p.planId)).size).toBe(await db.maintenancePlan.count());
    const exists = async (p: { planId: string; toolId: string }) =>
      (await describePmSchedule(client, p.planId, p.toolId)) !== null;
    const before = new Set<string>();
    for (const p of pairs) if (await exists(p)) before.add(pmScheduleId(p.planId, p.toolId));

    // Ops scheduled one plan already, with its own lead time, and paused one tool's schedule
    // (a plan no other test file put on the shared dev server).
    const untouched = pairs.find((p) =>
      pairs.every((q) => q.planId !== p.planId || !before.has(pmScheduleId(q.planId, q.toolId))),
    );
    const opsPlan = await db.maintenancePlan.findUniqueOrThrow({ where: { id: untouched!.planId } });
    const opsTools = pairs.filter((p) => p.planId === opsPlan.id).map((p) => ({ toolId: p.toolId }));
    for (const id of await ensurePmSchedules(client, {
      plan: opsPlan,
      tools: opsTools,
      taskQueue,
      leadDays: 3,
    }))
      ours.push(pmScheduleId(opsPlan.id, id));
    await db.maintenancePlan.update({ where: { id: opsPlan.id }, data: { scheduleId: `pm-${opsPlan.id}` } });
    const pausedTool = opsTools[0]!.toolId;
    await setPmSchedulePaused(client, opsPlan.id, pausedTool, true, 'ops: chamber rebuild');
    expect(await db.maintenancePlan.count({ where: { scheduleId: null } })).toBe(
      (await db.maintenancePlan.count()) - 1,
    );

    const report = await reconcilePmSchedules(db, client, { taskQueue });
    const missing = pairs.filter(
      (p) => p.planId !== opsPlan.id && !before.has(pmScheduleId(p.planId, p.toolId)),
    );
    ours.push(...missing.map((p) => pmScheduleId(p.planId, p.toolId)));
    expect(report).toEqual({ plans: await db.maintenancePlan.count(), created: missing.length });
    expect(missing.length).toBeGreaterThan(0);

    expect(await db.maintenancePlan.count({ where: { scheduleId: null } })).toBe(0);
    for (const p of pairs) expect(await exists(p), pmScheduleId(p.planId, p.toolId)).toBe(true);
    const kept = await describePmSchedule(client, opsPlan.id, pausedTool);
    expect(kept).toMatchObject({ paused: true, note: 'ops: chamber rebuild' });
    const keptMemo = await client.schedule.getHandle(pmScheduleId(opsPlan.id, pausedTool)).describe();
    expect(keptMemo.memo).toEqual({ leadDays: 3 });

    expect(await reconcilePmSchedules(db, client, { taskQueue })).toEqual({
      plans: report.plans,
      created: 0,
    });
  }, 120_000);

  it('creates the schedules of a paused plan paused', async () => {
    const { db } = database;
    const { client } = temporal;
    await db.maintenancePlan.create({
      data: { id: 'pm-test-paused', toolId: 'SEM-1', everyDays: 30, durationMin: 240, paused: true },
    });
    const report = await reconcilePmSchedules(db, client, { taskQueue });
    ours.push(pmScheduleId('pm-test-paused', 'SEM-1'));
    expect(report.created).toBe(1);
    expect(await describePmSchedule(client, 'pm-test-paused', 'SEM-1')).toMatchObject({ paused: true });
  });
});
