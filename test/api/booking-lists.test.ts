import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSecret, tokenPrefix } from '../../src/accounts/secrets.js';
import type { Db } from '../../src/data/db.js';
import { aPolicy, aRate, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { startApiWorld, type ApiWorld } from '../support/world.js';

// The booking lists (newest first, keyset pages, filters, search), a booking's history and what
// each action on it would do now — against the real API, worker and database.

const hour = 3_600_000;
const day = 24 * hour;
// Real time: the workflow's timers and the API's clock agree, so "what the API says is allowed"
// can be checked against what the workflow accepts.
const now = new Date(Math.ceil(Date.now() / hour) * hour);
const iso = (ms: number) => new Date(ms).toISOString();

let world: ApiWorld;
let alice: TestUser;
let amir: TestUser;
let bob: TestUser;
let mona: TestUser;
let otto: TestUser;

/** A finished booking written as history is (the seed's way): no workflow behind it. */
async function pastBooking(db: Db, user: TestUser, toolId: string, startsAt: number, state: 'completed' | 'cancelled' | 'no_show' | 'expired', purpose: string) {
  const requestId = randomUUID();
  return db.booking.create({
    data: {
      requestId,
      workflowId: `history-${requestId}`,
      tenantId: user.actor.tenantId,
      userId: user.actor.userId,
      toolId,
      startsAt: new Date(startsAt),
      endsAt: new Date(startsAt + hour),
      state,
      material: 'SiC',
      waferSize: 150,
      purpose,
    },
  });
}

beforeAll(async () => {
  world = await startApiWorld(new Date(), async (db) => {
    await aTool(db, 'SEM-1', 'sem', { name: 'Field-emission SEM' });
    await aTool(db, 'AFM-1', 'afm', { name: 'Atomic force microscope' });
    await aTool(db, 'EPI-1', 'epi', { name: 'MOCVD reactor 1' });
    await aPolicy(db, 'sem');
    await aPolicy(db, 'afm', { checkInGraceMin: 10, lateCancelMin: 6 * 60 });
    await aPolicy(db, 'epi', { approvalRequired: true });
    await aRate(db, 'afm', 'university', 40_000);
    alice = await aUser(db, 'alice', 'uni-a', 'tenant_user', ['sem', 'afm', 'epi']);
    amir = await aUser(db, 'amir', 'uni-a', 'tenant_user', ['sem']);
    bob = await aUser(db, 'bob', 'uni-b', 'tenant_user', ['sem', 'afm']);
    mona = await aUser(db, 'mona', 'institute', 'lab_manager');
    otto = await aUser(db, 'otto', 'institute', 'ops');
    await db.user.update({ where: { id: 'bob' }, data: { name: 'Bob Wong' } });
    await db.tenant.update({ where: { id: 'uni-b' }, data: { name: 'Harbour University' } });
    // 90 days of finished bookings, two a day, and a hold that expired just now for tomorrow.
    for (let d = 90; d >= 1; d--) {
      await pastBooking(db, alice, 'SEM-1', now.getTime() - d * day + 9 * hour, d % 7 === 0 ? 'no_show' : 'completed', `run ${d}`);
      await pastBooking(db, bob, 'AFM-1', now.getTime() - d * day + 14 * hour, 'completed', `scan ${d}`);
    }
  });
}, 180_000);

afterAll(async () => {
  await world?.[Symbol.asyncDispose]();
});

const get = async (user: TestUser, url: string) => {
  const response = await world.api.call('GET', url, { token: user.token });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

async function book(user: TestUser, body: Record<string, unknown>) {
  const response = await world.api.call('POST', '/api/bookings', {
    token: user.token,
    body: { requestId: newRequestId(), material: 'SiC', waferSize: 150, ...body },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().booking as { id: string; state: string; startsAt: string };
}

const finished = 'completed,cancelled,rejected,expired,no_show';

describe('the booking list', () => {
  it('lists newest first: the hold that just expired is first on page 1, and pages go on without repeats or gaps while bookings are added', async () => {
    const expired = await pastBooking(world.db, alice, 'SEM-1', now.getTime() + day + 10 * hour, 'expired', 'expired hold');
    const first = await get(alice, `/api/bookings?state=${finished}&limit=20`);
    expect(first.bookings[0].id).toBe(expired.id);
    expect(first.bookings).toHaveLength(20);
    expect(first.nextCursor).toEqual(expect.any(String));
    const starts = first.bookings.map((b: { startsAt: string }) => Date.parse(b.startsAt));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));

    // Inserts on both sides of the cursor: the next pages neither repeat nor skip a row that was there.
    await pastBooking(world.db, alice, 'SEM-1', now.getTime() + 2 * day, 'cancelled', 'newer than page 1');
    await pastBooking(world.db, alice, 'SEM-1', now.getTime() - 200 * day, 'completed', 'older than all');
    const seen: string[] = first.bookings.map((b: { id: string }) => b.id);
    let cursor: string | null = first.nextCursor;
    let pages = 1;
    while (cursor) {
      const page = await get(alice, `/api/bookings?state=${finished}&limit=20&cursor=${cursor}`);
      seen.push(...page.bookings.map((b: { id: string }) => b.id));
      cursor = page.nextCursor;
      pages++;
    }
    const all = await world.db.booking.findMany({ where: { tenantId: 'uni-a', state: { in: ['completed', 'cancelled', 'no_show', 'expired'] } }, orderBy: [{ startsAt: 'desc' }, { id: 'desc' }] });
    // Everything but the row inserted before page 1's position, in order, once each.
    expect(seen).toEqual(all.filter((b) => b.purpose !== 'newer than page 1').map((b) => b.id));
    expect(pages).toBe(Math.ceil(seen.length / 20));
  });

  it('shows names instead of ids, and when each booking’s actions change', async () => {
    const page = await get(mona, `/api/bookings?tenant=uni-b&limit=1`);
    expect(page.bookings[0]).toMatchObject({ userId: 'bob', userName: 'Bob Wong', tenantName: 'Harbour University', toolName: 'Atomic force microscope' });
    const start = Date.parse(page.bookings[0].startsAt);
    // The AFM policy: 10 min grace, late from 6 h before; check-in opens 15 min before the start.
    expect(page.bookings[0].times).toEqual({ checkInOpensAt: iso(start - 15 * 60_000), noShowAt: iso(start + 10 * 60_000), lateCancelFrom: iso(start - 6 * hour) });
  });

  it('filters by tool, state, period and tenant (staff only), and searches purpose, tool, ids and — for staff — names', async () => {
    const ids = (page: { bookings: Array<{ id: string }> }) => page.bookings.map((b) => b.id);
    const sem = await get(alice, '/api/bookings?tool=SEM-1&limit=500');
    expect(sem.bookings.every((b: { toolId: string }) => b.toolId === 'SEM-1')).toBe(true);
    const noShows = await get(alice, '/api/bookings?state=no_show&limit=500');
    expect(noShows.bookings.length).toBe(12);
    const week = await get(alice, `/api/bookings?from=${iso(now.getTime() - 7 * day)}&to=${iso(now.getTime())}&limit=500`);
    expect(week.bookings.length).toBe(7);
    // A tenant user only ever sees their own tenant, and may not ask for another.
    expect((await world.api.call('GET', '/api/bookings?tenant=uni-b', { token: alice.token })).statusCode).toBe(403);
    expect((await get(alice, '/api/bookings?limit=500')).bookings.every((b: { tenantId: string }) => b.tenantId === 'uni-a')).toBe(true);

    expect((await get(alice, '/api/bookings?q=RUN%2012&limit=500')).bookings.map((b: { purpose: string }) => b.purpose)).toEqual(['run 12']);
    expect((await get(alice, '/api/bookings?q=field-emission&limit=3')).bookings).toHaveLength(3);
    // LIKE's wildcards are plain characters in a search.
    expect((await get(alice, '/api/bookings?q=%25&limit=500')).bookings).toEqual([]);
    expect((await get(alice, '/api/bookings?q=r_n&limit=500')).bookings).toEqual([]);
    const one = (await get(alice, '/api/bookings?limit=1')).bookings[0];
    expect(ids(await get(alice, `/api/bookings?q=${one.id}`))).toEqual([one.id]);
    expect(ids(await get(alice, `/api/bookings?q=${one.requestId}`))).toEqual([one.id]);
    // Names: staff find a tenant's bookings by its name; a tenant user searching another's name finds nothing of it.
    const byName = await get(mona, '/api/bookings?q=harbour&limit=500');
    expect(byName.bookings.length).toBe(90);
    expect(byName.bookings.every((b: { tenantId: string }) => b.tenantId === 'uni-b')).toBe(true);
    expect((await get(mona, '/api/bookings?q=bob%20wong&limit=5')).bookings).toHaveLength(5);
    expect((await get(alice, '/api/bookings?q=harbour')).bookings).toEqual([]);
  });

  it('refuses a cursor it did not make, or one made for another order, naming the field', async () => {
    for (const cursor of ['not a cursor', 'eyJ4IjoxfQ', Buffer.from('{"o":"newest","s":1,"i":"x"}').toString('base64url')]) {
      const response = await world.api.call('GET', `/api/bookings?cursor=${encodeURIComponent(cursor)}`, { token: alice.token });
      expect(response.statusCode).toBe(422);
      expect(response.json().issues[0].field).toMatch(/^query\.cursor/);
    }
    const page = await get(alice, '/api/bookings?limit=2');
    const other = await world.api.call('GET', `/api/bookings?order=soonest&cursor=${page.nextCursor}`, { token: alice.token });
    expect(other.statusCode).toBe(422);
    expect(other.json().issues[0].field).toBe('query.cursor');
  });

  it('pages lot routes newest first too, and leaves their steps out of the booking list on request', async () => {
    const lotIds: string[] = [];
    for (const name of ['lot A', 'lot B', 'lot C']) {
      const created = await world.api.call('POST', '/api/lots', {
        token: alice.token,
        body: {
          requestId: newRequestId(),
          name,
          material: 'SiC',
          waferSize: 150,
          earliestStart: iso(now.getTime() + 20 * day),
          latestEnd: iso(now.getTime() + 21 * day),
          steps: [{ name: 'scan', toolTypeId: 'afm', durationMin: 30 }],
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      lotIds.push(created.json().lot.id);
    }
    const first = await get(alice, '/api/lots?limit=2');
    expect(first.lots.map((l: { id: string }) => l.id)).toEqual([lotIds[2], lotIds[1]]);
    const second = await get(alice, `/api/lots?limit=2&cursor=${first.nextCursor}`);
    expect(second.lots.map((l: { id: string }) => l.id)).toEqual([lotIds[0]]);
    expect(second.nextCursor).toBeNull();
    expect((await get(alice, '/api/lots?q=lot%20b')).lots.map((l: { name: string }) => l.name)).toEqual(['lot B']);
    expect((await get(bob, '/api/lots')).lots).toEqual([]);
    const singles = await get(alice, '/api/bookings?lotSteps=false&limit=500');
    expect(singles.bookings.every((b: { lotStepId: string | null }) => b.lotStepId === null)).toBe(true);
    expect((await get(alice, '/api/bookings?lotSteps=true')).bookings).toHaveLength(3);
  });
});

describe('a booking’s detail', () => {
  it('tells what each action does now, as the workflow will decide it: check-in refused before its window (409), accepted in it', async () => {
    const later = await book(alice, { toolIds: ['AFM-1'], durationMin: 60, earliestStart: iso(now.getTime() + 3 * hour), latestEnd: iso(now.getTime() + 4 * hour) });
    const actions = await get(alice, `/api/bookings/${later.id}/actions`);
    const checkIn = actions.actions.find((a: { action: string }) => a.action === 'check-in');
    expect(checkIn).toMatchObject({ allowed: false, changesAt: iso(Date.parse(later.startsAt) - 15 * 60_000) });
    expect(checkIn.note).toContain('Check-in opens');
    expect((await world.api.call('POST', `/api/bookings/${later.id}/check-in`, { token: alice.token })).statusCode).toBe(409);
    // Inside the 6-hour late-cancel lead: cancelling now is late, charged the policy's share (50 % by default) of an hour at HK$400.
    expect(actions.cancel).toEqual({ late: true, lateFrom: iso(Date.parse(later.startsAt) - 6 * hour), penaltyFree: false, chargePercent: 50, charge: { amountCents: 20_000, currency: 'HKD' } });
    expect(actions.rate).toEqual({ hourlyRateCents: 40_000, currency: 'HKD', tenantClass: 'university' });
    // Another tenant's booking: not found, for its actions as for itself.
    expect((await world.api.call('GET', `/api/bookings/${later.id}/actions`, { token: bob.token })).statusCode).toBe(404);

    // Starting in ten minutes: check-in is open now, and the workflow accepts it.
    const soon = await book(alice, { toolIds: ['SEM-1'], durationMin: 30, earliestStart: iso(Date.now() + 10 * 60_000), latestEnd: iso(Date.now() + 60 * 60_000) });
    const open = (await get(alice, `/api/bookings/${soon.id}/actions`)).actions.find((a: { action: string }) => a.action === 'check-in');
    expect(open.allowed).toBe(true);
    const checkedIn = await world.api.call('POST', `/api/bookings/${soon.id}/check-in`, { token: alice.token });
    expect(checkedIn.statusCode, checkedIn.body).toBe(200);
    const after = (await get(alice, `/api/bookings/${soon.id}/actions`)).actions.map((a: { action: string; allowed: boolean }) => [a.action, a.allowed]);
    expect(after).toEqual([['check-out', true]]);
  });

  it('offers approve and reject to lab managers only, and never late for a held booking', async () => {
    const held = await book(alice, { toolIds: ['EPI-1'], durationMin: 120, earliestStart: iso(now.getTime() + 2 * day), latestEnd: iso(now.getTime() + 3 * day) });
    expect(held.state).toBe('held');
    const asAlice = await get(alice, `/api/bookings/${held.id}/actions`);
    expect(asAlice.actions.map((a: { action: string }) => a.action)).toEqual(['check-in', 'cancel', 'reschedule']);
    expect(asAlice.cancel).toMatchObject({ late: false, lateFrom: null });
    const asMona = await get(mona, `/api/bookings/${held.id}/actions`);
    expect(asMona.actions.filter((a: { allowed: boolean }) => a.allowed).map((a: { action: string }) => a.action)).toEqual(['cancel', 'reschedule', 'approve', 'reject']);
    const asOtto = await get(otto, `/api/bookings/${held.id}/actions`);
    expect(asOtto.actions.map((a: { action: string }) => a.action)).not.toContain('approve');
  });

  it('keeps the history of a booking: requested and confirmed, then cancelled late by a colleague with a reason — each entry with who did it', async () => {
    const booked = await book(amir, { toolIds: ['SEM-1'], durationMin: 60, earliestStart: iso(now.getTime() + 5 * day), latestEnd: iso(now.getTime() + 6 * day) });
    await world.db.policy.update({ where: { id: 'policy-sem' }, data: { lateCancelMin: 10 * 24 * 60 } });
    const cancelled = await world.api.call('POST', `/api/bookings/${booked.id}/cancel`, { token: alice.token, body: { reason: 'sample not ready' } });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const history = await get(amir, `/api/bookings/${booked.id}/history`);
    expect(history.entries.map((e: { action: string; summary: string; actor: { name: string } | null; note: string | null }) => [e.action, e.summary, e.actor?.name, e.note])).toEqual([
      ['booking.confirmed', 'Requested and confirmed', 'amir', null],
      ['booking.cancelled', 'Cancelled (late)', 'alice', 'sample not ready'],
    ]);
    expect(history.entries[0].slot).toEqual({ toolId: 'SEM-1', startsAt: booked.startsAt, endsAt: iso(Date.parse(booked.startsAt) + hour) });
    expect((await world.api.call('GET', `/api/bookings/${booked.id}/history`, { token: bob.token })).statusCode).toBe(404);
  });

  it('shows a maintenance move in the history with its reason, and nothing of the other tenant’s booking it moved', async () => {
    const start = now.getTime() + 8 * day;
    const mine = await book(alice, { toolIds: ['SEM-1'], durationMin: 60, earliestStart: iso(start), latestEnd: iso(start + 6 * hour) });
    const theirs = await book(bob, { toolIds: ['SEM-1'], durationMin: 60, earliestStart: iso(start + hour), latestEnd: iso(start + 6 * hour) });
    const proposed = await world.api.call('POST', '/api/maintenance', {
      token: otto.token,
      body: { requestId: newRequestId(), toolIds: ['SEM-1'], startsAt: iso(start), endsAt: iso(start + 2 * hour), reason: 'column bake-out' },
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const confirmed = await world.api.call('POST', `/api/maintenance/${proposed.json().maintenance.id}/confirm`, { token: otto.token, body: {} });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const history = await get(alice, `/api/bookings/${mine.id}/history`);
    const moved = history.entries.at(-1);
    expect(moved).toMatchObject({ action: 'maintenance.moved', summary: 'Moved by maintenance', note: 'column bake-out', actor: { name: 'otto', role: 'ops' } });
    expect(JSON.stringify(history)).not.toContain(theirs.id);
    expect(JSON.stringify(history)).not.toContain('uni-b');
    const actions = await get(alice, `/api/bookings/${mine.id}/actions`);
    expect(actions.cancel.penaltyFree).toBe(true);
    expect(actions.actions.find((a: { action: string }) => a.action === 'decline-move')?.allowed).toBe(true);
  });
});

describe('the request form’s starting point', () => {
  it('names the types and tools I am qualified on and until when, their rules, my tenant’s quota left this week, and what I booked last', async () => {
    const expires = new Date(Date.now() + 30 * day);
    await world.db.user.create({ data: { id: 'quinn', tenantId: 'uni-a', name: 'Quinn', email: 'quinn@example.org', role: 'tenant_user' } });
    await world.db.qualification.create({ data: { userId: 'quinn', toolId: 'AFM-1', grantedAt: new Date('2020-01-01T00:00:00Z'), expiresAt: expires } });
    const { secret, hash } = newSecret(tokenPrefix);
    await world.db.apiToken.create({ data: { userId: 'quinn', tokenHash: hash, name: 'test' } });
    await world.db.policy.update({ where: { id: 'policy-sem' }, data: { weeklyQuotaMin: 600, startGridMin: 30 } });

    const quinns = (await world.api.call('GET', '/api/me/booking-options', { token: secret })).json();
    expect(quinns.recent).toBeNull();
    expect(quinns.toolTypes.filter((t: { qualified: boolean }) => t.qualified).map((t: { id: string }) => t.id)).toEqual(['afm']);
    const afm = quinns.toolTypes.find((t: { id: string }) => t.id === 'afm');
    expect(afm.tools).toEqual([expect.objectContaining({ id: 'AFM-1', qualified: true, qualifiedUntil: new Date(Math.floor(expires.getTime() / 60_000) * 60_000).toISOString() })]);
    expect(afm.policy).toMatchObject({ lateCancelMin: 360, checkInGraceMin: 10, startGridMin: 15 });
    expect(afm.rate).toEqual({ hourlyRateCents: 40_000, currency: 'HKD' });
    expect(afm.quota.limitMin).toBeNull();

    const alices = (await world.api.call('GET', '/api/me/booking-options', { token: alice.token })).json();
    const last = await world.db.booking.findFirstOrThrow({ where: { userId: 'alice' }, orderBy: { createdAt: 'desc' }, include: { tool: true } });
    expect(alices.recent).toEqual({ material: last.material, waferSize: last.waferSize, contaminationGroup: last.contaminationGroup, toolTypeId: last.tool.toolTypeId });
    const sem = alices.toolTypes.find((t: { id: string }) => t.id === 'sem');
    expect(sem.policy.startGridMin).toBe(30);
    // The quota week is Monday 00:00 HKT; the tenant's SEM minutes in it, counted here from the rows.
    const weekStart = Date.parse(sem.quota.weekStart);
    expect(new Date(weekStart + 8 * hour).getUTCDay()).toBe(1);
    expect(new Date(weekStart + 8 * hour).getUTCHours()).toBe(0);
    const rows = await world.db.booking.findMany({
      where: { tenantId: 'uni-a', toolId: 'SEM-1', state: { in: ['held', 'confirmed', 'in_use', 'completed', 'no_show'] }, startsAt: { lt: new Date(weekStart + 7 * day) }, endsAt: { gt: new Date(weekStart) } },
    });
    const used = rows.reduce((sum, b) => sum + (Math.min(b.endsAt.getTime(), weekStart + 7 * day) - Math.max(b.startsAt.getTime(), weekStart)) / 60_000, 0);
    expect(sem.quota).toMatchObject({ limitMin: 600, usedMin: used, leftMin: Math.max(0, 600 - used) });
    expect(used).toBeGreaterThan(0);
  });

  it('previews several starts per free gap on the tool’s grid, every gap’s first before any second', async () => {
    // A lab manager sets the SEM's own grid through the policy API (a bad one is refused, naming the field).
    const bad = await world.api.call('PATCH', '/api/policies/policy-sem', { token: mona.token, body: { startGridMin: 0 } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().issues[0].field).toBe('body.startGridMin');
    const set = await world.api.call('PATCH', '/api/policies/policy-sem', { token: mona.token, body: { startGridMin: 30 } });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().startGridMin ?? set.json().policy?.startGridMin).toBe(30);
    const from = now.getTime() + 30 * day;
    const response = await world.api.call('POST', '/api/placements/preview', {
      token: alice.token,
      body: { toolIds: ['SEM-1'], durationMin: 60, earliestStart: iso(from + 7 * 60_000), latestEnd: iso(from + 12 * hour), material: 'SiC', waferSize: 150, startsPerGap: 4, maxOptions: 8 },
    });
    expect(response.statusCode, response.body).toBe(200);
    const { options } = response.json();
    // One free gap from 00:07 on: the SEM policy's 30-minute grid, first and last start of the gap first.
    expect(options.map((o: { startsAt: string }) => (Date.parse(o.startsAt) - from) / 60_000)).toEqual([30, 660, 240, 450]);
    expect(options.every((o: { gap: { firstStart: string } }) => o.gap.firstStart === iso(from + 7 * 60_000))).toBe(true);
  });
});
