import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser, type TestUser } from '../support/scenario.js';
import { startApiWorld, type ApiWorld } from '../support/world.js';

// E-mail preferences through the API, and the outbox's unconfirmed mails as an admin settles them.

let world: ApiWorld;
const people = {} as Record<'tess' | 'mona' | 'ada', TestUser>;

beforeAll(async () => {
  world = await startApiWorld(
    new Date('2042-01-05T02:00:00Z'),
    async (db) => {
      people.tess = await aUser(db, 'tess', 'uni-t');
      people.mona = await aUser(db, 'mona', 'institute', 'lab_manager');
      people.ada = await aUser(db, 'ada', 'institute', 'admin');
    },
    { worker: false },
  );
});

afterAll(async () => {
  await world?.[Symbol.asyncDispose]();
});

const kinds = (view: { events: Array<{ kind: string }> }) => view.events.map((e) => e.kind);

describe('mail preferences', () => {
  it('lists the kinds a role receives, all on and at once until changed', async () => {
    const tenant = (await world.api.call('GET', '/api/me/mail-preferences', { token: people.tess.token })).json();
    expect(tenant).toMatchObject({ delivery: 'immediate', digestAt: '08:00 HKT', email: 'tess@example.org' });
    expect(kinds(tenant)).toContain('booking.moved_by_maintenance');
    expect(kinds(tenant)).not.toContain('approval.needed');
    expect(tenant.events.every((e: { enabled: boolean }) => e.enabled)).toBe(true);
    expect(tenant.events.find((e: { kind: string }) => e.kind === 'booking.reminder').alwaysAtOnce).toBe(true);
    const manager = (await world.api.call('GET', '/api/me/mail-preferences', { token: people.mona.token })).json();
    expect(kinds(manager)).toContain('approval.needed');
    expect(kinds(manager)).not.toContain('tool.down');
  });

  it('stores a choice of digest and muted kinds, and refuses a kind the role never receives, writing nothing', async () => {
    const put = await world.api.call('POST', '/api/me/mail-preferences', {
      token: people.tess.token,
      body: { delivery: 'digest', muted: ['booking.completed', 'booking.completed', 'lot.completed'] },
    });
    expect(put.statusCode).toBe(200);
    const view = put.json();
    expect(view.delivery).toBe('digest');
    expect(view.events.filter((e: { enabled: boolean }) => !e.enabled).map((e: { kind: string }) => e.kind)).toEqual(['booking.completed', 'lot.completed']);
    expect(await world.db.mailPreference.findUniqueOrThrow({ where: { userId: 'tess' } })).toMatchObject({ delivery: 'digest', mutedKinds: ['booking.completed', 'lot.completed'] });

    const stored = await world.db.mailPreference.findUniqueOrThrow({ where: { userId: 'tess' } });
    for (const body of [{ delivery: 'immediate', muted: ['approval.needed'] }, { delivery: 'immediate', muted: ['booking.exploded'] }, { delivery: 'weekly', muted: [] }]) {
      const refused = await world.api.call('POST', '/api/me/mail-preferences', { token: people.tess.token, body });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().issues[0].field).toMatch(/^body\.(muted\.0|delivery)$/);
    }
    expect(await world.db.mailPreference.findUniqueOrThrow({ where: { userId: 'tess' } })).toEqual(stored);
  });
});

describe('the outbox, as an admin checks it', () => {
  it('lists unconfirmed mails, marks one sent or queues it again under the same Message-ID, with an audit entry', async () => {
    const { db } = world;
    const base = { userId: 'tess', toAddress: 'tess@example.org', kind: 'booking.held', subject: 'Pilotline: Held', textBody: 'Hello' };
    const notification = await db.notification.create({ data: { recipientId: 'tess', kind: 'booking.held', subject: 'Held' } });
    const second = await db.notification.create({ data: { recipientId: 'tess', kind: 'booking.held', subject: 'Held' } });
    const unsure = await db.mailMessage.create({ data: { ...base, notificationId: notification.id, messageId: '<a@lab.example.org>', state: 'unconfirmed', attempts: 1 } });
    const other = await db.mailMessage.create({ data: { ...base, notificationId: second.id, messageId: '<b@lab.example.org>', state: 'unconfirmed', attempts: 1 } });

    expect((await world.api.call('GET', '/api/mail', { token: people.mona.token })).statusCode).toBe(403);
    const listed = (await world.api.call('GET', '/api/mail?state=unconfirmed', { token: people.ada.token })).json().mails;
    expect(listed.map((m: { id: string; messageId: string }) => [m.id, m.messageId])).toEqual([
      [String(other.id), '<b@lab.example.org>'],
      [String(unsure.id), '<a@lab.example.org>'],
    ]);

    const marked = await world.api.call('POST', `/api/mail/${unsure.id}/mark-sent`, { token: people.ada.token, body: { note: 'found it in the relay log' } });
    expect(marked.json()).toMatchObject({ state: 'sent', checkedBy: 'ada' });
    expect((await world.api.call('POST', `/api/mail/${unsure.id}/resend`, { token: people.ada.token, body: {} })).statusCode).toBe(409);

    const again = await world.api.call('POST', `/api/mail/${other.id}/resend`, { token: people.ada.token, body: {} });
    expect(again.json()).toMatchObject({ state: 'queued', attempts: 0, messageId: '<b@lab.example.org>' });
    expect((await world.api.call('POST', '/api/mail/999999/resend', { token: people.ada.token, body: {} })).statusCode).toBe(404);
    const audit = await db.auditLog.findMany({ where: { entityType: 'mail' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.entityId, a.actorId])).toEqual([
      ['mail.marked_sent', String(unsure.id), 'ada'],
      ['mail.resend', String(other.id), 'ada'],
    ]);
  });
});
