import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db.js';
import { aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { startApiWorld, type ApiWorld } from '../support/world.js';

// The schedule draws what used the tools (completed bookings at their actual check-in/out) beside
// what holds them, and names tenants and people — only those the caller may see in full.

let world: ApiWorld;
let alice: TestUser;
let bob: TestUser;
let mona: TestUser;
const day = '2035-06-02';
const at = (hhmm: string) => new Date(`${day}T${hhmm}:00.000Z`);
const ids = {} as Record<'aliceDone' | 'bobDone' | 'bobNoShow' | 'aliceStep' | 'aliceCancelled' | 'lot', string>;

async function aBooking(db: Db, user: TestUser, toolId: string, from: string, to: string, extra: Record<string, unknown> = {}) {
  const requestId = newRequestId();
  const row = await db.booking.create({
    data: {
      requestId,
      workflowId: `test-${requestId}`,
      tenantId: user.actor.tenantId,
      userId: user.actor.userId,
      toolId,
      startsAt: at(from),
      endsAt: at(to),
      state: 'completed',
      material: 'GaN',
      waferSize: 150,
      ...extra,
    },
  });
  return row.id;
}

beforeAll(async () => {
  world = await startApiWorld(
    new Date('2035-06-03T00:00:00Z'),
    async (db) => {
      await aTool(db, 'PRB-1', 'probe');
      alice = await aUser(db, 'alice', 'uni-a', 'tenant_user', ['probe']);
      bob = await aUser(db, 'bob-secret', 'co-secret', 'tenant_user', ['probe']);
      mona = await aUser(db, 'mona', 'institute', 'lab_manager');
      await db.tenant.update({ where: { id: 'uni-a' }, data: { name: 'Victoria Harbour University' } });
      await db.tenant.update({ where: { id: 'co-secret' }, data: { name: 'Secret Devices Ltd' } });
      await db.user.update({ where: { id: 'alice' }, data: { name: 'Alice Wong' } });
      await db.user.update({ where: { id: 'bob-secret' }, data: { name: 'Bob Hidden' } });
      ids.aliceDone = await aBooking(db, alice, 'PRB-1', '01:00', '02:00', { checkedInAt: at('01:10'), checkedOutAt: at('01:50') });
      ids.bobDone = await aBooking(db, bob, 'PRB-1', '02:00', '03:00', { checkedInAt: at('02:00'), checkedOutAt: at('03:00') });
      ids.bobNoShow = await aBooking(db, bob, 'PRB-1', '03:00', '04:00', { state: 'no_show' });
      ids.aliceCancelled = await aBooking(db, alice, 'PRB-1', '05:00', '06:00', { state: 'cancelled' });
      const lot = await db.lot.create({
        data: {
          requestId: newRequestId(),
          workflowId: `test-lot-${newRequestId()}`,
          tenantId: 'uni-a',
          userId: 'alice',
          name: 'HEMT lot 7',
          material: 'GaN',
          waferSize: 150,
          state: 'completed',
          earliestStart: at('00:00'),
          latestEnd: at('12:00'),
          steps: { create: [{ seq: 1, name: 'probe', toolTypeId: 'probe', durationMin: 60 }] },
        },
        include: { steps: true },
      });
      ids.lot = lot.id;
      ids.aliceStep = await aBooking(db, alice, 'PRB-1', '04:00', '05:00', { lotStepId: lot.steps[0]!.id, checkedInAt: at('04:00'), checkedOutAt: at('05:00') });
    },
    { worker: false },
  );
});

afterAll(async () => {
  await world?.[Symbol.asyncDispose]();
});

const range = `from=${encodeURIComponent(at('00:00').toISOString())}&to=${encodeURIComponent(at('12:00').toISOString())}`;

describe('the schedule', () => {
  it('draws completed bookings with their actual check-in and check-out, and names tenants and people for staff', async () => {
    const schedule = (await world.api.call('GET', `/api/schedule?${range}`, { token: mona.token })).json();
    const blocks = schedule.tools[0].blocks;
    expect(blocks.map((b: { id: string; state: string }) => [b.id, b.state])).toEqual([
      [ids.aliceDone, 'completed'],
      [ids.bobDone, 'completed'],
      [ids.bobNoShow, 'no_show'],
      [ids.aliceStep, 'completed'],
    ]);
    expect(blocks[0]).toMatchObject({ checkedInAt: at('01:10').toISOString(), checkedOutAt: at('01:50').toISOString(), lot: null });
    expect(blocks[3].lot).toEqual({ id: ids.lot, name: 'HEMT lot 7', seq: 1 });
    expect(schedule.tenants).toEqual({ 'uni-a': 'Victoria Harbour University', 'co-secret': 'Secret Devices Ltd' });
    expect(schedule.users).toEqual({ alice: 'Alice Wong', 'bob-secret': 'Bob Hidden' });
  });

  it("shows a tenant user other tenants' used time only as busy, and names no one of theirs", async () => {
    const answer = await world.api.call('GET', `/api/schedule?${range}`, { token: alice.token });
    const blocks = answer.json().tools[0].blocks;
    expect(blocks.map((b: { kind: string }) => b.kind)).toEqual(['booking', 'busy', 'busy', 'booking']);
    expect(blocks[1]).toEqual({ kind: 'busy', startsAt: at('02:00').toISOString(), endsAt: at('03:00').toISOString() });
    expect(answer.json().tenants).toEqual({ 'uni-a': 'Victoria Harbour University' });
    expect(answer.json().users).toEqual({ alice: 'Alice Wong' });
    for (const secret of ['co-secret', 'bob-secret', 'Secret Devices', 'Bob Hidden', ids.bobDone, ids.bobNoShow]) {
      expect(answer.body, `leaks ${secret}`).not.toContain(secret);
    }
  });
});
