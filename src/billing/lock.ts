import type { Tx } from '../data/db.js';

/**
 * Statement writes (drafting, adjusting, correcting, issuing) take turns on a transaction-scoped
 * advisory lock; a new usage line takes it shared (its trigger), so no line lands in a month being issued.
 */
export async function lockStatements(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock("pilotline_statement_lock"())`;
}
