import { describe, expect, it } from 'vitest';
import { takeTurns, type Waiter } from '../../src/domain/wait-list-order.js';

const waiter = (id: string, tenantId: string, seq: number, tenantPriority = 0): Waiter => ({ id, tenantId, seq, tenantPriority });

/** Offers to every waiter it is asked about, or only to those in `fits`. */
const offering = (fits?: readonly string[]) => {
  const asked: string[] = [];
  return { asked, try: async (w: Waiter) => (asked.push(w.id), fits ? fits.includes(w.id) : true) };
};

describe('the wait list’s fair order', () => {
  it('asks higher tenant priority first, then in join order', async () => {
    const o = offering([]);
    await takeTurns([waiter('late-uni', 'u', 3), waiter('early-co', 'c', 1), waiter('institute', 'i', 9, 2)], { openOffersByTenant: new Map(), cap: 1, passedOver: [] }, o.try);
    expect(o.asked).toEqual(['institute', 'early-co', 'late-uni']);
  });

  it('passes over a tenant holding as many open offers as the cap, counting the offers it just got', async () => {
    const o = offering();
    const turns = await takeTurns(
      [waiter('a1', 'a', 1), waiter('a2', 'a', 2), waiter('b1', 'b', 3), waiter('c1', 'c', 4)],
      { openOffersByTenant: new Map([['c', 1]]), cap: 1, passedOver: [] },
      o.try,
    );
    expect(turns.map((t) => [t.waiter.id, t.turn === 'passed' ? t.reason : t.offered])).toEqual([
      ['a1', true],
      ['a2', 'tenant_cap'],
      ['b1', true],
      ['c1', 'tenant_cap'],
    ]);
    expect(o.asked).toEqual(['a1', 'b1']);
  });

  it('keeps a waiter that did not fit eligible, and never asks one who let this time go', async () => {
    const o = offering(['a2']);
    const turns = await takeTurns([waiter('a1', 'a', 1), waiter('a2', 'a', 2), waiter('b1', 'b', 3)], { openOffersByTenant: new Map(), cap: 1, passedOver: ['b1'] }, o.try);
    expect(turns.map((t) => [t.waiter.id, t.turn === 'passed' ? t.reason : t.offered])).toEqual([
      ['a1', false],
      ['a2', true],
      ['b1', 'already_passed_on_this_time'],
    ]);
  });
});
