/**
 * How many integration test files run at once. Each has its own database already; each slot gets
 * its own Temporal dev server too. Two keeps a 2-core machine busy while files wait on timers,
 * processes and the servers.
 */
export const integrationSlots = 2;

/** This file's slot, 0-based, from the pool id vitest gives each concurrent worker (1..n). */
export function currentSlot(): number {
  const id = Number(process.env.VITEST_POOL_ID ?? '1');
  return Number.isInteger(id) && id >= 1 ? (id - 1) % integrationSlots : 0;
}
