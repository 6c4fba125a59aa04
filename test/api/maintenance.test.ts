import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { steerableClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { aPolicy, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { connectTestClient, startTestWorker, type TestClient, type TestWorker } from '../support/temporal.js';

const clock = steerableClock();
let database: TestDatabase;
let worker: TestWorker;
let temporal: TestClient;
let api: TestApi;
let tina: TestUser;
let otto: TestUser;
let mona: TestUser;

beforeAll(async () => {
  clock.jumpTo(new Date('2033-05-01T00:00:00Z'));
  database = await createTestDatabase();
  const { db } = database;
  await aTool(db, 'ICP-1', 'icp');
  await aTool(db, 'ICP-2', 'icp');
  await aTool(db, 'XRD-1', 'xrd');
  await aPolicy(db, 'icp', { minDurationMin: 30 });
  await aPolicy(db, 'xrd', { minDurationMin: 15 });
  await db.maintenancePlan.create({ data: { id: 'pm-icp', toolTypeId: 'icp', everyDays: 14, durationMin: 480 } });
  tina = await aUser(db, 'tina', 'uni-t', 'tenant_user', ['icp', 'xrd']);
  otto = await aUser(db, 'otto', 'institute', 'ops');
  mona = await aUser(db, 'mona', 'institute', 'lab_manager');
  worker = await startTestWorker(createActivities({ db, clock }));
  temporal = await connectTestClient();
  api = await startTestApi({ db, clock, temporal: { client: temporal.client, namespace: 'default', taskQueue: worker.taskQueue } });
});

/** Waits for a state the workflows reach on their own (a signal, a Schedule firing), with room for a busy machine. */
const settles = { timeout: 30_000, interval: 100 };

afterAll(async () => {
  await api?.[Symbol.asyncDispose]();
  await worker?.stop();
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

async function book(toolId: string, startsAt: string, minutes: number, latestEnd: string) {
  const response = await api.call('POST', '/api/bookings', {
    token: tina.token,
    body: { requestId: newRequestId(), toolIds: [toolId], durationMin: minutes, earliestStart: startsAt, latestEnd, material: 'SiC', waferSize: 150 },
  });
  expect(response.statusCode).toBe(201);
  return response.json().booking as { id: string; startsAt: string; state: string };
}

describe('maintenance through the API', () => {
  it('previews, then applies on confirm; only ops may plan; a tenant may decline the move', async () => {
    const booking = await book('ICP-1', '2033-05-02T02:00:00Z', 60, '2033-05-02T10:00:00Z');
    const unmoved = await book('ICP-1', '2033-05-02T12:00:00Z', 60, '2033-05-02T20:00:00Z');
    const rescheduled = await book('ICP-1', '2033-05-02T01:00:00Z', 60, '2033-05-02T10:00:00Z');
    const plan = { requestId: newRequestId(), toolIds: ['ICP-1'], startsAt: '2033-05-02T01:00:00Z', endsAt: '2033-05-02T04:00:00Z', reason: 'chamber clean' };

    expect((await api.call('POST', '/api/maintenance', { token: tina.token, body: plan })).statusCode).toBe(403);
    expect((await api.call('POST', '/api/maintenance', { token: mona.token, body: plan })).statusCode).toBe(403);
    const before = await database.db.maintenance.count();
    const bad = await api.call('POST', '/api/maintenance', { token: otto.token, body: { ...plan, toolIds: [], endsAt: 'soon' } });
    expect(bad.statusCode).toBe(422);
    expect([...new Set(bad.json().issues.map((i: { field: string }) => i.field))].sort()).toEqual(['body.endsAt', 'body.toolIds']);
    expect(await database.db.maintenance.count()).toBe(before);

    const proposed = await api.call('POST', '/api/maintenance', { token: otto.token, body: plan });
    expect(proposed.statusCode).toBe(201);
    const { maintenance, impact } = proposed.json();
    expect(maintenance.state).toBe('proposed');
    expect(impact.moves.map((m: { bookingId: string }) => m.bookingId).sort()).toEqual([booking.id, rescheduled.id].sort());
    // A retry of the same plan finds the same maintenance.
    expect((await api.call('POST', '/api/maintenance', { token: otto.token, body: plan })).json().maintenance.id).toBe(maintenance.id);

    const confirmed = await api.call('POST', `/api/maintenance/${maintenance.id}/confirm`, { token: otto.token, body: {} });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().maintenance.state).toBe('scheduled');
    const moved = (await api.call('GET', `/api/bookings/${booking.id}`, { token: tina.token })).json();
    expect(Date.parse(moved.startsAt)).toBeGreaterThanOrEqual(Date.parse('2033-05-02T04:00:00Z'));
    expect(moved.movedByMaintenance).toBe(true);
    // Nothing moved the other booking: neither its tenant nor staff may "decline" it.
    expect((await api.call('GET', `/api/bookings/${unmoved.id}`, { token: tina.token })).json().movedByMaintenance).toBe(false);
    for (const token of [tina.token, otto.token]) {
      const refused = await api.call('POST', `/api/bookings/${unmoved.id}/decline-move`, { token });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('FORBIDDEN');
    }
    expect((await api.call('GET', `/api/bookings/${unmoved.id}`, { token: tina.token })).json().state).toBe(unmoved.state);
    // A slot the tenant then chooses replaces maintenance's: nothing is left to decline.
    const wish = { toolIds: ['ICP-1'], durationMin: 60, earliestStart: '2033-05-02T14:00:00Z', latestEnd: '2033-05-02T20:00:00Z' };
    const chosen = await api.call('POST', `/api/bookings/${rescheduled.id}/reschedule`, { token: tina.token, body: wish });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json().movedByMaintenance).toBe(false);
    expect((await api.call('POST', `/api/bookings/${rescheduled.id}/decline-move`, { token: tina.token })).statusCode).toBe(403);

    const listed = (await api.call('GET', '/api/maintenance?tool=ICP-1', { token: tina.token })).json().maintenance;
    expect(listed.map((m: { id: string }) => m.id)).toContain(maintenance.id);
    const schedule = (await api.call('GET', '/api/schedule?from=2033-05-02T00:00:00Z&to=2033-05-03T00:00:00Z', { token: tina.token })).json();
    expect(schedule.tools.find((t: { id: string }) => t.id === 'ICP-1').blocks).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'maintenance', maintenanceId: maintenance.id })]),
    );

    // The booking workflow has heard of the move (a Signal): then the tenant may decline it.
    const declined = await vi.waitFor(async () => {
      const response = await api.call('POST', `/api/bookings/${booking.id}/decline-move`, { token: tina.token });
      expect(response.statusCode).toBe(200);
      return response;
    }, settles);
    expect(declined.json()).toMatchObject({ state: 'cancelled', lateCancel: false });
    expect((await api.call('POST', `/api/maintenance/${maintenance.id}/cancel`, { token: otto.token, body: { note: 'postponed' } })).json().maintenance.state).toBe('cancelled');
  });

  it('takes a tool down at once on an outage report and lets ops update the estimate', async () => {
    clock.jumpTo(new Date('2033-05-03T01:00:00Z'));
    const later = await book('XRD-1', '2033-05-03T02:00:00Z', 30, '2033-05-03T09:00:00Z');
    expect((await api.call('POST', '/api/tools/XRD-1/outage', { token: tina.token, body: { estimatedEnd: '2033-05-03T03:00:00Z', reason: 'x' } })).statusCode).toBe(403);
    const past = await api.call('POST', '/api/tools/XRD-1/outage', { token: otto.token, body: { estimatedEnd: '2033-05-03T00:00:00Z', reason: 'x' } });
    expect(past.statusCode).toBe(422);
    expect((await api.call('POST', '/api/tools/NOPE/outage', { token: otto.token, body: { estimatedEnd: '2033-05-03T03:00:00Z', reason: 'x' } })).statusCode).toBe(404);

    const outage = await api.call('POST', '/api/tools/XRD-1/outage', {
      token: otto.token,
      body: { estimatedEnd: '2033-05-03T03:00:00Z', reason: 'X-ray tube failure' },
    });
    expect(outage.statusCode).toBe(201);
    const { maintenance, impact } = outage.json();
    expect(maintenance).toMatchObject({ kind: 'outage', state: 'in_progress' });
    expect(impact.moves).toEqual([expect.objectContaining({ bookingId: later.id })]);
    const tool = await vi.waitFor(async () => {
      const xrd = (await api.call('GET', '/api/tools?type=xrd', { token: tina.token })).json().tools[0];
      expect(xrd.status).toBe('down');
      return xrd;
    }, settles);
    expect(tool).toMatchObject({ status: 'down', currentMaintenance: { maintenanceId: maintenance.id, kind: 'outage' } });

    const slipped = await api.call('POST', `/api/maintenance/${maintenance.id}/extend`, { token: otto.token, body: { endsAt: '2033-05-03T05:00:00Z' } });
    expect(slipped.json().maintenance.endsAt).toBe('2033-05-03T05:00:00.000Z');
    const moved = (await api.call('GET', `/api/bookings/${later.id}`, { token: tina.token })).json();
    expect(Date.parse(moved.startsAt)).toBeGreaterThanOrEqual(Date.parse('2033-05-03T05:00:00Z'));
    const done = await api.call('POST', `/api/maintenance/${maintenance.id}/complete`, { token: otto.token, body: {} });
    expect(done.json().maintenance.state).toBe('completed');
  });

  it('runs recurring PM through Temporal Schedules: create, skip one, pause, and each firing books a window', async () => {
    expect((await api.call('POST', '/api/maintenance/plans/pm-icp/schedule', { token: mona.token, body: {} })).statusCode).toBe(403);
    const created = await api.call('POST', '/api/maintenance/plans/pm-icp/schedule', { token: otto.token, body: { leadDays: 7 } });
    expect(created.statusCode).toBe(200);
    const plan = created.json();
    expect(plan.schedules.map((s: { toolId: string }) => s.toolId)).toEqual(['ICP-1', 'ICP-2']);
    const [first] = plan.schedules;
    const nextDay = first.nextWindows[0].slice(0, 10);
    // Staggered: the two tools never go down on the same day.
    expect(plan.schedules[1].nextWindows[0].slice(0, 10)).not.toBe(nextDay);

    const skipped = await api.call('POST', '/api/maintenance/plans/pm-icp/skip', { token: otto.token, body: { day: nextDay, toolId: 'ICP-1' } });
    const icp1 = skipped.json().schedules[0];
    expect(icp1.skippedDays).toEqual([nextDay]);
    expect(icp1.nextWindows.map((w: string) => w.slice(0, 10))).not.toContain(nextDay);

    const paused = await api.call('POST', '/api/maintenance/plans/pm-icp/pause', { token: otto.token, body: { paused: true } });
    expect(paused.json()).toMatchObject({ paused: true, schedules: [{ paused: true }, { paused: true }] });
    const listed = (await api.call('GET', '/api/maintenance/plans', { token: tina.token })).json();
    expect(listed.plans[0]).toMatchObject({ id: 'pm-icp', scheduled: true, paused: true });

    // A firing (triggered now) plans the window lead days ahead, applied at once.
    await temporal.client.schedule.getHandle(first.scheduleId).trigger();
    const recurring = await vi.waitFor(async () => {
      const found = await database.db.maintenance.findFirst({ where: { kind: 'recurring' }, include: { windows: true } });
      expect(found?.state ?? 'none').not.toMatch(/^(none|proposed)$/);
      return found;
    }, settles);
    expect(recurring).toMatchObject({ kind: 'recurring', state: 'scheduled', windows: [{ toolId: 'ICP-1', active: true }] });
    expect(recurring!.endsAt.getTime() - recurring!.startsAt.getTime()).toBe(480 * 60_000);
    for (const { toolId } of plan.schedules) await temporal.client.schedule.getHandle(`pm-pm-icp-${toolId}`).delete();
  });

  it('tells a token who it belongs to', async () => {
    const me = (await api.call('GET', '/api/me', { token: tina.token })).json();
    expect(me).toEqual({ userId: 'tina', name: 'tina', role: 'tenant_user', tenant: { id: 'uni-t', name: 'uni-t', class: 'university' } });
    expect((await api.call('GET', '/api/me')).statusCode).toBe(401);
  });
});
