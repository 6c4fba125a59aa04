import { describe, expect, it } from 'vitest';
import { actionTimesOf, bookingActionsAt, isLateCancel } from '../../src/domain/booking-actions.js';

// What a screen may offer on a booking at an instant: the workflow's validators, as plain rules.

const start = Date.parse('2031-03-04T01:00:00Z'); // Tue 4 Mar 09:00 HKT
const times = actionTimesOf(new Date(start).toISOString(), { checkInGraceMin: 15, lateCancelMin: 24 * 60 });
const booking = { state: 'confirmed', tenantId: 'uni-a', userId: 'alice', startsAt: new Date(start).toISOString(), lotStepId: null, movedByMaintenance: false };
const alice = { userId: 'alice', tenantId: 'uni-a', role: 'tenant_user' };
const min = 60_000;
const action = (name: string, at: number, b = booking, viewer = alice) => bookingActionsAt(b, times, at, viewer).find((a) => a.action === name);

describe('bookingActionsAt', () => {
  it('opens check-in 15 minutes before the start and closes it at the no-show', () => {
    expect(action('check-in', start - 15 * min - 1)).toMatchObject({ allowed: false, changesAt: '2031-03-04T00:45:00.000Z' });
    expect(action('check-in', start - 15 * min - 1)?.note).toBe('Check-in opens Tue 4 Mar 08:45 (15 min before the start).');
    expect(action('check-in', start - 15 * min)).toMatchObject({ allowed: true, changesAt: '2031-03-04T01:15:00.000Z' });
    expect(action('check-in', start + 15 * min - 1)?.allowed).toBe(true);
    expect(action('check-in', start + 15 * min)?.allowed).toBe(false);
    expect(action('check-in', start, { ...booking, state: 'held' })?.allowed).toBe(false);
  });

  it('turns a cancellation late at the policy’s lead before the start, never for a held booking', () => {
    const lead = start - 24 * 60 * min;
    expect(isLateCancel(booking, times, lead - 1)).toBe(false);
    expect(isLateCancel(booking, times, lead)).toBe(true);
    expect(isLateCancel({ state: 'held' }, times, start)).toBe(false);
    expect(action('cancel', lead - 1)).toMatchObject({ allowed: true, changesAt: times.lateCancelFrom });
    expect(action('cancel', lead)).toMatchObject({ allowed: true, changesAt: null, note: 'Cancelling now is a late cancellation.' });
  });

  it('offers nothing to another tenant, nothing on a lot step, and the decline only to the moved booking’s tenant', () => {
    expect(bookingActionsAt(booking, times, start, { userId: 'bob', tenantId: 'uni-b', role: 'tenant_user' })).toEqual([]);
    expect(bookingActionsAt({ ...booking, lotStepId: 'step' }, times, start, alice)).toEqual([]);
    const moved = { ...booking, movedByMaintenance: true };
    expect(action('decline-move', start - 60 * min, moved)?.allowed).toBe(true);
    expect(action('decline-move', start - 60 * min, moved, { userId: 'mona', tenantId: 'institute', role: 'lab_manager' })).toBeUndefined();
    expect(bookingActionsAt({ ...booking, state: 'completed' }, times, start, alice)).toEqual([]);
  });
});
