import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { smtpTransport } from '../../src/mail/smtp.js';
import { ensureMailDeliverySchedule } from '../../src/schedules/mail-delivery.js';
import { keepHistory } from '../support/histories.js';
import { aPolicy, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/smtp.js';
import { startApiWorld, type ApiWorld } from '../support/world.js';

// The whole path: requests, decisions, a reminder, maintenance and cancellations through the API
// and the booking and maintenance workflows write notifications; the mail-delivery Schedule, fired,
// sends them through a real SMTP server, which receives each at the right address, in Hong Kong time.

const start = '2041-03-05T01:00:00Z'; // Tue 5 Mar 2041, 09:00 HKT
const at = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
const publicUrl = 'http://pilotline.test';

let world: ApiWorld;
let smtp: TestSmtpServer;
const people = {} as Record<'tess' | 'ulla' | 'mona' | 'mike' | 'otto', TestUser>;

beforeAll(async () => {
  smtp = await startSmtpServer();
  world = await startApiWorld(
    new Date(at(start, -120)),
    async (db) => {
      await aTool(db, 'MOCVD-1', 'mocvd');
      await aTool(db, 'XRD-1', 'xrd');
      await aPolicy(db, 'mocvd', { approvalRequired: true, reminderOffsetsMin: [60] });
      await aPolicy(db, 'xrd', { reminderOffsetsMin: [] });
      people.tess = await aUser(db, 'tess', 'uni-t', 'tenant_user', ['mocvd', 'xrd']);
      people.ulla = await aUser(db, 'ulla', 'co-u', 'tenant_user', ['mocvd', 'xrd']);
      people.mona = await aUser(db, 'mona', 'institute', 'lab_manager');
      people.mike = await aUser(db, 'mike', 'institute', 'lab_manager');
      people.otto = await aUser(db, 'otto', 'institute', 'ops');
    },
    {
      mail: (clock) => ({
        transport: smtpTransport({ host: '127.0.0.1', port: smtp.port, tls: 'none', timeoutMs: 5_000 }, clock),
        from: 'Pilotline <pilotline@lab.example.org>',
        publicUrl,
      }),
    },
  );
});

afterAll(async () => {
  await world?.[Symbol.asyncDispose]();
  await smtp?.close();
});

async function book(user: TestUser, toolId: string, durationMin: number, earliestStart: string, latestEnd: string) {
  const response = await world.api.call('POST', '/api/bookings', {
    token: user.token,
    body: { requestId: newRequestId(), toolIds: [toolId], durationMin, earliestStart, latestEnd, material: 'GaN', waferSize: 150 },
  });
  expect(response.statusCode).toBe(201);
  return response.json().booking as { id: string; state: string; startsAt: string };
}

async function maintain(toolId: string, startsAt: string, endsAt: string) {
  const { api } = world;
  const planned = await api.call('POST', '/api/maintenance', { token: people.otto.token, body: { requestId: newRequestId(), toolIds: [toolId], startsAt, endsAt, reason: 'chamber bake' } });
  const id = planned.json().maintenance.id as string;
  expect((await api.call('POST', `/api/maintenance/${id}/confirm`, { token: people.otto.token, body: {} })).statusCode).toBe(200);
  return id;
}

describe('e-mail through SMTP', () => {
  it('sends the approval, reminder, move and cancellation mails to the right people with Hong Kong times and links', async () => {
    const { api, db, clock } = world;
    const reactor = await book(people.tess, 'MOCVD-1', 180, start, at(start, 480));
    expect(reactor).toMatchObject({ state: 'held', startsAt: new Date(start).toISOString() });
    const xrd = await book(people.tess, 'XRD-1', 60, at(start, 60), at(start, 120));

    // Approved five seconds before the one-hour reminder is due: the reminder follows at once.
    clock.jumpTo(new Date(Date.parse(start) - 3_600_000 - 5_000));
    expect((await api.call('POST', `/api/bookings/${reactor.id}/approve`, { token: people.mona.token, body: {} })).statusCode).toBe(200);
    await vi.waitFor(async () => expect(await db.notification.count({ where: { kind: 'booking.reminder' } })).toBe(1), { timeout: 30_000, interval: 200 });

    const reactorMaintenance = await maintain('MOCVD-1', start, at(start, 120));
    const xrdMaintenance = await maintain('XRD-1', at(start, 60), at(start, 120));
    expect((await api.call('GET', `/api/bookings/${xrd.id}`, { token: people.tess.token })).json().state).toBe('cancelled');
    const cancelled = await vi.waitFor(
      async () => {
        const response = await api.call('POST', `/api/bookings/${reactor.id}/cancel`, { token: people.tess.token, body: { reason: 'wafers not ready' } });
        expect(response.statusCode).toBe(200);
        return response.json();
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(cancelled).toMatchObject({ state: 'cancelled', lateCancel: true });

    const scheduleId = `mail-delivery-test-${randomBytes(4).toString('hex')}`;
    const client = world.temporal.client;
    await ensureMailDeliverySchedule(client, { taskQueue: world.worker!.taskQueue, scheduleId, everySeconds: 3_600 });
    const schedule = client.schedule.getHandle(scheduleId);
    let mails: ReceivedMail[];
    try {
      await schedule.trigger();
      mails = await smtp.waitForAccepted(11, 45_000);
      const started = (await schedule.describe()).info.recentActions[0]!.action.workflow;
      const run = client.workflow.getHandle(started.workflowId, started.firstExecutionRunId);
      expect(await run.result()).toMatchObject({ notifications: 10, mails: 11, sent: 11, digests: 0 });
      await keepHistory('mail-delivery', run);
    } finally {
      await schedule.delete();
    }

    const sent = (event: string) => mails.filter((m) => m.event === event);
    const only = (event: string) => {
      const found = sent(event);
      expect(found, event).toHaveLength(1);
      return found[0]!;
    };
    expect(mails.flatMap((m) => m.to).filter((to) => to.startsWith('ulla'))).toEqual([]);

    const approvals = sent('approval.needed');
    expect(approvals.map((m) => m.to[0]).sort()).toEqual(['mike@example.org', 'mona@example.org']);
    // The slot as requested, although the booking moved since.
    for (const m of approvals) expect(m.subject).toBe('Pilotline: Approval needed: MOCVD-1, Tue 5 Mar, 09:00–12:00 HKT for tess (uni-t)');
    expect(approvals[0]!.text).toContain(`${publicUrl}/#/approvals`);

    const toTess = ['booking.held', 'booking.approved', 'booking.reminder', 'booking.moved_by_maintenance', 'booking.cancelled', 'booking.confirmed', 'booking.cancelled_by_maintenance'];
    for (const event of toTess) expect(only(event).to, event).toEqual(['tess@example.org']);
    expect(only('booking.approved').subject).toBe('Pilotline: Approved: MOCVD-1, Tue 5 Mar, 09:00–12:00 HKT');
    expect(only('booking.reminder').subject).toBe('Pilotline: Reminder: MOCVD-1, Tue 5 Mar, 09:00–12:00 HKT (in 1 hour)');
    const moved = only('booking.moved_by_maintenance');
    expect(moved.subject).toBe('Pilotline: Moved by maintenance: MOCVD-1, Tue 5 Mar, 11:00–14:00 HKT');
    expect(moved.text).toContain('Maintenance on MOCVD-1 (Tue 5 Mar, 09:00–11:00 HKT) moved your booking of MOCVD-1, Tue 5 Mar, 09:00–12:00 HKT to MOCVD-1, Tue 5 Mar, 11:00–14:00 HKT.');
    expect(moved.text).toContain('decline the move');
    const cancellation = only('booking.cancelled');
    expect(cancellation.subject).toBe('Pilotline: Cancelled: MOCVD-1, Tue 5 Mar, 11:00–14:00 HKT');
    expect(cancellation.text).toContain('late-cancellation charge');
    expect(only('booking.cancelled_by_maintenance').subject).toBe('Pilotline: Cancelled by maintenance: XRD-1, Tue 5 Mar, 10:00–11:00 HKT');
    for (const event of toTess) expect(only(event).text, event).toMatch(new RegExp(`${publicUrl}/#/booking\\?id=(${reactor.id}|${xrd.id})`));

    const applied = sent('maintenance.applied');
    expect(applied.map((m) => m.to[0])).toEqual(['otto@example.org', 'otto@example.org']);
    expect(applied.map((m) => m.subject).sort()).toEqual([
      'Pilotline: Maintenance on the calendar: MOCVD-1, Tue 5 Mar, 09:00–11:00 HKT',
      'Pilotline: Maintenance on the calendar: XRD-1, Tue 5 Mar, 10:00–11:00 HKT',
    ]);
    expect(applied.map((m) => m.text).join('\n')).toContain(`${publicUrl}/#/maintenance?focus=${reactorMaintenance}`);
    expect(applied.map((m) => m.text).join('\n')).toContain(`${publicUrl}/#/maintenance?focus=${xrdMaintenance}`);

    expect(mails).toHaveLength(11);
    for (const m of mails) expect(m.text, m.subject).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(await db.mailMessage.count({ where: { state: { not: 'sent' } } })).toBe(0);
  });
});
