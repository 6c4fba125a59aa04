import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refereeCalendar } from '../../src/calendar/referee.js';
import { aBooking, aPolicy, aProject, aTool, aToolType, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { startApiWorld, type ApiWorld } from '../support/world.js';

// From asking for training to booking the reactor, through the API and real workflows: the training
// request, the training booking (trainee on the tool, trainer named), the grant that completes it,
// the booking charged to the student's project; then revocation and a lapse (its reminder lead is
// an input: seconds here) flag the later bookings for the lab managers.

const now = new Date('2036-04-01T00:00:00Z');
const day = (d: number, h: number) => new Date(now.getTime() + d * 86_400_000 + h * 3_600_000).toISOString();

let world: ApiWorld;
const u = {} as Record<'mia' | 'sue' | 'una' | 'tom' | 'olga', TestUser>;
let projectId: string;

beforeAll(async () => {
  world = await startApiWorld(
    now,
    async (db) => {
      await aToolType(db, 'mocvd', { name: 'GaN MOCVD reactor', area: 'epitaxy' });
      await aTool(db, 'MOCVD-1', 'mocvd', { materials: ['GaN', 'GaN-on-Si'] });
      await aPolicy(db, 'mocvd', { minDurationMin: 60, maxDurationMin: 12 * 60, approvalRequired: true });
      u.mia = await aUser(db, 'mia', 'institute', 'lab_manager');
      u.sue = await aUser(db, 'sue', 'uni-s', 'tenant_user');
      u.una = await aUser(db, 'una', 'uni-s', 'tenant_manager');
      u.tom = await aUser(db, 'tom', 'uni-s', 'tenant_user');
      u.olga = await aUser(db, 'olga', 'co-o', 'tenant_user', ['mocvd']);
      projectId = (await aProject(db, 'uni-s', 'GRF-9', ['sue'])).id;
    },
    { timing: { qualification: { reminderLeadMs: 1_000 } } },
  );
});

afterAll(async () => {
  await world?.[Symbol.asyncDispose]();
});

const call = (method: 'GET' | 'POST', url: string, who: TestUser, body?: unknown) =>
  world.api.call(method, url, { token: who.token, ...(body === undefined ? {} : { body }) });
const reactor = (d: number, from: number, to: number) => ({
  requestId: newRequestId(),
  toolIds: ['MOCVD-1'],
  durationMin: 240,
  earliestStart: day(d, from),
  latestEnd: day(d, to),
  material: 'GaN',
  waferSize: 100,
});

describe('training, qualification and booking through the API', () => {
  let trainingId: string;
  let qualificationId: string;
  let bookingId: string;

  it('takes a training request into the lab managers’ queue, seen by the asker and their tenant manager only', async () => {
    const asked = await call('POST', '/api/training-requests', u.sue, { toolTypeId: 'mocvd', note: 'GaN buffer growth for my thesis' });
    expect(asked.statusCode).toBe(201);
    trainingId = asked.json().id;
    expect(asked.json()).toMatchObject({ userId: 'sue', status: 'requested', booking: null });
    expect((await call('POST', '/api/training-requests', u.sue, { toolTypeId: 'mocvd' })).statusCode).toBe(409);
    const queue = (await call('GET', '/api/training-requests?status=requested', u.mia)).json().trainingRequests;
    expect(queue.map((t: { id: string }) => t.id)).toEqual([trainingId]);
    expect((await call('GET', '/api/training-requests', u.una)).json().trainingRequests).toHaveLength(1);
    expect((await call('GET', '/api/training-requests', u.olga)).json().trainingRequests).toEqual([]);
    const unqualified = await call('POST', '/api/bookings', u.sue, reactor(2, 0, 12));
    expect(unqualified.statusCode).toBe(409);
    expect(unqualified.json().details.explanation[0].reasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'NOT_QUALIFIED' })]));
  });

  it('answers it with a training booking: the trainee on the tool, the trainer named, confirmed without approval', async () => {
    const wrongTrainer = await call('POST', `/api/training-requests/${trainingId}/schedule`, u.mia, { trainerId: 'tom', ...reactor(1, 0, 12) });
    expect(wrongTrainer.statusCode).toBe(422);
    expect(wrongTrainer.json().issues[0].field).toBe('body.trainerId');
    const scheduled = await call('POST', `/api/training-requests/${trainingId}/schedule`, u.mia, { trainerId: 'mia', ...reactor(1, 0, 12) });
    expect(scheduled.statusCode).toBe(201);
    expect(scheduled.json().booking).toMatchObject({ userId: 'sue', tenantId: 'uni-s', trainerId: 'mia', state: 'confirmed', purpose: 'Training', projectId });
    expect(scheduled.json().trainingRequest).toMatchObject({ status: 'scheduled', booking: { trainerId: 'mia', toolId: 'MOCVD-1' } });
    const trainer = await world.db.notification.findFirstOrThrow({ where: { recipientId: 'mia', kind: 'training.scheduled' } });
    expect(trainer.payload).toMatchObject({ bookingId: scheduled.json().booking.id });
    // The training qualifies its booking only: the referee accepts it, the student still books nothing alone.
    expect((await refereeCalendar(world.db)).violations).toEqual([]);
    expect((await call('POST', '/api/bookings', u.sue, reactor(1, 12, 23))).statusCode).toBe(409);
  });

  it('grants the qualification with an expiry and the training record, which completes the request', async () => {
    const granted = await call('POST', '/api/qualifications', u.mia, {
      userId: 'sue',
      toolTypeId: 'mocvd',
      expiresAt: day(365, 0),
      trainerId: 'mia',
      trainedAt: new Date(world.clock.now().getTime() - 60_000).toISOString(),
      trainingRequestId: trainingId,
    });
    expect(granted.statusCode).toBe(201);
    qualificationId = granted.json().qualification.id;
    expect(granted.json().qualification).toMatchObject({ userId: 'sue', toolTypeId: 'mocvd', state: 'active', trainerId: 'mia', grantedById: 'mia', expiresAt: day(365, 0) });
    expect((await call('POST', '/api/qualifications', u.mia, { userId: 'sue', toolTypeId: 'mocvd', expiresAt: day(30, 0) })).statusCode).toBe(409);
    expect((await call('GET', `/api/training-requests`, u.sue)).json().trainingRequests[0].status).toBe('completed');
    expect((await call('GET', '/api/qualifications', u.sue)).json().qualifications.map((q: { id: string }) => q.id)).toEqual([qualificationId]);
    expect((await call('GET', '/api/qualifications', u.una)).json().qualifications).toHaveLength(1);
    expect((await call('GET', '/api/qualifications', u.olga)).json().qualifications.map((q: { userId: string }) => q.userId)).toEqual(['olga']);
    expect((await call('GET', `/api/qualifications/${qualificationId}`, u.olga)).statusCode).toBe(404);
  });

  it('lets the student book the reactor, charged to their only project', async () => {
    const booked = await call('POST', '/api/bookings', u.sue, reactor(3, 0, 12));
    expect(booked.statusCode).toBe(201);
    bookingId = booked.json().booking.id;
    expect(booked.json()).toMatchObject({ approvalRequired: true, booking: { userId: 'sue', state: 'held', projectId, trainerId: null, flag: null } });
    const lot = await call('POST', '/api/lots', u.sue, {
      requestId: newRequestId(),
      name: 'buffer test lot',
      material: 'GaN',
      waferSize: 100,
      earliestStart: day(4, 0),
      latestEnd: day(4, 12),
      steps: [{ name: 'GaN buffer', toolTypeId: 'mocvd', durationMin: 240 }],
    });
    expect(lot.statusCode).toBe(201);
    expect(lot.json().lot.projectId).toBe(projectId);
    const step = await world.db.booking.findFirstOrThrow({ where: { lotStep: { lotId: lot.json().lot.id } } });
    expect(step.projectId).toBe(projectId);
    await call('POST', `/api/lots/${lot.json().lot.id}/cancel`, u.sue, {});
  });

  it('revokes it: the later booking is flagged in the booking view and the attention list; the history tells it all', async () => {
    const revoked = await call('POST', `/api/qualifications/${qualificationId}/revoke`, u.mia, { reason: 'unsafe handling of TMGa' });
    expect(revoked.json().qualification).toMatchObject({ state: 'revoked', revokeReason: 'unsafe handling of TMGa' });
    expect(revoked.json().affected.bookings).toMatchObject([{ bookingId, reason: 'qualification_revoked' }]);
    expect((await call('GET', `/api/bookings/${bookingId}`, u.sue)).json().flag).toMatchObject({ qualificationId, reason: expect.stringMatching(/revoked/) });
    const attention = (await call('GET', '/api/attention', u.mia)).json().bookings;
    expect(attention).toMatchObject([{ bookingId, reason: 'qualification_revoked' }]);
    const history = (await call('GET', `/api/qualifications/${qualificationId}/history`, u.sue)).json().events;
    expect(history.map((e: { action: string }) => e.action)).toEqual(['qualification.granted', 'qualification.revoked']);
    expect((await call('POST', `/api/qualifications/${qualificationId}/revoke`, u.mia, { reason: 'again' })).statusCode).toBe(409);
  });

  it('lets the qualification lapse on time: reminded first, then the later bookings on the tool flagged', async () => {
    const later = await aBooking(world.db, u.olga.actor, 'MOCVD-1', new Date(day(5, 0)));
    const existing = (await call('GET', '/api/qualifications?user=olga', u.mia)).json().qualifications[0];
    const renewed = await call('POST', `/api/qualifications/${existing.id}/renew`, u.mia, {
      expiresAt: new Date(world.clock.now().getTime() + 2_500).toISOString(),
    });
    expect(renewed.statusCode).toBe(200);
    await expect
      .poll(async () => (await call('GET', `/api/bookings/${later.id}`, u.olga)).json().flag, { timeout: 15_000, interval: 250 })
      .toMatchObject({ qualificationId: existing.id, reason: expect.stringMatching(/lapsed/) });
    const history = (await call('GET', `/api/qualifications/${existing.id}/history`, u.olga)).json().events;
    expect(history.map((e: { action: string }) => e.action)).toEqual(['qualification.renewed', 'qualification.reminded', 'qualification.lapsed']);
    expect((await call('GET', `/api/qualifications/${existing.id}`, u.olga)).json().state).toBe('expired');
  });
});
