import { describe, expect, it } from 'vitest';
import { impactOf } from '../../src/calendar/repair-plan.js';
import { impactSchema } from '../../src/domain/maintenance.js';
import { REPAIR_RULE, repairAfterMaintenance } from '../../src/solver/index.js';
import { aBooking, aState, aTenant, at, NOW } from '../solver/builders.js';

describe('impactOf', () => {
  // Free room right after the window for one booking only: 12:00–12:30.
  const state = aState({
    tenants: [
      aTenant({ id: 'inst-power', class: 'institute', priority: 3 }),
      aTenant({ id: 'uni-harbour', class: 'university', priority: 1 }),
    ],
    reservations: [
      aBooking({ id: 'B-101', tenantId: 'inst-power', start: at('Mon 07:00'), end: at('Mon 09:00') }),
      aBooking({ id: 'B-102', tenantId: 'inst-power', start: at('Mon 12:30'), end: at('Mon 13:00') }),
      aBooking({
        id: 'B-103',
        tenantId: 'inst-power',
        start: at('Mon 11:00'),
        end: at('Mon 11:25'),
        allowedWindow: { earliestStart: at('Mon 11:00'), latestEnd: at('Mon 12:30') },
      }),
      aBooking({
        id: 'B-104',
        tenantId: 'uni-harbour',
        start: at('Mon 10:00'),
        end: at('Mon 10:30'),
        allowedWindow: { earliestStart: at('Mon 10:00'), latestEnd: at('Mon 12:30') },
      }),
    ],
  });
  const plan = repairAfterMaintenance(
    { id: 'pm', toolIds: ['SEM-1'], start: at('Mon 09:00'), end: at('Mon 12:00'), reason: 'planned' },
    state,
    { now: NOW },
  );

  it('gives each booking its reason as a code and in words, with the rule, naming no other booking or tenant', () => {
    const impact = impactSchema.parse(impactOf({ plan, lots: [] }));
    expect(impact.moves).toEqual([
      expect.objectContaining({
        bookingId: 'B-103',
        reason: 'NEAREST_FREE_START',
        reasonText: expect.any(String),
      }),
    ]);
    const [lost] = impact.unplaceable;
    expect(lost).toMatchObject({
      bookingId: 'B-104',
      tenantId: 'uni-harbour',
      reason: 'TAKEN_BY_EQUAL_OR_HIGHER_PRIORITY',
    });
    expect(lost!.reasonText).toContain('would fit on its own');
    expect(lost!.reasonText).toContain(REPAIR_RULE);
    for (const text of [impact.moves[0]!.reasonText!, lost!.reasonText!])
      for (const other of ['B-10', 'inst-power', 'uni-harbour']) expect(text).not.toContain(other);
  });
});
