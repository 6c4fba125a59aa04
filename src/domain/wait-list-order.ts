// The wait list's fair order, written once: who is offered freed time first.
//
// 1. Higher tenant priority first (the facility's priority classes, as in repair).
// 2. Within a priority, first come, first served: the order in which the database took the joins.
// 3. The cap: while a tenant holds `cap` open offers, its other waiters are passed over (they keep
//    their place for the next freed time). Without it one tenant that joined every list early would
//    sit at the head of each and freeze all of that time behind its unanswered offers.
// A waiter who already let this very time go (declined it, or let the offer lapse) is never
// offered it again: the time moves down the list instead of bouncing between two waiters.

export interface Waiter {
  id: string;
  tenantId: string;
  tenantPriority: number;
  /** Join order. */
  seq: number;
}

export type WaiterTurn =
  | { waiter: Waiter; turn: 'try' }
  | { waiter: Waiter; turn: 'passed'; reason: 'tenant_cap' | 'already_passed_on_this_time' };

export function byFairOrder(a: Waiter, b: Waiter): number {
  return b.tenantPriority - a.tenantPriority || a.seq - b.seq || a.id.localeCompare(b.id);
}

/**
 * Walks the waiters in fair order; `tryWaiter` answers whether it got an offer (so the cap counts
 * it at once). Returns every waiter's turn, for the audit entry.
 */
export async function takeTurns(
  waiters: readonly Waiter[],
  rules: { openOffersByTenant: ReadonlyMap<string, number>; cap: number; passedOver: readonly string[] },
  tryWaiter: (waiter: Waiter) => Promise<boolean>,
): Promise<Array<WaiterTurn & { offered?: boolean }>> {
  const open = new Map(rules.openOffersByTenant);
  const passedOver = new Set(rules.passedOver);
  const turns: Array<WaiterTurn & { offered?: boolean }> = [];
  for (const waiter of [...waiters].sort(byFairOrder)) {
    if (passedOver.has(waiter.id)) {
      turns.push({ waiter, turn: 'passed', reason: 'already_passed_on_this_time' });
    } else if ((open.get(waiter.tenantId) ?? 0) >= rules.cap) {
      turns.push({ waiter, turn: 'passed', reason: 'tenant_cap' });
    } else {
      const offered = await tryWaiter(waiter);
      if (offered) open.set(waiter.tenantId, (open.get(waiter.tenantId) ?? 0) + 1);
      turns.push({ waiter, turn: 'try', offered });
    }
  }
  return turns;
}
