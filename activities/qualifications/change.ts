import type { Db, Tx } from '../../src/data/db.js';
import { qualificationHolder, qualificationSnapshot } from '../../src/data/qualification-view.js';
import type { AffectedBooking } from '../../src/domain/affected.js';
import type { QualificationChange } from '../../src/domain/qualification.js';
import { PilotlineError } from '../../src/errors.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { whereKey, type QualificationKey } from './key.js';

export type { QualificationChange };

/** The row of a person's qualification in a scope, or null. */
export function findQualification(tx: Pick<Db | Tx, 'qualification'>, key: QualificationKey) {
  return tx.qualification.findFirst({ where: whereKey(key), include: qualificationHolder });
}

/**
 * Runs one change of a qualification in a transaction (with its audit entry and notifications, written
 * by `work`) and answers its snapshot; refusals become activity failures with their codes.
 */
export async function changeQualification(
  deps: ActivityDeps,
  work: (tx: Tx, now: Date) => Promise<{ id: string; affected: AffectedBooking[] }>,
): Promise<QualificationChange> {
  const { db, clock } = deps;
  try {
    const { id, affected } = await db.$transaction((tx) => work(tx, clock.now()), { timeout: 15_000 });
    const row = await db.qualification.findUniqueOrThrow({ where: { id }, include: qualificationHolder });
    return { snapshot: qualificationSnapshot(row, clock.now()), affected };
  } catch (err) {
    throw asActivityFailure(err);
  }
}

export function requireFuture(at: Date | null, now: Date, field: string): void {
  if (at && at <= now) {
    throw new PilotlineError('VALIDATION_FAILED', `${field} must be in the future`, { issues: [{ field, message: 'must be in the future' }] });
  }
}

/** Who trained the person, and when: an active person; not a training in the future. */
export async function checkTrainingRecord(tx: Pick<Tx, 'user'>, trainerId: string | null, trainedAt: Date | null, now: Date): Promise<void> {
  if (trainerId && !(await tx.user.findFirst({ where: { id: trainerId, active: true }, select: { id: true } }))) {
    throw new PilotlineError('VALIDATION_FAILED', 'trainerId is not an active person', { issues: [{ field: 'body.trainerId', message: 'is not an active person' }] });
  }
  if (trainedAt && trainedAt > now) {
    throw new PilotlineError('VALIDATION_FAILED', 'trainedAt is in the future', { issues: [{ field: 'body.trainedAt', message: 'must not be in the future' }] });
  }
}
