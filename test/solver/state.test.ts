import { describe, expect, it } from 'vitest';
import {
  buildSolverState,
  placeBooking,
  SolverInputError,
  weekIndexOf,
  weekStartOf,
} from '../../src/solver/index.js';
import { resolvePolicy } from '../../src/solver/policy.js';
import { quotaStartRanges } from '../../src/solver/quota.js';
import {
  aBooking,
  aMaintenance,
  aPolicy,
  aRequest,
  aSnapshot,
  aState,
  aTool,
  at,
  MONDAY,
  NOW,
} from './builders.js';

describe('quota weeks', () => {
  it('start on Monday 00:00 in Hong Kong, which is Sunday 16:00 UTC', () => {
    expect(new Date(weekStartOf(weekIndexOf(at('Wed 12:00'))) * 60_000).toISOString()).toBe(
      '2025-03-02T16:00:00.000Z',
    );
    expect(weekIndexOf(MONDAY) - weekIndexOf(MONDAY - 1)).toBe(1);
  });

  it('allow exactly the starts that keep every touched week within the quota', () => {
    const week = weekIndexOf(MONDAY);
    const used = new Map([[week, 50]]);
    // 60-minute slots, 60 allowed per week, 50 used in the week starting at MONDAY: at most 10 minutes may fall in it.
    const { ranges, cuts } = quotaStartRanges(used, 60, 60, MONDAY - 120, MONDAY + 120);
    expect(ranges).toEqual([{ from: MONDAY - 120, to: MONDAY - 50 }]);
    expect(cuts).toEqual([{ week, usedMinutes: 50 }]);
  });
});

describe('SolverState', () => {
  it('counts quota per tenant, tool type and week, and gives it back when a booking goes', () => {
    const state = aState();
    const booking = aBooking({ start: at('Sun 23:00'), end: at('Mon 01:00', 1) });
    state.add(booking);
    const type = 'sem';
    expect(state.quota.usedMinutes('acme', type, weekIndexOf(at('Sun 23:00')))).toBe(60);
    expect(state.quota.usedMinutes('acme', type, weekIndexOf(at('Mon 00:30', 1)))).toBe(60);
    expect(state.remove(booking.id)).toEqual(booking);
    expect(state.quota.weeksOf('acme', type)?.size ?? 0).toBe(0);
    expect(state.remove(booking.id)).toBeUndefined();
  });

  it('answers placements as if rebuilt after adding and removing reservations', () => {
    const pm = aMaintenance({ start: at('Mon 08:00'), end: at('Mon 12:00') });
    const state = aState();
    state.add(pm);
    const rebuilt = aState({ reservations: [pm] });
    expect(placeBooking(aRequest({ id: 'r' }), state, NOW)).toEqual(
      placeBooking(aRequest({ id: 'r' }), rebuilt, NOW),
    );
    state.remove(pm.id);
    expect(placeBooking(aRequest({ id: 'r' }), state, NOW)).toEqual(
      placeBooking(aRequest({ id: 'r' }), aState(), NOW),
    );
  });

  it('gives back the snapshot it was built from', () => {
    const snapshot = aSnapshot({ reservations: [aBooking(), aMaintenance({ start: at('Tue 08:00') })] });
    expect(buildSolverState(snapshot).toSnapshot()).toEqual(snapshot);
  });

  it('refuses reservations on unknown tools and duplicate ids', () => {
    const state = aState();
    const booking = aBooking();
    state.add(booking);
    expect(() => state.add(booking)).toThrow(SolverInputError);
    expect(() => state.add(aBooking({ toolId: 'XRD-1' }))).toThrow(/unknown tool XRD-1/);
    expect(() => placeBooking(aRequest({ tenantId: 'nobody' }), state, NOW)).toThrow(/unknown tenant/);
  });
});

describe('resolvePolicy', () => {
  it('merges the type policy and the tool policy field by field, the tool winning', () => {
    const tool = aTool();
    const policy = resolvePolicy(tool, [
      aPolicy({
        minDurationMinutes: 15,
        bufferAfterMinutes: 10,
        weeklyQuotaHours: 5,
        weeklyQuotaHoursByTenantClass: { university: 2 },
      }),
      aPolicy({
        appliesTo: { kind: 'tool', toolId: tool.id },
        bufferAfterMinutes: 30,
        approvalRequired: true,
      }),
      aPolicy({ appliesTo: { kind: 'toolType', toolType: 'afm' }, minDurationMinutes: 99 }),
    ]);
    expect(policy).toMatchObject({
      minDurationMinutes: 15,
      bufferAfterMinutes: 30,
      approvalRequired: true,
      maxDurationMinutes: Infinity,
    });
    expect(policy.weeklyQuotaMinutes).toEqual({ institute: 300, university: 120, industry: 300 });
  });
});
