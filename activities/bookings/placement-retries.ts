import type { Db, Tx } from '../../src/data/db.js';
import { isExclusionViolation } from '../../src/data/sql-state.js';
import { PilotlineError } from '../../src/errors.js';

/**
 * Runs a placement, again when another writer took the slot between reading and writing (the
 * exclusion constraint refused the write); after `maxAttempts` the caller hears SLOT_TAKEN.
 */
export async function withPlacementRetries<T>(maxAttempts: number, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isExclusionViolation(err)) throw err;
      if (attempt >= maxAttempts) throw new PilotlineError('SLOT_TAKEN', 'Every slot found was taken by others meanwhile; try again');
    }
  }
}

/** The policy row that governs a tool: its own, else its type's. */
export async function policyOf(tx: Pick<Db | Tx, 'tool' | 'policy'>, toolId: string) {
  const tool = await tx.tool.findUniqueOrThrow({ where: { id: toolId }, select: { toolTypeId: true } });
  return (await tx.policy.findUnique({ where: { toolId } })) ?? (await tx.policy.findUnique({ where: { toolTypeId: tool.toolTypeId } }));
}
