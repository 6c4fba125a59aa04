import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import type { Impact } from '../../src/domain/maintenance.js';
import type { AffectedBooking } from '../../src/domain/affected.js';
import { affectedSeenBy, bookingBlockSeenBy, impactSeenBy } from '../../src/domain/visibility.js';

const slot = (toolId: string, hour: number) => ({
  toolId,
  startsAt: `2035-01-01T${String(hour).padStart(2, '0')}:00:00.000Z`,
  endsAt: `2035-01-01T${String(hour + 1).padStart(2, '0')}:00:00.000Z`,
});

const impact: Impact = {
  moves: [
    { bookingId: 'b-own-move', tenantId: 'uni-a', from: slot('T-1', 1), to: slot('T-1', 9) },
    { bookingId: 'b-their-move', tenantId: 'co-b', from: slot('T-1', 2), to: slot('T-2', 9) },
  ],
  unplaceable: [{ bookingId: 'b-their-stuck', tenantId: 'co-b', from: slot('T-1', 3), explanation: [{ toolId: 'T-1', reasons: [{ code: 'NOT_QUALIFIED', userId: 'bob' }] }] }],
  conflicts: [{ bookingId: 'b-their-running', tenantId: 'co-c', at: slot('T-2', 0) }],
  lots: [
    {
      lotId: 'lot-own',
      tenantId: 'uni-a',
      name: 'HEMT lot A',
      outcome: 'moved',
      steps: [{ seq: 1, bookingId: 'b-own-step', from: slot('T-1', 4), to: slot('T-1', 12) }],
      detail: 'moved as a route',
      qtimeAlert: null,
    },
    {
      lotId: 'lot-theirs',
      tenantId: 'co-b',
      name: 'Secret product lot',
      outcome: 'released',
      steps: [{ seq: 1, bookingId: 'b-their-step', from: slot('T-1', 5), to: null }],
      detail: 'released: no route fits',
      qtimeAlert: null,
    },
  ],
  metrics: { displaced: 4, moved: 2, unplaceable: 1, conflicts: 1, displacementMinutes: 480, tenantsTouched: 3 },
};

const alice: Actor = { userId: 'alice', tenantId: 'uni-a', role: 'tenant_user' };
const ops: Actor = { userId: 'otto', tenantId: 'institute', role: 'ops' };

describe('impactSeenBy', () => {
  it("shows a tenant user their own bookings and everyone else's only as busy time, in every list", () => {
    const seen = impactSeenBy(alice, impact);
    expect(seen.moves.map((m) => m.bookingId)).toEqual(['b-own-move']);
    expect(seen.unplaceable).toEqual([]);
    expect(seen.conflicts).toEqual([]);
    expect(seen.lots.map((l) => l.lotId)).toEqual(['lot-own']);
    expect(seen.busy).toEqual([slot('T-2', 0), slot('T-1', 2), slot('T-1', 3), slot('T-1', 5)]);
    expect(JSON.stringify(seen)).not.toMatch(/co-b|co-c|b-their|bob|Secret|lot-theirs/);
    expect(seen.metrics).toEqual(impact.metrics);
  });

  it('shows staff everything, and nothing but the documented fields', () => {
    const seen = impactSeenBy(ops, { ...impact, moves: impact.moves.map((m) => ({ ...m, secret: 1 })) } as Impact);
    expect(seen).toEqual(impact);
    expect(seen.busy).toBeUndefined();
  });
});

describe('bookingBlockSeenBy', () => {
  const booking = { id: 'b1', startsAt: slot('T-1', 1).startsAt, endsAt: slot('T-1', 1).endsAt, state: 'confirmed', tenantId: 'co-b', userId: 'bob', material: 'GaN' };
  it("shows another tenant's booking as busy and one's own in full", () => {
    expect(bookingBlockSeenBy(alice, booking)).toEqual({ kind: 'busy', startsAt: booking.startsAt, endsAt: booking.endsAt });
    expect(bookingBlockSeenBy({ ...alice, tenantId: 'co-b' }, booking)).toEqual({ kind: 'booking', ...booking });
    expect(bookingBlockSeenBy(ops, booking)).toMatchObject({ kind: 'booking', id: 'b1' });
  });
});

describe('affectedSeenBy', () => {
  const affected = (bookingId: string, tenantId: string, hour: number): AffectedBooking => ({
    bookingId,
    tenantId,
    userId: `${tenantId}-user`,
    ...slot('T-1', hour),
    state: 'confirmed',
    lotId: null,
    reason: 'tool_retired',
    detail: 'T-1 is retired',
  });
  const list = [affected('b-theirs', 'co-b', 3), affected('b-own', 'uni-a', 1)];

  it("shows a tenant's manager, like its users, only their own tenant's bookings, the others as busy", () => {
    const manager: Actor = { userId: 'una', tenantId: 'uni-a', role: 'tenant_manager' };
    for (const actor of [alice, manager]) {
      const seen = affectedSeenBy(actor, list);
      expect(seen.bookings.map((b) => b.bookingId)).toEqual(['b-own']);
      expect(seen.busy).toEqual([slot('T-1', 3)]);
      expect(JSON.stringify(seen)).not.toMatch(/co-b|b-theirs/);
    }
  });

  it('shows staff every booking', () => {
    expect(affectedSeenBy(ops, list)).toEqual({ bookings: list });
  });
});
