import type { AllocationRound } from '../generated/prisma/client.js';
import { PilotlineError } from '../errors.js';
import type { Tx } from './db.js';

/**
 * The round's row, locked for the rest of the transaction: submissions, the close, proposals and
 * the publication of one round take turns on it, so a request is either in before the close or refused.
 */
export async function lockRound(tx: Tx, roundId: string): Promise<AllocationRound> {
  await tx.$executeRaw`SELECT 1 FROM "allocation_rounds" WHERE "id" = ${roundId} FOR UPDATE`;
  const round = await tx.allocationRound.findUnique({ where: { id: roundId } });
  if (!round) throw new PilotlineError('NOT_FOUND', `No allocation round ${roundId}`);
  return round;
}

/** "the week of 2027-03-01", for messages. */
export const weekOf = (round: Pick<AllocationRound, 'id'>) => `the week of ${round.id}`;
