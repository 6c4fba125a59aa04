import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { refereeCalendar } from '../../src/calendar/referee.js';
import { steerableClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { aPolicy, aRate, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { connectTestClient, startTestWorker, type TestClient, type TestWorker } from '../support/temporal.js';

// A stepper that needs its reticle slot alongside: booked, moved by maintenance, cancelled and
// charged as one group, against the real dev server and PostgreSQL.

const clock = steerableClock();
let database: TestDatabase;
let worker: TestWorker;
let temporal: TestClient;
let api: TestApi;
let tina: TestUser;
let lee: TestUser;
let otto: TestUser;

const settles = { timeout: 30_000, interval: 100 };

beforeAll(async () => {
  clock.jumpTo(new Date('2034-06-01T00:00:00Z'));
  database = await createTestDatabase();
  const { db } = database;
  await aTool(db, 'STEPPER-1', 'stepper');
  await aTool(db, 'RETICLE-1', 'reticle');
  await db.toolLink.create({ data: { toolId: 'STEPPER-1', linkedToolId: 'RETICLE-1' } });
  await aPolicy(db, 'stepper', { minDurationMin: 30 });
  await aPolicy(db, 'reticle', { minDurationMin: 15 });
  await aRate(db, 'stepper', 'university', 60_000);
  await aRate(db, 'reticle', 'university', 6_000);
  tina = await aUser(db, 'tina', 'uni-t', 'tenant_user', ['stepper', 'reticle']);
  // Trained on the stepper, not on the reticle slot it needs.
  lee = await aUser(db, 'lee', 'uni-l', 'tenant_user', ['stepper']);
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

async function book(user: TestUser, toolId: string, startsAt: string, minutes: number, latestEnd: string) {
  return api.call('POST', '/api/bookings', {
    token: user.token,
    body: { requestId: newRequestId(), toolIds: [toolId], durationMin: minutes, earliestStart: startsAt, latestEnd, material: 'SiC', waferSize: 150 },
  });
}

const rowsOf = (primaryId: string) =>
  database.db.booking.findMany({ where: { OR: [{ id: primaryId }, { primaryBookingId: primaryId }] }, orderBy: { toolId: 'asc' } });

describe('linked tools', () => {
  it('holds the reticle slot with the stepper, moves both as one for maintenance on the slot, and cancels them together', async () => {
    // The reticle slot is taken 09:00–10:00: the stepper alone would start at 09:00, the group at 10:00.
    const reticleOnly = await book(tina, 'RETICLE-1', '2034-06-05T09:00:00Z', 60, '2034-06-05T10:00:00Z');
    expect(reticleOnly.statusCode).toBe(201);
    const placed = await book(tina, 'STEPPER-1', '2034-06-05T09:00:00Z', 60, '2034-06-05T18:00:00Z');
    expect(placed.statusCode).toBe(201);
    const booking = placed.json().booking;
    expect(booking).toMatchObject({ toolId: 'STEPPER-1', startsAt: '2034-06-05T10:00:00.000Z', linkedToolIds: ['RETICLE-1'] });
    const [member, primary] = await rowsOf(booking.id);
    expect(member).toMatchObject({ toolId: 'RETICLE-1', primaryBookingId: booking.id, state: 'confirmed', startsAt: primary!.startsAt, endsAt: primary!.endsAt });
    expect((await api.call('GET', `/api/bookings/${booking.id}`, { token: tina.token })).json().linkedToolIds).toEqual(['RETICLE-1']);
    // The member is acted on through its primary only.
    const direct = await api.call('POST', `/api/bookings/${member!.id}/cancel`, { token: tina.token, body: {} });
    expect(direct.statusCode).toBe(409);
    expect(direct.json().detail).toContain(booking.id);

    // Maintenance on the reticle slot alone, 10:00–11:00: the stepper booking moves with it.
    const plan = { requestId: newRequestId(), toolIds: ['RETICLE-1'], startsAt: '2034-06-05T10:00:00Z', endsAt: '2034-06-05T11:00:00Z', reason: 'slot sensor' };
    const proposed = await api.call('POST', '/api/maintenance', { token: otto.token, body: plan });
    expect(proposed.statusCode).toBe(201);
    const { maintenance, impact } = proposed.json();
    const moves = impact.moves as Array<{ bookingId: string; to: { toolId: string; startsAt: string; endsAt: string } }>;
    expect(moves.map((m) => m.bookingId).sort()).toEqual([booking.id, member!.id].sort());
    expect(new Set(moves.map((m) => `${m.to.startsAt}/${m.to.endsAt}`)).size).toBe(1);
    expect((await api.call('POST', `/api/maintenance/${maintenance.id}/confirm`, { token: otto.token, body: {} })).statusCode).toBe(200);

    const [movedMember, movedPrimary] = await rowsOf(booking.id);
    expect(movedPrimary!.startsAt.toISOString()).toBe('2034-06-05T11:00:00.000Z');
    expect(movedMember).toMatchObject({ toolId: 'RETICLE-1', startsAt: movedPrimary!.startsAt, endsAt: movedPrimary!.endsAt });
    expect(movedPrimary!.movedByMaintenanceId).toBe(maintenance.id);
    expect((await refereeCalendar(database.db)).violations).toEqual([]);

    // The booking workflow heard of the move; declining it cancels the group, without penalty.
    const declined = await vi.waitFor(async () => {
      const response = await api.call('POST', `/api/bookings/${booking.id}/decline-move`, { token: tina.token });
      expect(response.statusCode).toBe(200);
      return response;
    }, settles);
    expect(declined.json()).toMatchObject({ state: 'cancelled', lateCancel: false });
    expect((await rowsOf(booking.id)).map((r) => [r.toolId, r.state])).toEqual([
      ['RETICLE-1', 'cancelled'],
      ['STEPPER-1', 'cancelled'],
    ]);
    expect((await refereeCalendar(database.db)).violations).toEqual([]);
  });

  it('checks the group in and out together and charges each tool', async () => {
    const placed = await book(tina, 'STEPPER-1', '2034-06-12T09:00:00Z', 60, '2034-06-12T12:00:00Z');
    expect(placed.statusCode).toBe(201);
    const id = placed.json().booking.id as string;
    // The activities the workflow runs, called directly at the booked hour.
    const activities = createActivities({ db: database.db, clock });
    clock.jumpTo(new Date('2034-06-12T09:00:00Z'));
    try {
      await activities.recordCheckIn({ bookingId: id, actor: tina.actor });
      // Closed at the planned end (the workflow's automatic check-out), so the minutes are exact.
      await activities.recordCheckOut({ bookingId: id, auto: true });
    } finally {
      clock.jumpTo(new Date('2034-06-01T00:00:00Z'));
    }
    const rows = await rowsOf(id);
    expect(rows.map((r) => r.state)).toEqual(['completed', 'completed']);
    const lines = await database.db.usageLine.findMany({ where: { bookingId: { in: rows.map((r) => r.id) } }, orderBy: { toolId: 'asc' } });
    expect(lines.map((l) => [l.toolId, l.minutes, l.amountCents])).toEqual([
      ['RETICLE-1', 60, 6_000],
      ['STEPPER-1', 60, 60_000],
    ]);
  });

  it('refuses a stepper booking for a user not qualified on its reticle slot, naming the field, and writes nothing', async () => {
    const before = await Promise.all([database.db.booking.count(), database.db.auditLog.count()]);
    const refused = await book(lee, 'STEPPER-1', '2034-06-06T09:00:00Z', 60, '2034-06-06T18:00:00Z');
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({
      code: 'NOT_QUALIFIED',
      issues: [{ field: 'body.toolIds', message: expect.stringContaining('RETICLE-1') }],
    });
    // By tool type the same: the only stepper needs the slot.
    const byType = await api.call('POST', '/api/bookings', {
      token: lee.token,
      body: { requestId: newRequestId(), toolTypeId: 'stepper', durationMin: 60, earliestStart: '2034-06-06T09:00:00Z', latestEnd: '2034-06-06T18:00:00Z', material: 'SiC', waferSize: 150 },
    });
    expect(byType.json()).toMatchObject({ code: 'NOT_QUALIFIED', issues: [{ field: 'body.toolTypeId' }] });
    expect(await Promise.all([database.db.booking.count(), database.db.auditLog.count()])).toEqual(before);
  });
});
