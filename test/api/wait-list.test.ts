import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { aPolicy, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { startApiWorld, type ApiWorld } from '../support/world.js';

// The wait list over HTTP: join from the "no slot fits" answer, be offered what a cancellation
// frees, accept it; other tenants' bookings never show in an entry or an offer; bad input writes nothing.

let world: ApiWorld;
let alice: TestUser;
let bob: TestUser;
let mona: TestUser;

const day = '2036-03-04';
const at = (hhmm: string) => `${day}T${hhmm}:00.000Z`;
const settles = { timeout: 20_000, interval: 100 };

beforeAll(async () => {
  world = await startApiWorld(new Date('2036-03-03T00:00:00Z'), async (db) => {
    await aTool(db, 'PRB-1', 'probe');
    await aPolicy(db, 'probe');
    alice = await aUser(db, 'alice', 'uni-a', 'tenant_user', ['probe']);
    bob = await aUser(db, 'bob-secret', 'co-secret', 'tenant_user', ['probe']);
    mona = await aUser(db, 'mona', 'institute', 'lab_manager');
  });
});

afterAll(async () => {
  await world?.[Symbol.asyncDispose]();
});

const wish = (from: string, to: string) => ({ toolIds: ['PRB-1'], durationMin: 60, earliestStart: at(from), latestEnd: at(to), material: 'SiC', waferSize: 150 });

async function book(user: TestUser, from: string, to: string) {
  const response = await world.api.call('POST', '/api/bookings', { token: user.token, body: { requestId: newRequestId(), ...wish(from, to) } });
  expect(response.statusCode).toBe(201);
  return response.json().booking.id as string;
}

const entries = () => world.db.waitListEntry.count();

describe('the wait list over HTTP', () => {
  it('joins from "no slot fits", offers what a cancellation frees, and the offer accepted is a booking', async () => {
    const bobs = await book(bob, '02:00', '03:00');
    const request = { requestId: newRequestId(), ...wish('02:00', '03:00') };
    const none = await world.api.call('POST', '/api/bookings', { token: alice.token, body: request });
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe('NO_FEASIBLE_SLOT');

    const joined = await world.api.call('POST', '/api/wait-list', { token: alice.token, body: request });
    expect(joined.statusCode).toBe(201);
    const entry = joined.json();
    expect(entry).toMatchObject({ state: 'waiting', offer: null, requestId: request.requestId, toolIds: ['PRB-1'] });
    // The same request again is the same entry; another user replaying its id learns nothing.
    expect((await world.api.call('POST', '/api/wait-list', { token: alice.token, body: request })).json().id).toBe(entry.id);
    expect((await world.api.call('POST', '/api/wait-list', { token: bob.token, body: request })).statusCode).toBe(403);
    expect((await world.api.call('GET', `/api/wait-list/${entry.id}`, { token: bob.token })).statusCode).toBe(404);

    expect((await world.api.call('POST', `/api/bookings/${bobs}/cancel`, { token: bob.token, body: {} })).statusCode).toBe(200);
    let offered: { offer: { bookingId: string; startsAt: string; expiresAt: string } | null; state: string } = entry;
    await vi.waitFor(async () => {
      offered = (await world.api.call('GET', `/api/wait-list/${entry.id}`, { token: alice.token })).json();
      expect(offered.state).toBe('offered');
    }, settles);
    expect(offered.offer).toMatchObject({ state: 'open', toolId: 'PRB-1', startsAt: at('02:00'), endsAt: at('03:00') });
    // The offered hold is answered on the wait list, not as an ordinary held booking, and waits for no manager.
    const cancelOffer = await world.api.call('POST', `/api/bookings/${offered.offer!.bookingId}/cancel`, { token: alice.token, body: {} });
    expect(cancelOffer.statusCode).toBe(409);
    expect(cancelOffer.json().detail).toContain(`/api/wait-list/${entry.id}`);
    const queue = (await world.api.call('GET', '/api/approvals', { token: mona.token })).json();
    expect(queue.bookings.map((b: { id: string }) => b.id)).not.toContain(offered.offer!.bookingId);

    const mine = (await world.api.call('GET', '/api/wait-list?mine=true&state=offered', { token: alice.token })).json();
    expect(mine.entries.map((e: { id: string }) => e.id)).toEqual([entry.id]);
    expect((await world.api.call('GET', '/api/wait-list', { token: bob.token })).json().entries).toEqual([]);

    const accepted = await world.api.call('POST', `/api/wait-list/${entry.id}/accept`, { token: alice.token, body: {} });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ entry: { state: 'accepted', offer: null }, booking: { id: offered.offer!.bookingId, state: 'confirmed', userId: 'alice' } });
    const again = await world.api.call('POST', `/api/wait-list/${entry.id}/accept`, { token: alice.token, body: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('INVALID_STATE');
    // The accepted offer is an ordinary booking now: its own workflow answers for it.
    const cancelled = await world.api.call('POST', `/api/bookings/${offered.offer!.bookingId}/cancel`, { token: alice.token, body: {} });
    expect(cancelled.statusCode).toBe(200);
  });

  it("never shows another tenant's booking in an entry or an offer", async () => {
    // Bob keeps 04:00–05:00; 05:00–06:00 frees up: alice is offered it, and sees nothing of bob's.
    const bobsKept = await book(bob, '04:00', '05:00');
    const bobsFreed = await book(bob, '05:00', '06:00');
    const joined = await world.api.call('POST', '/api/wait-list', { token: alice.token, body: { requestId: newRequestId(), ...wish('04:00', '06:00') } });
    expect(joined.statusCode).toBe(201);
    const entry = joined.json();
    await world.api.call('POST', `/api/bookings/${bobsFreed}/cancel`, { token: bob.token, body: {} });
    let body = '';
    await vi.waitFor(async () => {
      const seen = await world.api.call('GET', `/api/wait-list/${entry.id}`, { token: alice.token });
      body = seen.body;
      expect(seen.json().state).toBe('offered');
    }, settles);
    const list = (await world.api.call('GET', '/api/wait-list', { token: alice.token })).body;
    for (const text of [body, list]) {
      for (const secret of [bobsKept, bobsFreed, 'co-secret', 'bob-secret']) expect(text, `leaks ${secret}`).not.toContain(secret);
    }
    expect(JSON.parse(body).offer).toMatchObject({ startsAt: at('05:00'), endsAt: at('06:00') });
    const declined = await world.api.call('POST', `/api/wait-list/${entry.id}/decline`, { token: alice.token, body: {} });
    expect(declined.json()).toMatchObject({ state: 'waiting', offer: null });
    const left = await world.api.call('POST', `/api/wait-list/${entry.id}/withdraw`, { token: alice.token, body: { note: 'found another way' } });
    expect(left.json()).toMatchObject({ state: 'withdrawn', closeReason: 'left the wait list' });
  });

  it('refuses a window that has passed, an unknown tool and bad text with a 4xx naming the field, writing nothing', async () => {
    const before = await entries();
    const past = await world.api.call('POST', '/api/wait-list', {
      token: alice.token,
      body: { requestId: newRequestId(), ...wish('02:00', '03:00'), earliestStart: '2036-03-02T00:00:00Z', latestEnd: '2036-03-02T01:00:00Z' },
    });
    expect(past.statusCode).toBe(422);
    expect(past.json().issues).toEqual([expect.objectContaining({ field: 'body.latestEnd' })]);

    const unknown = await world.api.call('POST', '/api/wait-list', { token: alice.token, body: { requestId: newRequestId(), ...wish('02:00', '03:00'), toolIds: ['NOPE-9'] } });
    expect(unknown.statusCode).toBe(404);

    const nul = await world.api.call('POST', '/api/wait-list', { token: alice.token, body: { requestId: newRequestId(), ...wish('02:00', '03:00'), purpose: 'a\u0000b' } });
    expect(nul.statusCode).toBe(422);
    expect(nul.json().issues[0].field).toBe('body.purpose');
    expect(await entries()).toBe(before);
    expect(await world.db.freedTime.count({ where: { reason: 'joined', sourceId: null } })).toBe(0);
  });
});
