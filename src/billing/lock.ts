import type { Tx } from '../data/db.js';

/** Statement writes (drafting, adjusting, correcting, issuing) take turns: a transaction-scoped advisory lock. */
export async function lockStatements(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('pilotline/statements'))`;
}
