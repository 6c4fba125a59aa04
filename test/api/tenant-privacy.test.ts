import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPolicy, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { startApiWorld, type ApiWorld } from '../support/world.js';

// Two tenants on one tool: whatever a tenant user reads, the other tenant's bookings appear only as
// busy time — no booking id, tenant or user of theirs in any answer, success or problem.

let world: ApiWorld;
let alice: TestUser;
let bob: TestUser;
let otto: TestUser;
let olly: TestUser;
const bookings = {} as Record<'alice' | 'bobMovable' | 'bobStuck', string>;
let maintenanceId: string;

const day = '2035-06-02';
const at = (hhmm: string) => `${day}T${hhmm}:00.000Z`;

beforeAll(async () => {
  world = await startApiWorld(new Date('2035-06-01T00:00:00Z'), async (db) => {
    await aTool(db, 'PRB-1', 'probe');
    await aPolicy(db, 'probe');
    alice = await aUser(db, 'alice', 'uni-a', 'tenant_user', ['probe']);
    bob = await aUser(db, 'bob-secret', 'co-secret', 'tenant_user', ['probe']);
    otto = await aUser(db, 'otto', 'institute', 'ops');
    olly = await aUser(db, 'olly', 'institute', 'ops');
  });
  const book = async (user: TestUser, earliest: string, latest: string) => {
    const response = await world.api.call('POST', '/api/bookings', {
      token: user.token,
      body: { requestId: newRequestId(), toolIds: ['PRB-1'], durationMin: 60, earliestStart: at(earliest), latestEnd: at(latest), material: 'SiC', waferSize: 150 },
    });
    expect(response.statusCode).toBe(201);
    return response.json().booking.id as string;
  };
  bookings.alice = await book(alice, '02:00', '12:00');
  bookings.bobMovable = await book(bob, '03:00', '12:00');
  bookings.bobStuck = await book(bob, '04:00', '05:00');
  const proposed = await world.api.call('POST', '/api/maintenance', {
    token: otto.token,
    body: { requestId: newRequestId(), toolIds: ['PRB-1'], startsAt: at('02:00'), endsAt: at('05:00'), reason: 'probe card swap' },
  });
  expect(proposed.statusCode).toBe(201);
  maintenanceId = proposed.json().maintenance.id;
});

afterAll(async () => {
  await world?.[Symbol.asyncDispose]();
});

/** Nothing of `user`'s tenant shows in `body`. */
function expectNothingOf(tenant: 'alice' | 'bob', body: string) {
  const secrets =
    tenant === 'bob' ? [bookings.bobMovable, bookings.bobStuck, 'co-secret', 'bob-secret'] : [bookings.alice, 'uni-a', '"alice"'];
  for (const secret of secrets) expect(body, `leaks ${secret}`).not.toContain(secret);
}

describe("other tenants' bookings only as busy", () => {
  it('shows a maintenance impact to each tenant with only its own bookings; staff see all', async () => {
    const url = `/api/maintenance/${maintenanceId}`;
    const asAlice = await world.api.call('GET', url, { token: alice.token });
    expectNothingOf('bob', asAlice.body);
    const aliceView = asAlice.json().impact;
    expect(aliceView.moves.map((m: { bookingId: string }) => m.bookingId)).toEqual([bookings.alice]);
    expect(aliceView.unplaceable).toEqual([]);
    expect(aliceView.busy).toEqual([
      { toolId: 'PRB-1', startsAt: at('03:00'), endsAt: at('04:00') },
      { toolId: 'PRB-1', startsAt: at('04:00'), endsAt: at('05:00') },
    ]);

    const asBob = await world.api.call('GET', url, { token: bob.token });
    expectNothingOf('alice', asBob.body);
    const bobView = asBob.json().impact;
    expect(bobView.moves.map((m: { bookingId: string }) => m.bookingId)).toEqual([bookings.bobMovable]);
    expect(bobView.unplaceable.map((u: { bookingId: string }) => u.bookingId)).toEqual([bookings.bobStuck]);
    expect(bobView.busy).toEqual([{ toolId: 'PRB-1', startsAt: at('02:00'), endsAt: at('03:00') }]);

    const asOps = (await world.api.call('GET', url, { token: otto.token })).json().impact;
    expect(asOps.moves).toHaveLength(2);
    expect(asOps.unplaceable).toHaveLength(1);
    expect(asOps.busy).toBeUndefined();
    // The counts stay whole for everyone: they name nobody.
    expect(aliceView.metrics).toEqual(asOps.metrics);
  });

  it('lists maintenance and the schedule without naming the other tenant', async () => {
    const list = await world.api.call('GET', '/api/maintenance?tool=PRB-1', { token: alice.token });
    expect(list.json().maintenance.map((m: { id: string }) => m.id)).toEqual([maintenanceId]);
    expectNothingOf('bob', list.body);
    const schedule = await world.api.call('GET', `/api/schedule?from=${at('00:00')}&to=${at('23:00')}`, { token: alice.token });
    expectNothingOf('bob', schedule.body);
    expect(schedule.json().tools[0].blocks.filter((b: { kind: string }) => b.kind === 'busy')).toHaveLength(2);
    const mine = await world.api.call('GET', '/api/bookings?tool=PRB-1', { token: alice.token });
    expectNothingOf('bob', mine.body);
  });

  it("explains a refused request without the other tenant's bookings: preview, booking and lot", async () => {
    const wish = { toolIds: ['PRB-1'], durationMin: 60, earliestStart: at('03:00'), latestEnd: at('05:00'), material: 'SiC', waferSize: 150 };
    const preview = await world.api.call('POST', '/api/placements/preview', { token: alice.token, body: wish });
    expect(preview.json()).toMatchObject({ kind: 'unplaced', explanation: [{ toolId: 'PRB-1', reasons: [{ code: 'FULLY_BOOKED' }] }] });
    expectNothingOf('bob', preview.body);

    const refused = await world.api.call('POST', '/api/bookings', { token: alice.token, body: { requestId: newRequestId(), ...wish } });
    expect(refused.statusCode).toBe(409);
    expectNothingOf('bob', refused.body);

    const lot = await world.api.call('POST', '/api/lots', {
      token: alice.token,
      body: {
        requestId: newRequestId(),
        name: 'probe only',
        material: 'SiC',
        waferSize: 150,
        earliestStart: at('03:00'),
        latestEnd: at('05:00'),
        steps: [{ name: 'probe', toolTypeId: 'probe', durationMin: 60 }],
      },
    });
    expect(lot.statusCode).toBe(409);
    expectNothingOf('bob', lot.body);
  });
});

describe("another user's requestId", () => {
  it('is refused like a placed one when its booking request found no slot: no explanation for the replayer', async () => {
    const request = { requestId: newRequestId(), toolIds: ['PRB-1'], durationMin: 60, earliestStart: at('03:00'), latestEnd: at('05:00'), material: 'SiC', waferSize: 150 };
    const first = await world.api.call('POST', '/api/bookings', { token: bob.token, body: request });
    expect(first.json().code).toBe('NO_FEASIBLE_SLOT');
    // At once (the workflow may still be closing), and once it has closed.
    for (let i = 0; i < 2; i++) {
      const replay = await world.api.call('POST', '/api/bookings', { token: alice.token, body: request });
      expect([403, 404]).toContain(replay.statusCode);
      expect(replay.json().details).toBeUndefined();
      await world.temporal.client.workflow.getHandle(`booking-${request.requestId}`).result();
    }
    // Its own requester still hears why.
    expect((await world.api.call('POST', '/api/bookings', { token: bob.token, body: request })).json().code).toBe('NO_FEASIBLE_SLOT');
  });

  it('is refused for a lot route that did not fit', async () => {
    const request = {
      requestId: newRequestId(),
      name: 'no room',
      material: 'SiC',
      waferSize: 150,
      earliestStart: at('03:00'),
      latestEnd: at('05:00'),
      steps: [{ name: 'probe', toolTypeId: 'probe', durationMin: 60 }],
    };
    expect((await world.api.call('POST', '/api/lots', { token: bob.token, body: request })).json().code).toBe('NO_FEASIBLE_SLOT');
    await world.temporal.client.workflow.getHandle(`lot-${request.requestId}`).result().catch(() => undefined);
    const replay = await world.api.call('POST', '/api/lots', { token: alice.token, body: request });
    expect([403, 404]).toContain(replay.statusCode);
    expect(replay.json().details).toBeUndefined();
  });

  it("is refused for another ops user's maintenance", async () => {
    const request = { requestId: newRequestId(), toolIds: ['PRB-1'], startsAt: at('20:00'), endsAt: at('21:00'), reason: 'calibration' };
    expect((await world.api.call('POST', '/api/maintenance', { token: otto.token, body: request })).statusCode).toBe(201);
    const replay = await world.api.call('POST', '/api/maintenance', { token: olly.token, body: request });
    expect([403, 404]).toContain(replay.statusCode);
  });
});
