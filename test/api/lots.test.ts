import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
let rui: TestUser;
let sam: TestUser;
let mona: TestUser;
let otto: TestUser;

beforeAll(async () => {
  clock.jumpTo(new Date('2036-01-05T00:00:00Z'));
  database = await createTestDatabase();
  const { db } = database;
  await aTool(db, 'WET-1', 'wet');
  await aTool(db, 'OX-1', 'furnace');
  await aTool(db, 'ELL-1', 'ellipsometer');
  await aPolicy(db, 'wet');
  await aPolicy(db, 'furnace', { approvalRequired: true });
  await aPolicy(db, 'ellipsometer');
  rui = await aUser(db, 'rui', 'uni-r', 'tenant_user', ['wet', 'furnace', 'ellipsometer']);
  sam = await aUser(db, 'sam', 'co-s', 'tenant_user', ['wet', 'ellipsometer']);
  mona = await aUser(db, 'mona', 'institute', 'lab_manager');
  otto = await aUser(db, 'otto', 'institute', 'ops');
  worker = await startTestWorker(createActivities({ db, clock, lotPlanTimeLimitMs: 200 }));
  temporal = await connectTestClient();
  api = await startTestApi({ db, clock, temporal: { client: temporal.client, namespace: 'default', taskQueue: worker.taskQueue } });
});

afterAll(async () => {
  await api?.[Symbol.asyncDispose]();
  await worker?.stop();
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

// RCA clean, then gate oxidation within 2 h (Q-time), then a thickness check.
const route = (extra: Record<string, unknown> = {}) => ({
  requestId: newRequestId(),
  name: 'SiC MOSFET gate stack',
  material: 'SiC',
  waferSize: 150,
  earliestStart: '2036-01-06T00:00:00Z',
  latestEnd: '2036-01-08T00:00:00Z',
  steps: [
    { name: 'RCA clean', toolTypeId: 'wet', durationMin: 45, maxLagToNextMin: 120 },
    { name: 'gate oxidation + NO anneal', toolTypeId: 'furnace', durationMin: 360 },
    { name: 'oxide thickness', toolTypeId: 'ellipsometer', durationMin: 15 },
  ],
  ...extra,
});

describe('lot routes through the API', () => {
  it('holds every step, shows each step’s slot, and runs the steps after approval', async () => {
    const created = await api.call('POST', '/api/lots', { token: rui.token, body: route() });
    expect(created.statusCode).toBe(201);
    const { lot, approvalRequired } = created.json();
    expect(approvalRequired).toBe(true);
    expect(lot.steps.map((s: { booking: { state: string } }) => s.booking.state)).toEqual(['held', 'held', 'held']);

    const read = (await api.call('GET', `/api/lots/${lot.id}`, { token: rui.token })).json();
    expect(read.steps[0].booking).toMatchObject({ toolId: 'WET-1', startsAt: '2036-01-06T00:00:00.000Z' });
    expect(read.alerts).toEqual([]);
    expect((await api.call('GET', `/api/lots/${lot.id}`, { token: sam.token })).statusCode).toBe(404);
    expect((await api.call('GET', '/api/lots', { token: sam.token })).json().lots).toEqual([]);

    expect((await api.call('POST', `/api/lots/${lot.id}/approve`, { token: rui.token, body: {} })).statusCode).toBe(403);
    expect((await api.call('POST', `/api/lots/${lot.id}/approve`, { token: mona.token, body: {} })).json().state).toBe('confirmed');

    // Its step bookings are the lot's to drive, not the booking API's.
    const stepBooking = read.steps[0].booking.id;
    expect((await api.call('POST', `/api/bookings/${stepBooking}/cancel`, { token: rui.token, body: {} })).json().code).toBe('INVALID_STATE');

    expect((await api.call('POST', `/api/lots/${lot.id}/steps/1/check-in`, { token: sam.token })).statusCode).toBe(404);
    const started = await api.call('POST', `/api/lots/${lot.id}/steps/1/check-in`, { token: rui.token });
    expect(started.json()).toMatchObject({ state: 'in_progress', steps: [{ booking: { state: 'in_use' } }, {}, {}] });
    const ended = await api.call('POST', `/api/lots/${lot.id}/steps/1/check-out`, { token: rui.token });
    expect(ended.json().steps[0].booking.state).toBe('completed');
    expect((await api.call('POST', `/api/lots/${lot.id}/steps/9/check-in`, { token: rui.token })).statusCode).toBe(404);
  });

  it('refuses a bad route with 422 naming the field, and an impossible one with the reason; nothing written', async () => {
    const before = await database.db.booking.count();
    const bad = await api.call('POST', '/api/lots', {
      token: rui.token,
      body: route({ steps: [{ name: 'x', toolTypeId: 'wet', durationMin: 30, minLagToNextMin: 60, maxLagToNextMin: 10 }] }),
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().issues.map((i: { field: string }) => i.field)).toEqual(['body.steps.0.maxLagToNextMin']);

    const impossible = await api.call('POST', '/api/lots', { token: sam.token, body: route() });
    expect(impossible.statusCode).toBe(409);
    expect(impossible.json()).toMatchObject({
      code: 'NO_FEASIBLE_SLOT',
      details: { explanation: [{ seq: 2, tools: [{ toolId: 'OX-1', reasons: [{ code: 'NOT_QUALIFIED' }] }] }] },
    });
    expect(await database.db.booking.count()).toBe(before);
  });

  it('lists a held lot in the approvals queue as one entry, apart from single bookings, and refuses to approve it once maintenance released it', async () => {
    clock.jumpTo(new Date('2036-01-09T00:00:00Z'));
    try {
      const created = await api.call('POST', '/api/lots', {
        token: rui.token,
        body: route({ earliestStart: '2036-01-10T00:00:00Z', latestEnd: '2036-01-12T00:00:00Z' }),
      });
      expect(created.statusCode).toBe(201);
      const lot = created.json().lot;
      const single = await api.call('POST', '/api/bookings', {
        token: rui.token,
        body: {
          requestId: newRequestId(),
          toolTypeId: 'furnace',
          durationMin: 120,
          earliestStart: '2036-01-13T00:00:00Z',
          latestEnd: '2036-01-13T06:00:00Z',
          material: 'SiC',
          waferSize: 150,
        },
      });
      expect(single.json().booking.state).toBe('held');

      const queue = (await api.call('GET', '/api/approvals', { token: mona.token })).json();
      const stepIds = lot.steps.map((s: { booking: { id: string } }) => s.booking.id);
      expect(queue.bookings.map((b: { id: string }) => b.id)).toContain(single.json().booking.id);
      expect(queue.bookings.filter((b: { id: string; lotStepId: string | null }) => stepIds.includes(b.id) || b.lotStepId)).toEqual([]);
      expect(queue.lots).toEqual([
        expect.objectContaining({
          id: lot.id,
          name: 'SiC MOSFET gate stack',
          userId: 'rui',
          state: 'held',
          approvalDeadline: expect.any(String),
          steps: [1, 2, 3].map((seq) => expect.objectContaining({ seq, booking: expect.objectContaining({ state: 'held', toolId: expect.any(String) }) })),
        }),
      ]);
      expect((await api.call('GET', '/api/approvals', { token: rui.token })).statusCode).toBe(403);

      // The furnace breaks until after the lot's window: the whole route is released.
      const outage = await api.call('POST', '/api/tools/OX-1/outage', {
        token: otto.token,
        body: { estimatedEnd: '2036-01-12T12:00:00Z', reason: 'tube crack' },
      });
      expect(outage.statusCode).toBe(201);
      expect(outage.json().impact.lots).toEqual([expect.objectContaining({ lotId: lot.id, outcome: 'released', tenantId: 'uni-r' })]);
      const refused = await api.call('POST', `/api/lots/${lot.id}/approve`, { token: mona.token, body: {} });
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ code: 'INVALID_STATE', detail: expect.stringMatching(/cancelled \(maintenance: /) });
      const after = (await api.call('GET', `/api/lots/${lot.id}`, { token: rui.token })).json();
      expect(after.state).toBe('cancelled');
      expect(after.steps.map((s: { booking: { state: string } }) => s.booking.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
      expect((await api.call('GET', '/api/approvals', { token: mona.token })).json().lots).toEqual([]);
    } finally {
      clock.jumpTo(new Date('2036-01-05T00:00:00Z'));
    }
  });
});
