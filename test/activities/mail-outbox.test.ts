import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import type { MailDeps } from '../../activities/deps.js';
import { fixedClock } from '../../src/clock.js';
import { smtpTransport } from '../../src/mail/smtp.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aTool, aUser } from '../support/scenario.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

// The outbox's delivery against a real SMTP server in process: recipients, Hong Kong times, links,
// preferences, the digest, retries with backoff, and what happens when a send may have happened.

const monday = new Date('2041-03-04T02:00:00Z'); // Mon 4 Mar 2041, 10:00 HKT
const clock = fixedClock(monday);
let database: TestDatabase;
let smtp: TestSmtpServer;
let mail: MailDeps;
let deliver: () => ReturnType<ReturnType<typeof createActivities>['deliverMail']>;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await aTool(db, 'MOCVD-1', 'mocvd', { name: 'GaN MOCVD reactor 1' });
  await aUser(db, 'tess', 'uni-t');
  await aUser(db, 'ulla', 'co-u');
  await aUser(db, 'mona', 'institute', 'lab_manager');
  await aUser(db, 'mike', 'institute', 'lab_manager');
  await aUser(db, 'otto', 'institute', 'ops');
  smtp = await startSmtpServer();
  mail = {
    transport: smtpTransport({ host: '127.0.0.1', port: smtp.port, tls: 'none', timeoutMs: 1_000 }, clock),
    from: 'Pilotline <pilotline@lab.example.org>',
    publicUrl: 'https://pilotline.example.org',
    retryBaseMs: 60_000,
    maxAttempts: 3,
    sendLeaseMs: 5 * 60_000,
  };
  const activities = createActivities({ db, clock, mail });
  deliver = () => activities.deliverMail();
});

afterAll(async () => {
  await smtp?.close();
  await database?.[Symbol.asyncDispose]();
});

beforeEach(async () => {
  clock.set(monday);
  smtp.received.length = 0;
  smtp.arrived.length = 0;
  smtp.answer = () => ({ accept: true });
  const { db } = database;
  await db.mailDigestItem.deleteMany();
  await db.mailMessage.deleteMany();
  await db.notification.deleteMany();
  await db.mailPreference.deleteMany();
  await db.booking.deleteMany();
});

async function aBooking(userId: string, tenantId: string, startsAt: string, endsAt: string) {
  const requestId = randomUUID();
  return database.db.booking.create({
    data: { requestId, workflowId: `booking-${requestId}`, tenantId, userId, toolId: 'MOCVD-1', startsAt: new Date(startsAt), endsAt: new Date(endsAt), state: 'held', material: 'GaN', waferSize: 150 },
  });
}

/** The notifications the booking activities write when a held booking needs approval. */
async function heldNotifications(booking: Awaited<ReturnType<typeof aBooking>>) {
  const payload = { bookingId: booking.id, toolId: booking.toolId, startsAt: booking.startsAt.toISOString(), endsAt: booking.endsAt.toISOString() };
  await database.db.notification.create({ data: { recipientId: booking.userId, tenantId: booking.tenantId, kind: 'booking.held', subject: `Held ${booking.toolId}`, payload } });
  await database.db.notification.create({ data: { audience: 'lab_manager', kind: 'approval.needed', subject: `Approval needed: ${booking.toolId}`, payload: { bookingId: booking.id } } });
}

describe('the e-mail outbox', () => {
  it('mails the owner and every lab manager, in Hong Kong time with a link, each once', async () => {
    const booking = await aBooking('tess', 'uni-t', '2041-03-05T01:00:00Z', '2041-03-05T04:00:00Z');
    await heldNotifications(booking);

    const report = await deliver();
    expect(report).toMatchObject({ notifications: 2, mails: 3, sent: 3 });
    const byRecipient = Object.fromEntries(smtp.received.map((m) => [m.to.join(','), m]));
    expect(Object.keys(byRecipient).sort()).toEqual(['mike@example.org', 'mona@example.org', 'tess@example.org']);

    const held = byRecipient['tess@example.org']!;
    expect(held.subject).toBe('Pilotline: Held: GaN MOCVD reactor 1, Tue 5 Mar, 09:00–12:00 HKT, waiting for approval');
    expect(held.event).toBe('booking.held');
    expect(held.from).toBe('pilotline@lab.example.org');
    expect(held.text).toContain(`https://pilotline.example.org/#/booking?id=${booking.id}`);
    expect(held.html).toContain(`href="https://pilotline.example.org/#/booking?id=${booking.id}"`);
    const approval = byRecipient['mona@example.org']!;
    expect(approval.subject).toBe('Pilotline: Approval needed: GaN MOCVD reactor 1, Tue 5 Mar, 09:00–12:00 HKT for tess (uni-t)');
    expect(approval.text).toContain('https://pilotline.example.org/#/approvals');
    for (const m of smtp.received) expect(m.text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);

    // What arrived is what the outbox recorded as sent, under the Message-ID it fixed beforehand.
    const rows = await database.db.mailMessage.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);
    expect(new Set(smtp.received.map((m) => m.messageId))).toEqual(new Set(rows.map((r) => r.messageId)));

    expect(await deliver()).toMatchObject({ notifications: 0, mails: 0, sent: 0 });
    expect(smtp.arrived).toHaveLength(3);
  });

  it('does not mail news days old (outbox rows from before e-mail, or after a long outage)', async () => {
    const booking = await aBooking('tess', 'uni-t', '2041-03-05T01:00:00Z', '2041-03-05T04:00:00Z');
    await heldNotifications(booking);
    await database.db.notification.updateMany({ where: { kind: 'approval.needed' }, data: { createdAt: new Date(Date.now() - 4 * 86_400_000) } });
    expect(await deliver()).toMatchObject({ stale: 1, notifications: 1, sent: 1 });
    expect(smtp.received.map((m) => m.event)).toEqual(['booking.held']);
    expect(await database.db.notification.count({ where: { state: 'dispatched' } })).toBe(2);
  });

  it('honours preferences: a muted kind is not sent, the digest collects until 08:00 HKT, reminders still go at once', async () => {
    const { db } = database;
    await db.mailPreference.create({ data: { userId: 'mona', mutedKinds: ['approval.needed'] } });
    await db.mailPreference.create({ data: { userId: 'tess', delivery: 'digest' } });
    const first = await aBooking('tess', 'uni-t', '2041-03-05T01:00:00Z', '2041-03-05T04:00:00Z');
    const second = await aBooking('tess', 'uni-t', '2041-03-06T06:00:00Z', '2041-03-06T07:30:00Z');
    await heldNotifications(first);
    await heldNotifications(second);
    await db.notification.create({
      data: { recipientId: 'tess', tenantId: 'uni-t', kind: 'booking.reminder', subject: 'Reminder', payload: { bookingId: first.id, startsAt: first.startsAt.toISOString(), endsAt: first.endsAt.toISOString(), minutesBefore: 60 } },
    });

    await deliver();
    // Mon 10:00 HKT: mike gets both approvals, mona none (muted), tess only the reminder.
    expect(smtp.received.map((m) => `${m.to[0]} ${m.event}`).sort()).toEqual([
      'mike@example.org approval.needed',
      'mike@example.org approval.needed',
      'tess@example.org booking.reminder',
    ]);
    expect(smtp.received.find((m) => m.event === 'booking.reminder')!.subject).toBe('Pilotline: Reminder: GaN MOCVD reactor 1, Tue 5 Mar, 09:00–12:00 HKT (in 1 hour)');

    clock.set(new Date('2041-03-04T23:59:00Z')); // Tue 07:59 HKT: not yet
    await deliver();
    expect(smtp.received).toHaveLength(3);

    clock.set(new Date('2041-03-05T00:01:00Z')); // Tue 08:01 HKT: the digest
    await deliver();
    expect(smtp.received).toHaveLength(4);
    const digest = smtp.received[3]!;
    expect(digest.to).toEqual(['tess@example.org']);
    expect(digest.event).toBe('digest');
    expect(digest.subject).toBe('Pilotline: daily digest, 2 updates');
    expect(digest.text).toContain('up to Tue 5 Mar, 08:00 HKT');
    expect(digest.text).toContain('Held: GaN MOCVD reactor 1, Tue 5 Mar, 09:00–12:00 HKT, waiting for approval');
    expect(digest.text).toContain('Held: GaN MOCVD reactor 1, Wed 6 Mar, 14:00–15:30 HKT, waiting for approval');
    expect(digest.text).toContain(`#/booking?id=${second.id}`);

    // One digest a day: later runs the same day send nothing more.
    clock.set(new Date('2041-03-05T03:00:00Z'));
    await deliver();
    expect(smtp.received).toHaveLength(4);
  });

  it('retries a definite failure with backoff, gives up on a refusal, and never resends one that may have arrived', async () => {
    const booking = await aBooking('tess', 'uni-t', '2041-03-05T01:00:00Z', '2041-03-05T04:00:00Z');
    await database.db.notification.create({
      data: { recipientId: 'tess', tenantId: 'uni-t', kind: 'booking.held', subject: 'Held', payload: { bookingId: booking.id } },
    });
    let refusals = 0;
    smtp.answer = () => (refusals++ < 1 ? { code: 451, message: 'Greylisted, try again later' } : { accept: true });
    const start = clock.now().getTime();

    expect(await deliver()).toMatchObject({ sent: 0, retrying: 1 });
    const waiting = await database.db.mailMessage.findFirstOrThrow();
    expect(waiting).toMatchObject({ state: 'queued', attempts: 1 });
    expect(waiting.nextAttemptAt.getTime()).toBe(start + 60_000);
    expect(waiting.lastError).toContain('451');

    expect(await deliver()).toMatchObject({ sent: 0, retrying: 0 }); // not due yet
    clock.advance(60_000);
    expect(await deliver()).toMatchObject({ sent: 1 });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.arrived).toHaveLength(2);

    // A permanent refusal is not retried.
    await database.db.notification.create({ data: { recipientId: 'ulla', tenantId: 'co-u', kind: 'booking.held', subject: 'Held', payload: {} } });
    smtp.answer = () => ({ code: 550, message: 'No such mailbox' });
    expect(await deliver()).toMatchObject({ failed: 1 });
    expect(await database.db.mailMessage.findFirstOrThrow({ where: { userId: 'ulla' } })).toMatchObject({ state: 'failed', attempts: 1 });

    // The connection breaks after the whole message went over: it may have been accepted.
    await database.db.notification.create({ data: { recipientId: 'otto', tenantId: 'institute', kind: 'booking.held', subject: 'Held', payload: {} } });
    smtp.answer = () => ({ hang: true });
    expect(await deliver()).toMatchObject({ unconfirmed: 1 });
    const uncertain = await database.db.mailMessage.findFirstOrThrow({ where: { userId: 'otto' } });
    expect(uncertain.state).toBe('unconfirmed');
    expect(smtp.arrived.at(-1)!.messageId).toBe(uncertain.messageId);
    smtp.answer = () => ({ accept: true });
    clock.advance(3_600_000);
    await deliver();
    expect(smtp.arrived.filter((m) => m.messageId === uncertain.messageId)).toHaveLength(1);
  });

  it('settles a claim a dead sender left behind as unconfirmed once the lease is over, and does not send it', async () => {
    await database.db.notification.create({ data: { recipientId: 'tess', tenantId: 'uni-t', kind: 'booking.held', subject: 'Held', payload: {} } });
    smtp.answer = () => ({ code: 421, message: 'busy' });
    await deliver();
    // As a worker that died mid-send leaves it: claimed, never settled.
    const row = await database.db.mailMessage.findFirstOrThrow();
    await database.db.mailMessage.update({ where: { id: row.id }, data: { state: 'sending', claimedAt: clock.now(), nextAttemptAt: clock.now() } });
    smtp.answer = () => ({ accept: true });

    clock.advance(4 * 60_000);
    expect(await deliver()).toMatchObject({ abandoned: 0, sent: 0 });
    clock.advance(2 * 60_000);
    expect(await deliver()).toMatchObject({ abandoned: 1, sent: 0 });
    const settled = await database.db.mailMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(settled.state).toBe('unconfirmed');
    expect(settled.lastError).toContain(settled.messageId);
    expect(smtp.received).toHaveLength(0);
  });
  it('mails a round’s opening to every tenant user, and each requester their outcome, in the round’s words', async () => {
    const { db } = database;
    const week = { roundId: '2041-03-11', weekStart: '2041-03-10T16:00:00.000Z' };
    // As the round activities write them: the opening to a role, an outcome to its requester.
    await db.notification.create({
      data: { audience: 'tenant_user', kind: 'round.opened', subject: 'Allocation round open', payload: { ...week, closesAt: '2041-03-05T16:00:00.000Z', toolTypeIds: ['mocvd'] } },
    });
    await db.notification.create({
      data: {
        recipientId: 'ulla',
        tenantId: 'co-u',
        kind: 'round.left_out',
        subject: 'Not granted',
        payload: { ...week, roundRequestId: randomUUID(), toolTypeId: 'mocvd', toolIds: ['MOCVD-1'], windowStart: '2041-03-11T00:00:00.000Z', windowEnd: '2041-03-12T00:00:00.000Z', detail: 'Industry had its 30 % share' },
      },
    });

    expect(await deliver()).toMatchObject({ notifications: 2, mails: 3, sent: 3 });
    const opened = smtp.received.filter((m) => m.event === 'round.opened').map((m) => m.to.join(',')).sort();
    expect(opened).toEqual(['tess@example.org', 'ulla@example.org']);
    const opening = smtp.received.find((m) => m.event === 'round.opened')!;
    expect(opening.subject).toBe('Pilotline: Allocation round open for the week of Mon 11 Mar: requests until Wed 6 Mar, 00:00 HKT');
    expect(opening.text).toContain('https://pilotline.example.org/#/rounds');
    const left = smtp.received.find((m) => m.event === 'round.left_out')!;
    expect(left.to).toEqual(['ulla@example.org']);
    expect(left.subject).toBe('Pilotline: Not granted in the round for the week of Mon 11 Mar: GaN MOCVD reactor 1');
    expect(left.text).toContain('Industry had its 30 % share');
  });
});
