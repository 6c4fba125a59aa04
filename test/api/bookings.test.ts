import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { refereeCalendar } from '../../src/calendar/referee.js';
import { steerableClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aPolicy, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { connectTestClient, startTestWorker, type TestClient, type TestWorker } from '../support/temporal.js';

const clock = steerableClock();
let database: TestDatabase;
let worker: TestWorker;
let temporal: TestClient;
let api: TestApi;
let alice: TestUser;
let bob: TestUser;
let mona: TestUser;
let otto: TestUser;

const monday = new Date('2031-03-03T01:00:00Z'); // 09:00 HKT

beforeAll(async () => {
  clock.jumpTo(new Date('2031-03-01T00:00:00Z'));
  database = await createTestDatabase();
  const { db } = database;
  await aTool(db, 'SEM-1', 'sem');
  await aTool(db, 'SEM-2', 'sem');
  await aTool(db, 'EPI-1', 'epi', { materials: ['GaN'] });
  await aPolicy(db, 'sem');
  await aPolicy(db, 'epi', { approvalRequired: true });
  alice = await aUser(db, 'alice', 'uni-a', 'tenant_user', ['sem', 'epi']);
  bob = await aUser(db, 'bob', 'uni-b', 'tenant_user', ['sem']);
  mona = await aUser(db, 'mona', 'institute', 'lab_manager');
  otto = await aUser(db, 'otto', 'institute', 'ops');
  worker = await startTestWorker(createActivities({ db, clock }));
  temporal = await connectTestClient();
  api = await startTestApi({ db, clock, temporal: { client: temporal.client, namespace: 'default', taskQueue: worker.taskQueue } });
});

afterAll(async () => {
  await api?.[Symbol.asyncDispose]();
  await worker?.stop();
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

function wish(start: Date, hours: number, extra: Record<string, unknown> = {}) {
  return {
    toolTypeId: 'sem',
    durationMin: 30,
    earliestStart: start.toISOString(),
    latestEnd: new Date(start.getTime() + hours * 3_600_000).toISOString(),
    material: 'SiC',
    waferSize: 150,
    ...extra,
  };
}

async function counts() {
  const { db } = database;
  const [bookings, audit, notifications] = await Promise.all([db.booking.count(), db.auditLog.count(), db.notification.count()]);
  return { bookings, audit, notifications };
}

describe('POST /api/bookings', () => {
  it('books a slot and answers a retry of the same request with the same booking', async () => {
    const body = { requestId: newRequestId(), ...wish(monday, 2) };
    const first = await api.call('POST', '/api/bookings', { token: alice.token, body });
    expect(first.statusCode).toBe(201);
    const booking = first.json().booking;
    expect(booking).toMatchObject({ state: 'confirmed', tenantId: 'uni-a', startsAt: monday.toISOString() });

    const retry = await api.call('POST', '/api/bookings', { token: alice.token, body });
    expect(retry.statusCode).toBe(201);
    expect(retry.json().booking.id).toBe(booking.id);
    expect(await database.db.booking.count({ where: { requestId: body.requestId } })).toBe(1);

    const stolen = await api.call('POST', '/api/bookings', { token: bob.token, body });
    expect(stolen.statusCode).toBe(403);
  });

  it('gives exactly one of 50 concurrent requests the contested slot and leaves a calendar the referee accepts', async () => {
    const start = new Date('2031-03-04T01:00:00Z');
    const requests = Array.from({ length: 50 }, () => ({
      requestId: newRequestId(),
      ...wish(start, 8, { toolTypeId: undefined, toolIds: ['SEM-2'] }),
    }));
    const responses = await Promise.all(requests.map((body) => api.call('POST', '/api/bookings', { token: alice.token, body })));
    const placed = responses.filter((r) => r.statusCode === 201).map((r) => r.json().booking);
    const refused = responses.filter((r) => r.statusCode !== 201);

    // Sixteen half-hour slots fit the eight hours; everyone else hears why nothing is left.
    expect(placed).toHaveLength(16);
    expect(placed.filter((b) => b.startsAt === start.toISOString())).toHaveLength(1);
    expect(refused).toHaveLength(34);
    for (const r of refused) {
      expect(r.statusCode).toBe(409);
      expect(r.json()).toMatchObject({ code: 'NO_FEASIBLE_SLOT', details: { explanation: [{ toolId: 'SEM-2' }] } });
    }
    // The bookings as the solver sees them (buffers, changeovers, quotas, qualifications), judged by its referee.
    const verdict = await refereeCalendar(database.db);
    expect(verdict.bookings).toBeGreaterThanOrEqual(16);
    expect(verdict.violations).toEqual([]);
  });

  it('refuses a bad body with 422 naming each field, and writes nothing', async () => {
    const before = await counts();
    const response = await api.call('POST', '/api/bookings', {
      token: alice.token,
      body: { requestId: 'not-a-uuid', toolTypeId: 'sem', durationMin: -5, earliestStart: 'tomorrow', material: 'Gold', waferSize: 300 },
    });
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = response.json();
    expect(problem.code).toBe('VALIDATION_FAILED');
    const fields = problem.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining(['body.requestId', 'body.durationMin', 'body.earliestStart', 'body.material', 'body.waferSize']),
    );
    expect(await counts()).toEqual(before);
  });

  it('explains an impossible request and writes nothing', async () => {
    const before = await counts();
    const response = await api.call('POST', '/api/bookings', {
      token: bob.token,
      body: { requestId: newRequestId(), ...wish(monday, 4, { toolTypeId: 'epi', material: 'GaN' }) },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      code: 'NO_FEASIBLE_SLOT',
      details: { explanation: [{ toolId: 'EPI-1', reasons: [{ code: 'NOT_QUALIFIED' }] }] },
    });
    expect((await counts()).bookings).toBe(before.bookings);
  });
});

describe('booking actions through the API', () => {
  it('walks a held booking through approval, check-in and check-out', async () => {
    // Ten minutes ahead: the hold's approval deadline (capped at the start) leaves a busy machine
    // time to approve, and check-in opens 15 minutes before the start.
    clock.jumpTo(new Date('2031-03-05T00:50:00Z'));
    const start = new Date('2031-03-05T01:00:00Z');
    const created = await api.call('POST', '/api/bookings', {
      token: alice.token,
      body: { requestId: newRequestId(), ...wish(start, 4, { toolTypeId: 'epi', material: 'GaN' }) },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ approvalRequired: true, booking: { state: 'held' } });
    const id = created.json().booking.id;

    const queue = await api.call('GET', '/api/approvals', { token: mona.token });
    expect(queue.json().bookings.map((b: { id: string }) => b.id)).toContain(id);

    expect((await api.call('POST', `/api/bookings/${id}/approve`, { token: alice.token })).statusCode).toBe(403);
    const approved = await api.call('POST', `/api/bookings/${id}/approve`, { token: mona.token, body: { note: 'fine' } });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().state).toBe('confirmed');
    expect((await api.call('POST', `/api/bookings/${id}/approve`, { token: mona.token })).json().code).toBe('INVALID_STATE');

    expect((await api.call('POST', `/api/bookings/${id}/check-in`, { token: bob.token })).statusCode).toBe(404);
    expect((await api.call('POST', `/api/bookings/${id}/check-in`, { token: alice.token })).json().state).toBe('in_use');
    const done = await api.call('POST', `/api/bookings/${id}/check-out`, { token: otto.token });
    expect(done.json().state).toBe('completed');
    expect((await api.call('POST', `/api/bookings/${id}/cancel`, { token: alice.token })).statusCode).toBe(409);
  });

  it('reschedules and cancels, refusing a bad window with 422', async () => {
    const start = new Date('2031-03-06T01:00:00Z');
    const created = await api.call('POST', '/api/bookings', { token: bob.token, body: { requestId: newRequestId(), ...wish(start, 2) } });
    const id = created.json().booking.id;
    const bad = await api.call('POST', `/api/bookings/${id}/reschedule`, {
      token: bob.token,
      body: { toolTypeId: 'sem', durationMin: 30, earliestStart: start.toISOString(), latestEnd: start.toISOString() },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().issues[0].field).toBe('body.latestEnd');

    const later = new Date('2031-03-06T05:00:00Z');
    const moved = await api.call('POST', `/api/bookings/${id}/reschedule`, {
      token: bob.token,
      body: { toolTypeId: 'sem', durationMin: 45, earliestStart: later.toISOString(), latestEnd: new Date(later.getTime() + 3_600_000).toISOString() },
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ id, startsAt: later.toISOString(), endsAt: new Date(later.getTime() + 45 * 60_000).toISOString() });
    const cancelled = await api.call('POST', `/api/bookings/${id}/cancel`, { token: bob.token, body: { reason: 'plans changed' } });
    expect(cancelled.json()).toMatchObject({ state: 'cancelled', cancelReason: 'plans changed', lateCancel: false });
  });
});

describe('reads and tenant isolation', () => {
  it("shows other tenants' bookings only as busy in the schedule", async () => {
    const day = new Date('2031-03-07T01:00:00Z');
    await api.call('POST', '/api/bookings', { token: bob.token, body: { requestId: newRequestId(), ...wish(day, 1, { toolTypeId: undefined, toolIds: ['SEM-1'] }) } });
    const range = `from=${encodeURIComponent('2031-03-07T00:00:00Z')}&to=${encodeURIComponent('2031-03-08T00:00:00Z')}`;
    const asAlice = (await api.call('GET', `/api/schedule?${range}`, { token: alice.token })).json();
    const sem1 = asAlice.tools.find((t: { id: string }) => t.id === 'SEM-1');
    expect(sem1.blocks).toEqual([{ kind: 'busy', startsAt: day.toISOString(), endsAt: new Date(day.getTime() + 1_800_000).toISOString() }]);
    const asManager = (await api.call('GET', `/api/schedule?${range}`, { token: mona.token })).json();
    expect(asManager.tools.find((t: { id: string }) => t.id === 'SEM-1').blocks[0]).toMatchObject({ kind: 'booking', tenantId: 'uni-b' });
  });

  it("lists only the caller's tenant and refuses to list another's", async () => {
    const mine = (await api.call('GET', '/api/bookings', { token: bob.token })).json().bookings;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((b: { tenantId: string }) => b.tenantId === 'uni-b')).toBe(true);
    expect((await api.call('GET', '/api/bookings?tenant=uni-a', { token: bob.token })).statusCode).toBe(403);
    const all = (await api.call('GET', '/api/bookings?tenant=uni-a&state=confirmed,completed', { token: mona.token })).json().bookings;
    expect(all.every((b: { tenantId: string; state: string }) => b.tenantId === 'uni-a' && ['confirmed', 'completed'].includes(b.state))).toBe(true);
    const aliceBooking = all[0];
    expect((await api.call('GET', `/api/bookings/${aliceBooking.id}`, { token: bob.token })).statusCode).toBe(404);
    expect((await api.call('GET', `/api/bookings/${aliceBooking.id}`, { token: alice.token })).statusCode).toBe(200);
  });

  it('previews options without booking anything', async () => {
    const before = await counts();
    const response = await api.call('POST', '/api/placements/preview', {
      token: alice.token,
      body: { ...wish(new Date('2031-03-10T01:00:00Z'), 3), maxOptions: 3 },
    });
    expect(response.statusCode).toBe(200);
    const answer = response.json();
    expect(answer.kind).toBe('options');
    // Both free tools offered, earliest first.
    expect(answer.options.map((o: { toolId: string }) => o.toolId).sort()).toEqual(['SEM-1', 'SEM-2']);
    expect(answer.options[0].startsAt).toBe('2031-03-10T01:00:00.000Z');
    expect(await counts()).toEqual(before);
  });
});
