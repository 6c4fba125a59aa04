import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPolicy, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { startApiWorld, type ApiWorld } from '../support/world.js';

// The in-app inbox: each person's notifications in their e-mails' words, read marks per person,
// a tenant's own only, a staff role's audience too.

const now = new Date('2035-03-04T00:00:00Z'); // Sun 4 Mar 08:00 HKT
let world: ApiWorld;
let alice: TestUser;
let bob: TestUser;
let mona: TestUser;
let mike: TestUser;
let otto: TestUser;
let held: { id: string };

beforeAll(async () => {
  world = await startApiWorld(now, async (db) => {
    await aTool(db, 'EPI-1', 'epi', { name: 'GaN MOCVD reactor 1' });
    await aTool(db, 'SEM-1', 'sem');
    await aPolicy(db, 'epi', { approvalRequired: true });
    await aPolicy(db, 'sem');
    alice = await aUser(db, 'alice', 'uni-a', 'tenant_user', ['epi']);
    bob = await aUser(db, 'bob', 'uni-b', 'tenant_user', ['sem']);
    mona = await aUser(db, 'mona', 'institute', 'lab_manager');
    mike = await aUser(db, 'mike', 'institute', 'lab_manager');
    otto = await aUser(db, 'otto', 'institute', 'ops');
    await db.user.update({ where: { id: 'alice' }, data: { name: 'Alice Chan' } });
  });
  const booked = await world.api.call('POST', '/api/bookings', {
    token: alice.token,
    body: { requestId: newRequestId(), toolIds: ['EPI-1'], durationMin: 180, earliestStart: '2035-03-05T01:00:00Z', latestEnd: '2035-03-05T04:00:00Z', material: 'GaN', waferSize: 150 },
  });
  held = booked.json().booking;
  const bobs = await world.api.call('POST', '/api/bookings', {
    token: bob.token,
    body: { requestId: newRequestId(), toolIds: ['SEM-1'], durationMin: 60, earliestStart: '2035-03-05T01:00:00Z', latestEnd: '2035-03-05T02:00:00Z', material: 'SiC', waferSize: 150 },
  });
  expect(bobs.statusCode).toBe(201);
  expect((await world.api.call('POST', `/api/bookings/${held.id}/approve`, { token: mona.token, body: { note: 'baked Monday' } })).statusCode).toBe(200);
}, 180_000);

afterAll(async () => {
  await world?.[Symbol.asyncDispose]();
});

const inbox = async (user: TestUser, query = '') => (await world.api.call('GET', `/api/inbox${query}`, { token: user.token })).json();
const count = async (user: TestUser) => (await world.api.call('GET', '/api/inbox/count', { token: user.token })).json().unread;

describe('the inbox', () => {
  it('shows a tenant their own notifications, newest first, in the e-mails’ words with a link to the booking', async () => {
    const mine = await inbox(alice);
    expect(mine.entries.map((e: { kind: string }) => e.kind)).toEqual(['booking.approved', 'booking.held']);
    expect(mine.entries[0]).toMatchObject({
      read: false,
      subject: 'Approved: GaN MOCVD reactor 1, Mon 5 Mar, 09:00–12:00 HKT',
      paragraphs: ['A lab manager approved your booking of GaN MOCVD reactor 1, Mon 5 Mar, 09:00–12:00 HKT.', 'Note: baked Monday'],
      link: { label: 'Open the booking', href: `/#/booking?id=${held.id}` },
    });
    expect(mine.unread).toBe(2);
    // Another tenant sees none of it; their own confirmation only.
    const bobs = await inbox(bob);
    expect(bobs.entries.map((e: { kind: string }) => e.kind)).toEqual(['booking.confirmed']);
    expect(JSON.stringify(bobs)).not.toContain(held.id);
    expect(JSON.stringify(bobs)).not.toContain('Alice');
  });

  it('shows lab managers the approval requests addressed to their role, each manager with their own read marks; ops and admins none of them', async () => {
    const monas = await inbox(mona);
    expect(monas.entries.map((e: { kind: string; subject: string }) => [e.kind, e.subject])).toEqual([
      ['approval.needed', 'Approval needed: GaN MOCVD reactor 1, Mon 5 Mar, 09:00–12:00 HKT for Alice Chan (uni-a)'],
    ]);
    expect(monas.entries[0].link).toEqual({ label: 'Open the approval queue', href: '/#/approvals' });
    const read = await world.api.call('POST', `/api/inbox/${monas.entries[0].id}/read`, { token: mona.token });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual({ entry: { id: monas.entries[0].id, read: true }, unread: 0 });
    // Again: nothing changes.
    expect((await world.api.call('POST', `/api/inbox/${monas.entries[0].id}/read`, { token: mona.token })).json().unread).toBe(0);
    expect((await inbox(mona)).entries[0].read).toBe(true);
    expect(await count(mike)).toBe(1);
    expect((await inbox(otto)).entries).toEqual([]);
    // Someone else's notification cannot be marked: not found, and nothing written.
    const alices = await inbox(alice);
    const refused = await world.api.call('POST', `/api/inbox/${alices.entries[0].id}/read`, { token: bob.token });
    expect(refused.statusCode).toBe(404);
    expect(await world.db.notificationRead.count({ where: { userId: 'bob' } })).toBe(0);
  });

  it('pages with a cursor, filters unread, and marks all read', async () => {
    const first = await inbox(alice, '?limit=1');
    expect(first.entries).toHaveLength(1);
    const second = await inbox(alice, `?limit=1&cursor=${first.nextCursor}`);
    expect(second.entries.map((e: { kind: string }) => e.kind)).toEqual(['booking.held']);
    expect(second.nextCursor).toBeNull();
    await world.api.call('POST', `/api/inbox/${first.entries[0].id}/read`, { token: alice.token });
    expect((await inbox(alice, '?unread=true')).entries.map((e: { kind: string }) => e.kind)).toEqual(['booking.held']);
    expect(await count(alice)).toBe(1);
    expect((await world.api.call('POST', '/api/inbox/read-all', { token: alice.token })).json()).toEqual({ unread: 0 });
    expect((await inbox(alice, '?unread=true')).entries).toEqual([]);
    // Marking all read is per person and per audience: the other manager's mark is still unread.
    expect((await world.api.call('POST', '/api/inbox/read-all', { token: mona.token })).json()).toEqual({ unread: 0 });
    expect(await count(mike)).toBe(1);
    expect(await count(bob)).toBe(1);
  });
});
