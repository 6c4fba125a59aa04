import { describe, expect, it } from 'vitest';
import { notificationKinds } from '../../src/domain/notifications.js';
import type { RelatedFacts } from '../../src/mail/facts.js';
import { linkFor } from '../../src/mail/links.js';
import { renderNotice } from '../../src/mail/render.js';
import { formatSlot, latestHktHour, localiseInstants } from '../../src/mail/time.js';

// The words of every mail: Hong Kong time written as people read it, one rendering per kind.

const now = new Date('2041-03-04T02:00:00Z'); // Mon 4 Mar 2041, 10:00 HKT

describe('Hong Kong time in mails', () => {
  it('writes a slot as a day and a range, across midnight with both days, and the year only when it is not this one', () => {
    expect(formatSlot(new Date('2041-03-05T01:00:00Z'), new Date('2041-03-05T04:00:00Z'), now)).toBe('Tue 5 Mar, 09:00–12:00 HKT');
    expect(formatSlot(new Date('2041-03-05T14:00:00Z'), new Date('2041-03-05T22:00:00Z'), now)).toBe('Tue 5 Mar 22:00 – Wed 6 Mar 06:00 HKT');
    expect(formatSlot(new Date('2041-03-05T14:00:00Z'), new Date('2041-03-05T16:00:00Z'), now)).toBe('Tue 5 Mar, 22:00–00:00 HKT');
    expect(formatSlot(new Date('2042-01-02T01:00:00Z'), new Date('2042-01-02T02:30:00Z'), now)).toBe('Thu 2 Jan 2042, 09:00–10:30 HKT');
  });

  it('finds the latest 08:00 in Hong Kong, and rewrites UTC instants in old subjects', () => {
    expect(latestHktHour(new Date('2041-03-04T23:59:00Z'), 8).toISOString()).toBe('2041-03-04T00:00:00.000Z');
    expect(latestHktHour(new Date('2041-03-05T00:00:00Z'), 8).toISOString()).toBe('2041-03-05T00:00:00.000Z');
    expect(localiseInstants('Confirmed: SEM-1 at 2041-03-05T01:00:00.000Z', now)).toBe('Confirmed: SEM-1 at Tue 5 Mar, 09:00 HKT');
  });
});

const booking = {
  id: '5b0c3a52-37a4-4f0b-9a57-0d5e0f3f9b01',
  toolId: 'MOCVD-1',
  startsAt: new Date('2041-03-05T01:00:00Z'),
  endsAt: new Date('2041-03-05T04:00:00Z'),
  state: 'confirmed',
  purpose: null,
  checkedOutAt: new Date('2041-03-05T02:10:00Z'),
  requester: { name: 'Tess Ho', tenantName: 'HKU Power Devices' },
};
const slot = (toolId: string, start: string, end: string) => ({ toolId, startsAt: start, endsAt: end });
const related: RelatedFacts = {
  toolNames: new Map([
    ['MOCVD-1', 'GaN MOCVD reactor 1'],
    ['MOCVD-2', 'GaN MOCVD reactor 2'],
  ]),
  booking,
  lot: {
    id: '9e4b1f3a-6a3c-4d8e-8a55-2f1c0b7d6e21',
    name: 'HEMT lot 7',
    state: 'confirmed',
    requester: booking.requester,
    steps: [{ seq: 1, name: 'epi', slot: { toolId: 'MOCVD-2', startsAt: new Date('2041-03-06T01:00:00Z'), endsAt: new Date('2041-03-06T09:00:00Z') } }],
  },
  maintenance: { id: 'a1', reason: 'chamber bake', kind: 'planned', startsAt: new Date('2041-03-05T00:00:00Z'), endsAt: new Date('2041-03-05T02:00:00Z'), toolIds: ['MOCVD-1'] },
};
const payload = {
  toolId: 'MOCVD-1',
  startsAt: '2041-03-05T01:00:00.000Z',
  endsAt: '2041-03-05T04:00:00.000Z',
  from: slot('MOCVD-1', '2041-03-05T01:00:00.000Z', '2041-03-05T04:00:00.000Z'),
  to: slot('MOCVD-2', '2041-03-05T05:00:00.000Z', '2041-03-05T08:00:00.000Z'),
  minutesBefore: 1440,
  steps: [{ seq: 1, to: slot('MOCVD-2', '2041-03-06T01:00:00.000Z', '2041-03-06T09:00:00.000Z') }],
  toolIds: ['MOCVD-1'],
  detail: 'step 2 cannot start within 240 min of step 1',
};

describe('every notification kind', () => {
  it.each(notificationKinds.filter((k) => !k.startsWith('round.')))('%s has words of its own, in Hong Kong time, naming tools by name', (kind) => {
    // The approval of a lot names the lot, not a booking.
    const facts = { kind, subject: `${kind} at 2041-03-05T01:00:00.000Z (stored summary)`, payload, createdAt: now };
    const view = kind === 'approval.needed' || kind.startsWith('lot.') ? { ...related, booking: undefined } : related;
    const notice = renderNotice(facts, view as RelatedFacts, { publicUrl: 'https://pl.example.org', now });
    expect(notice.subject).not.toContain('stored summary');
    const words = [notice.subject, ...notice.paragraphs].join('\n');
    expect(words).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(words).not.toMatch(/\bMOCVD-[12]\b(?! \()/);
    expect(words).toMatch(/GaN MOCVD reactor|HEMT lot 7/);
  });

  // A round's notices speak of its week, deadlines and (granted) slot; their payloads carry them.
  const roundPayload = {
    roundId: '2041-03-04',
    weekStart: '2041-03-03T16:00:00.000Z',
    closesAt: '2041-02-26T16:00:00.000Z',
    approvalDeadline: '2041-03-01T16:00:00.000Z',
    toolTypeIds: ['mocvd'],
    revision: 2,
    granted: 7,
    requests: 9,
    toolId: 'MOCVD-2',
    startsAt: '2041-03-05T01:00:00.000Z',
    endsAt: '2041-03-05T09:00:00.000Z',
    toolTypeId: 'mocvd',
    toolIds: ['MOCVD-1', 'MOCVD-2'],
    windowStart: '2041-03-04T00:00:00.000Z',
    windowEnd: '2041-03-06T00:00:00.000Z',
    detail: 'The universities class had its 30 % share of mocvd time (2041-03-04T00:00:00.000Z to 2041-03-11T00:00:00.000Z)',
  };
  it.each(notificationKinds.filter((k) => k.startsWith('round.')))('%s speaks of the round’s week in Hong Kong time', (kind) => {
    const facts = { kind, subject: `${kind} at 2041-03-05T01:00:00.000Z (stored summary)`, payload: roundPayload, createdAt: now };
    const notice = renderNotice(facts, { ...related, booking: undefined, lot: undefined }, { publicUrl: 'https://pl.example.org', now });
    expect(notice.subject).not.toContain('stored summary');
    const words = [notice.subject, ...notice.paragraphs].join('\n');
    expect(words).toContain('the week of Mon 4 Mar');
    expect(words).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(words).not.toMatch(/\bMOCVD-[12]\b(?! \()/);
  });

  it('tells a tenant the slot the round granted, or why it left the request out, and staff where to review', () => {
    const context = { publicUrl: 'https://pl.example.org', now };
    const view = { ...related, booking: undefined, lot: undefined };
    const granted = renderNotice({ kind: 'round.granted', subject: '', payload: roundPayload, createdAt: now }, view, context);
    expect(granted.subject).toBe('Granted in the round: GaN MOCVD reactor 2, Tue 5 Mar, 09:00–17:00 HKT');
    const left = renderNotice({ kind: 'round.left_out', subject: '', payload: roundPayload, createdAt: now }, view, context);
    expect(left.subject).toBe('Not granted in the round for the week of Mon 4 Mar: GaN MOCVD reactor 1 or GaN MOCVD reactor 2');
    expect(left.paragraphs[0]).toContain('its 30 % share of mocvd time (Mon 4 Mar, 08:00 HKT');
    const lapsed = renderNotice({ kind: 'round.lapsed', subject: '', payload: roundPayload, createdAt: now }, view, context);
    expect(lapsed.paragraphs[0]).toContain('by Sat 2 Mar, 00:00 HKT, so the round published nothing');
    const tenant = { userId: 'tess', name: 'Tess', email: 't@x', role: 'tenant_user' as const, isOwner: true };
    const manager = { ...tenant, userId: 'mona', role: 'lab_manager' as const, isOwner: false };
    expect(linkFor('round.left_out', view, tenant, 'https://pl.example.org').href).toBe('https://pl.example.org/#/rounds');
    expect(linkFor('round.granted', related, tenant, 'https://pl.example.org').href).toBe(`https://pl.example.org/#/booking?id=${booking.id}`);
    expect(linkFor('round.proposal_ready', view, manager, 'https://pl.example.org').href).toBe('https://pl.example.org/#/round-review');
  });

  it('says when and by how much: a reminder a day ahead, a move from one reactor to the other', () => {
    const context = { publicUrl: 'https://pl.example.org', now };
    expect(renderNotice({ kind: 'booking.reminder', subject: '', payload, createdAt: now }, related, context).subject).toBe(
      'Reminder: GaN MOCVD reactor 1, Tue 5 Mar, 09:00–12:00 HKT (in 1 day)',
    );
    const moved = renderNotice({ kind: 'booking.moved_by_maintenance', subject: '', payload, createdAt: now }, related, context);
    expect(moved.subject).toBe('Moved by maintenance: GaN MOCVD reactor 2, Tue 5 Mar, 13:00–16:00 HKT');
    expect(moved.paragraphs[0]).toBe(
      'Maintenance on GaN MOCVD reactor 1 (Tue 5 Mar, 08:00–10:00 HKT) moved your booking of GaN MOCVD reactor 1, Tue 5 Mar, 09:00–12:00 HKT to GaN MOCVD reactor 2, Tue 5 Mar, 13:00–16:00 HKT.',
    );
  });

  it('links a booking to its own page, a lot to the owner’s or every tenant’s list', () => {
    const owner = { userId: 'tess', name: 'Tess', email: 't@x', role: 'tenant_user' as const, isOwner: true };
    const manager = { ...owner, userId: 'mona', role: 'lab_manager' as const, isOwner: false };
    expect(linkFor('booking.approved', related, owner, 'https://pl.example.org').href).toBe(`https://pl.example.org/#/booking?id=${booking.id}`);
    const cancelled = { ...related, booking: { ...booking, state: 'cancelled' } };
    expect(linkFor('booking.cancelled', cancelled, manager, 'https://pl.example.org').href).toBe(`https://pl.example.org/#/booking?id=${booking.id}`);
    expect(linkFor('lot.qtime_alert', related, manager, 'https://pl.example.org').href).toBe(`https://pl.example.org/#/bookings?show=active&scope=all&focus=${related.lot!.id}`);
    expect(linkFor('approval.needed', related, manager, 'https://pl.example.org').href).toBe('https://pl.example.org/#/approvals');
    expect(linkFor('tool.up', related, manager, 'https://pl.example.org').href).toBe('https://pl.example.org/#/maintenance?focus=a1');
  });
});
