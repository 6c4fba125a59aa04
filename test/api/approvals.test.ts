import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db.js';
import { aPolicy, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { startApiWorld, type ApiWorld } from '../support/world.js';

// The approvals workspace's API: beside each held request the requester's names, quota use, recent
// usage, conflicts and alternatives; a rejection says why and the requester reads it; a decision is
// due strictly before the slot starts.

let world: ApiWorld;
let alice: TestUser;
let bob: TestUser;
let mona: TestUser;
let otto: TestUser;
const now = new Date('2035-06-05T01:00:00Z'); // Tue 09:00 HKT
const iso = (s: string) => new Date(s).toISOString();
let aliceHeld: { id: string; startsAt: string; approvalDeadline: string };
let bobHeld: { id: string };
let maintenanceId: string;

async function aPastBooking(db: Db, user: TestUser, toolId: string, startsAt: string, endsAt: string, extra: Record<string, unknown>) {
  const requestId = newRequestId();
  await db.booking.create({
    data: {
      requestId,
      workflowId: `test-${requestId}`,
      tenantId: user.actor.tenantId,
      userId: user.actor.userId,
      toolId,
      startsAt: new Date(startsAt),
      endsAt: new Date(endsAt),
      state: 'completed',
      material: 'GaN',
      waferSize: 150,
      ...extra,
    },
  });
}

async function request(user: TestUser, toolIds: string[], earliestStart: string, latestEnd: string, durationMin = 240) {
  const answer = await world.api.call('POST', '/api/bookings', {
    token: user.token,
    body: { requestId: newRequestId(), toolIds, durationMin, earliestStart: iso(earliestStart), latestEnd: iso(latestEnd), material: 'GaN', waferSize: 150 },
  });
  expect(answer.statusCode).toBe(201);
  return answer.json().booking;
}

beforeAll(async () => {
  world = await startApiWorld(now, async (db) => {
    await aTool(db, 'EPI-1', 'epi', { name: 'MOCVD reactor 1' });
    await aTool(db, 'EPI-2', 'epi', { name: 'MOCVD reactor 2' });
    await aTool(db, 'SEM-1', 'sem', { name: 'Field-emission SEM' });
    await aPolicy(db, 'epi', { approvalRequired: true, approvalTimeoutMin: 2 * 24 * 60, weeklyQuotaMin: 600 });
    await aPolicy(db, 'sem');
    alice = await aUser(db, 'alice', 'uni-a', 'tenant_user', ['epi', 'sem']);
    bob = await aUser(db, 'bob', 'co-b', 'tenant_user', ['epi']);
    mona = await aUser(db, 'mona', 'institute', 'lab_manager');
    otto = await aUser(db, 'otto', 'institute', 'ops');
    await db.tenant.update({ where: { id: 'uni-a' }, data: { name: 'Victoria Harbour University' } });
    await db.tenant.update({ where: { id: 'co-b' }, data: { name: 'Peak Photonics' } });
    await db.user.update({ where: { id: 'alice' }, data: { name: 'Alice Wong' } });
    // Used 3 h of a 4 h slot on a reactor last week, missed a SEM slot, and holds 2 h more this week.
    await aPastBooking(db, alice, 'EPI-1', '2035-05-28T01:00:00Z', '2035-05-28T05:00:00Z', {
      checkedInAt: new Date('2035-05-28T01:30:00Z'),
      checkedOutAt: new Date('2035-05-28T04:30:00Z'),
    });
    await aPastBooking(db, alice, 'SEM-1', '2035-06-01T01:00:00Z', '2035-06-01T02:00:00Z', { state: 'no_show' });
    await aPastBooking(db, alice, 'EPI-2', '2035-06-06T01:00:00Z', '2035-06-06T03:00:00Z', { state: 'confirmed' });
  });
  aliceHeld = await request(alice, ['EPI-1'], '2035-06-05T04:00:00Z', '2035-06-05T08:00:00Z');
  bobHeld = await request(bob, ['EPI-2'], '2035-06-05T05:00:00Z', '2035-06-05T09:00:00Z');
  const proposed = await world.api.call('POST', '/api/maintenance', {
    token: otto.token,
    body: { requestId: newRequestId(), toolIds: ['EPI-1'], startsAt: iso('2035-06-05T06:00:00Z'), endsAt: iso('2035-06-05T07:00:00Z'), reason: 'susceptor swap' },
  });
  expect(proposed.statusCode).toBe(201);
  maintenanceId = proposed.json().maintenance.id;
});

afterAll(async () => {
  await world?.[Symbol.asyncDispose]();
});

describe('the approvals workspace API', () => {
  it('makes a decision due strictly before the slot starts, an hour ahead, even when the policy would wait longer', () => {
    expect(aliceHeld.startsAt).toBe(iso('2035-06-05T04:00:00Z'));
    expect(aliceHeld.approvalDeadline).toBe(iso('2035-06-05T03:00:00Z'));
  });

  it("gives each held request the requester's names, quota use with the request in it, recent usage and conflicts", async () => {
    const queue = (await world.api.call('GET', '/api/approvals', { token: mona.token })).json();
    const insight = queue.insights[aliceHeld.id];
    expect(insight.tenant).toEqual({ id: 'uni-a', name: 'Victoria Harbour University', class: 'university' });
    expect(insight.user).toEqual({ id: 'alice', name: 'Alice Wong' });
    expect(insight.quota).toEqual([{ toolTypeId: 'epi', weekStart: iso('2035-06-03T16:00:00Z'), usedMin: 120, requestMin: 240, limitMin: 600 }]);
    expect(insight.recent).toEqual({ days: 30, usedMin: 180, allToolsMin: 180, completed: 1, noShows: 1, lateCancels: 0 });
    expect(insight.conflicts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'pending', toolId: 'EPI-2', ref: { kind: 'booking', id: bobHeld.id }, detail: expect.stringContaining('Peak Photonics') }),
        expect.objectContaining({ kind: 'maintenance', toolId: 'EPI-1', ref: { kind: 'maintenance', id: maintenanceId }, detail: expect.stringContaining('susceptor swap') }),
      ]),
    );
    expect(queue.insights[bobHeld.id].conflicts).toEqual([expect.objectContaining({ kind: 'pending', ref: { kind: 'booking', id: aliceHeld.id } })]);
  });

  it('offers other slots the requester could have, never the one they hold', async () => {
    const answer = (await world.api.call('GET', `/api/approvals/${aliceHeld.id}/alternatives`, { token: mona.token })).json();
    expect(answer.kind).toBe('options');
    expect(answer.options.length).toBeGreaterThan(0);
    for (const option of answer.options) {
      expect(['EPI-1', 'EPI-2']).toContain(option.toolId);
      expect(option.toolId === 'EPI-1' && option.startsAt === aliceHeld.startsAt).toBe(false);
    }
    expect((await world.api.call('GET', `/api/approvals/${aliceHeld.id}/alternatives`, { token: alice.token })).statusCode).toBe(403);
  });

  it('refuses a rejection without a reason and changes nothing; a reason is kept on the booking for the requester', async () => {
    for (const body of [{}, { note: '' }, { note: '   ' }]) {
      const refused = await world.api.call('POST', `/api/bookings/${aliceHeld.id}/reject`, { token: mona.token, body });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().issues.map((i: { field: string }) => i.field)).toEqual(['body.note']);
    }
    expect((await world.api.call('GET', `/api/bookings/${aliceHeld.id}`, { token: alice.token })).json().state).toBe('held');

    const rejected = await world.api.call('POST', `/api/bookings/${aliceHeld.id}/reject`, {
      token: mona.token,
      body: { note: 'Reactor 1 is booked for the GaN buffer study; try reactor 2 on Thursday' },
    });
    expect(rejected.statusCode).toBe(200);
    const seen = (await world.api.call('GET', `/api/bookings/${aliceHeld.id}`, { token: alice.token })).json();
    expect(seen).toMatchObject({ state: 'rejected', cancelReason: 'Reactor 1 is booked for the GaN buffer study; try reactor 2 on Thursday' });
  });

  it('rejects a lot route as a whole only with a reason, kept on the lot and each step', async () => {
    const created = await world.api.call('POST', '/api/lots', {
      token: alice.token,
      body: {
        requestId: newRequestId(),
        name: 'HEMT lot 9',
        material: 'GaN',
        waferSize: 150,
        earliestStart: iso('2035-06-07T00:00:00Z'),
        latestEnd: iso('2035-06-08T00:00:00Z'),
        steps: [
          { name: 'Buffer epitaxy', toolTypeId: 'epi', durationMin: 240, maxLagToNextMin: 120 },
          { name: 'SEM cross-section', toolTypeId: 'sem', durationMin: 30 },
        ],
      },
    });
    expect(created.statusCode).toBe(201);
    const lot = created.json().lot;
    expect(lot.state).toBe('held');
    const queue = (await world.api.call('GET', '/api/approvals', { token: mona.token })).json();
    expect(queue.insights[lot.id].quota).toEqual([
      { toolTypeId: 'epi', weekStart: iso('2035-06-03T16:00:00Z'), usedMin: 120, requestMin: 240, limitMin: 600 },
      { toolTypeId: 'sem', weekStart: iso('2035-06-03T16:00:00Z'), usedMin: 0, requestMin: 30, limitMin: null },
    ]);

    const refused = await world.api.call('POST', `/api/lots/${lot.id}/reject`, { token: mona.token, body: {} });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().issues.map((i: { field: string }) => i.field)).toEqual(['body.note']);
    const rejected = await world.api.call('POST', `/api/lots/${lot.id}/reject`, { token: mona.token, body: { note: 'Wafer size not qualified on reactor 2' } });
    expect(rejected.statusCode).toBe(200);
    const seen = (await world.api.call('GET', `/api/lots/${lot.id}`, { token: alice.token })).json();
    expect(seen).toMatchObject({ state: 'rejected', cancelReason: 'Wafer size not qualified on reactor 2' });
    for (const step of seen.steps) {
      const booking = (await world.api.call('GET', `/api/bookings/${step.booking.id}`, { token: alice.token })).json();
      expect(booking).toMatchObject({ state: 'rejected', cancelReason: 'Wafer size not qualified on reactor 2' });
    }
  });
});
