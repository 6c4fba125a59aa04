import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { refereeCalendar } from '../../src/calendar/referee.js';
import { steerableClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { aPolicy, aRate, aTenant, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { connectTestClient, startTestWorker, type TestClient, type TestWorker } from '../support/temporal.js';

// Shared furnace runs against the real dev server and PostgreSQL: a second tenant's compatible
// wafers join the planned run instead of waiting for the furnace after it; an incompatible request
// is refused for that run with the reason; the cost is split by load.

const clock = steerableClock();
let database: TestDatabase;
let worker: TestWorker;
let temporal: TestClient;
let api: TestApi;
let tina: TestUser;
let ivan: TestUser;
let ulla: TestUser;
let mona: TestUser;

const recipe = 'activation-1700C-4h';

beforeAll(async () => {
  clock.jumpTo(new Date('2035-03-01T00:00:00Z'));
  database = await createTestDatabase();
  const { db } = database;
  await aTool(db, 'ANNEAL-1', 'anneal', { materials: ['SiC'], contaminationClass: 'standard', batchCapacity: 25 });
  await aPolicy(db, 'anneal', { minDurationMin: 60, bufferAfterMin: 30 });
  await aTenant(db, 'co-i', 'industry');
  await aRate(db, 'anneal', 'university', 60_000);
  await aRate(db, 'anneal', 'industry', 150_000);
  tina = await aUser(db, 'tina', 'uni-t', 'tenant_user', ['anneal']);
  ivan = await aUser(db, 'ivan', 'co-i', 'tenant_user', ['anneal']);
  ulla = await aUser(db, 'ulla', 'uni-u', 'tenant_user', ['anneal']);
  mona = await aUser(db, 'mona', 'institute', 'lab_manager');
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

function load(user: TestUser, day: string, window: [string, string], extra: Record<string, unknown> = {}) {
  return api.call('POST', '/api/bookings', {
    token: user.token,
    body: {
      requestId: newRequestId(),
      toolIds: ['ANNEAL-1'],
      durationMin: 240,
      earliestStart: `${day}T${window[0]}:00Z`,
      latestEnd: `${day}T${window[1]}:00Z`,
      material: 'SiC',
      waferSize: 150,
      recipe,
      waferCount: 10,
      ...extra,
    },
  });
}

describe('shared furnace runs', () => {
  it("puts a second tenant's compatible wafers into the planned run, and shows the load without naming the other tenant", async () => {
    const first = await load(tina, '2035-03-05', ['09:00', '18:00']);
    expect(first.statusCode).toBe(201);
    const run = first.json().booking;
    expect(run.startsAt).toBe('2035-03-05T09:00:00.000Z');
    // Without joining, the furnace would be free for Ivan only after the run and its buffer (13:30).
    const second = await load(ivan, '2035-03-05', ['09:00', '18:00'], { waferCount: 12 });
    expect(second.statusCode).toBe(201);
    const joined = second.json().booking;
    expect(joined).toMatchObject({ toolId: 'ANNEAL-1', startsAt: run.startsAt, endsAt: run.endsAt, recipe, waferCount: 12 });
    expect((await database.db.booking.findUniqueOrThrow({ where: { id: joined.id } })).sharedRunId).toBe(run.id);

    const seenByOwner = (await api.call('GET', `/api/bookings/${run.id}`, { token: tina.token })).json();
    expect(seenByOwner.run).toEqual({
      holderBookingId: run.id,
      recipe,
      capacityWafers: 25,
      runWafers: 22,
      loads: [
        { waferCount: 10, mine: true, bookingId: run.id, tenantId: 'uni-t' },
        { waferCount: 12, mine: false },
      ],
    });
    const seenByStaff = (await api.call('GET', `/api/bookings/${run.id}`, { token: mona.token })).json();
    expect(seenByStaff.run.loads[1]).toEqual({ waferCount: 12, mine: false, bookingId: joined.id, tenantId: 'co-i' });
    expect((await refereeCalendar(database.db)).violations).toEqual([]);
  });

  it('refuses an incompatible or too large load for that run with the reason, and writes nothing', async () => {
    const before = await database.db.booking.count();
    // The window holds only the run's own interval: joining is the only way in.
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ recipe: 'oxidation-1300C-4h', waferCount: 3 }, ['RECIPE_DIFFERS']],
      [{ contaminationGroup: 'cmos-clean', waferCount: 3 }, ['CONTAMINATION_DIFFERS']],
      [{ waferCount: 4 }, ['NO_ROOM']],
    ];
    for (const [extra, why] of cases) {
      const refused = await load(ulla, '2035-03-05', ['09:00', '13:00'], extra);
      expect(refused.statusCode).toBe(409);
      const reasons = refused.json().details.explanation.find((e: { toolId: string }) => e.toolId === 'ANNEAL-1').reasons;
      expect(reasons).toContainEqual({
        code: 'BATCH_RUN',
        start: '2035-03-05T09:00:00.000Z',
        end: '2035-03-05T13:00:00.000Z',
        why,
        loadWafers: 22,
        capacityWafers: 25,
      });
      // Another tenant's run is described, never named.
      expect(JSON.stringify(refused.json())).not.toMatch(/tina|ivan|uni-t|co-i/);
    }
    expect(await database.db.booking.count()).toBe(before);
    // Three wafers still fit.
    const fits = await load(ulla, '2035-03-05', ['09:00', '13:00'], { waferCount: 3 });
    expect(fits.statusCode).toBe(201);
  });

  it('splits the run’s cost by load, each at its own rate, and hands the run on when its holder cancels', async () => {
    const held = (await load(tina, '2035-03-12', ['09:00', '18:00'])).json().booking;
    const joined = (await load(ivan, '2035-03-12', ['09:00', '18:00'], { waferCount: 15 })).json().booking;
    expect(joined.startsAt).toBe(held.startsAt);
    const activities = createActivities({ db: database.db, clock });
    clock.jumpTo(new Date('2035-03-12T09:00:00Z'));
    try {
      for (const b of [held, joined]) await activities.recordCheckIn({ bookingId: b.id, actor: mona.actor });
      clock.jumpTo(new Date('2035-03-12T13:00:00Z'));
      // Closed at the planned end (the workflow's automatic check-out): both loads ran the same 4 h.
      for (const b of [held, joined]) await activities.recordCheckOut({ bookingId: b.id, auto: true });
    } finally {
      clock.jumpTo(new Date('2035-03-01T00:00:00Z'));
    }
    const lines = await database.db.usageLine.findMany({ where: { bookingId: { in: [held.id, joined.id] } }, orderBy: { tenantId: 'asc' } });
    // 4 h: 2,400 HKD at the research rate × 10/25, 6,000 HKD at the commercial rate × 15/25.
    expect(lines.map((l) => [l.tenantId, l.minutes, l.loadWafers, l.runWafers, l.amountCents])).toEqual([
      ['co-i', 240, 15, 25, 360_000],
      ['uni-t', 240, 10, 25, 96_000],
    ]);

    const holder = (await load(tina, '2035-03-19', ['09:00', '18:00'])).json().booking;
    const rider = (await load(ivan, '2035-03-19', ['09:00', '18:00'])).json().booking;
    const cancelled = await api.call('POST', `/api/bookings/${holder.id}/cancel`, { token: tina.token, body: {} });
    expect(cancelled.json().state).toBe('cancelled');
    const after = await database.db.booking.findUniqueOrThrow({ where: { id: rider.id } });
    expect(after).toMatchObject({ state: 'confirmed', sharedRunId: null });
    expect((await refereeCalendar(database.db)).violations).toEqual([]);
  });
});
