import { recordChange } from '../../src/data/records.js';
import type { GrantInput, RenewInput } from '../../src/domain/qualification.js';
import { PilotlineError } from '../../src/errors.js';
import type { ActivityDeps } from '../deps.js';
import { changeQualification, checkTrainingRecord, findQualification, requireFuture, type QualificationChange } from './change.js';
import { clearCoveredFlags } from './flag.js';
import { scopeWords, whereKey, type QualificationKey } from './key.js';

const date = (iso: string | null) => (iso ? new Date(iso) : null);

/** A lab manager qualifies a person on a tool or tool type, with the training record; a lapsed or revoked one is granted afresh. */
export function grantQualificationActivity(deps: ActivityDeps) {
  return async function grantQualification(input: QualificationKey & { grant: GrantInput }): Promise<QualificationChange> {
    const { grant, ...key } = input;
    return changeQualification(deps, async (tx, now) => {
      const expiresAt = date(grant.expiresAt);
      const trainedAt = date(grant.trainedAt);
      requireFuture(expiresAt, now, 'body.expiresAt');
      await checkTrainingRecord(tx, grant.trainerId, trainedAt, now);
      const person = await tx.user.findUnique({ where: { id: key.userId }, select: { active: true, tenantId: true } });
      if (!person?.active) throw new PilotlineError('VALIDATION_FAILED', 'userId is not an active person', { issues: [{ field: 'body.userId', message: 'is not an active person' }] });
      const existing = await findQualification(tx, key);
      if (existing && !existing.revokedAt && (!existing.expiresAt || existing.expiresAt > now)) {
        throw new PilotlineError('INVALID_STATE', `${key.userId} is already qualified on ${scopeWords(key.scope)}: renew it instead`, {
          details: { qualificationId: existing.id },
        });
      }
      const fields = {
        grantedAt: now,
        grantedById: grant.actor.userId,
        expiresAt,
        trainerId: grant.trainerId,
        trainedAt,
        remindedAt: null,
        lapsedAt: null,
        revokedAt: null,
        revokedById: null,
        revokeReason: null,
      };
      const row = existing
        ? await tx.qualification.update({ where: { id: existing.id }, data: fields })
        : await tx.qualification.create({ data: { ...whereKey(key), ...fields } });
      if (existing) await clearCoveredFlags(tx, row.id, expiresAt);
      if (grant.trainingRequestId) {
        const { count } = await tx.trainingRequest.updateMany({
          where: { id: grant.trainingRequestId, userId: key.userId, status: { in: ['requested', 'scheduled'] } },
          data: { status: 'completed', decidedById: grant.actor.userId },
        });
        if (count !== 1) {
          throw new PilotlineError('VALIDATION_FAILED', 'trainingRequestId is not an open training request of this person', {
            issues: [{ field: 'body.trainingRequestId', message: 'is not an open training request of this person' }],
          });
        }
      }
      await recordChange(tx, {
        actor: grant.actor,
        action: 'qualification.granted',
        entityType: 'qualification',
        entityId: row.id,
        data: { userId: key.userId, ...key.scope, expiresAt: grant.expiresAt, trainerId: grant.trainerId, trainedAt: grant.trainedAt, trainingRequestId: grant.trainingRequestId },
        notify: [
          {
            recipientId: key.userId,
            tenantId: person.tenantId,
            kind: 'qualification.granted',
            subject: `You are qualified on ${scopeWords(key.scope)}${grant.expiresAt ? ` until ${grant.expiresAt}` : ''}`,
            payload: { qualificationId: row.id },
          },
        ],
      });
      return { id: row.id, affected: [] };
    });
  };
}

/** A new expiry (and, after a refresher, a new training record); bookings it covers again lose their flags. */
export function renewQualificationActivity(deps: ActivityDeps) {
  return async function renewQualification(input: QualificationKey & { renew: RenewInput }): Promise<QualificationChange> {
    const { renew, ...key } = input;
    return changeQualification(deps, async (tx, now) => {
      const expiresAt = date(renew.expiresAt);
      const trainedAt = date(renew.trainedAt);
      requireFuture(expiresAt, now, 'body.expiresAt');
      await checkTrainingRecord(tx, renew.trainerId, trainedAt, now);
      const existing = await findQualification(tx, key);
      if (!existing) throw new PilotlineError('NOT_FOUND', `${key.userId} holds no qualification on ${scopeWords(key.scope)}`);
      if (existing.revokedAt) throw new PilotlineError('INVALID_STATE', 'The qualification was revoked: grant it again (with a training record)');
      const row = await tx.qualification.update({
        where: { id: existing.id },
        data: {
          expiresAt,
          remindedAt: null,
          lapsedAt: null,
          ...(renew.trainerId ? { trainerId: renew.trainerId } : {}),
          ...(trainedAt ? { trainedAt } : {}),
        },
      });
      const unflagged = await clearCoveredFlags(tx, row.id, expiresAt);
      await recordChange(tx, {
        actor: renew.actor,
        action: 'qualification.renewed',
        entityType: 'qualification',
        entityId: row.id,
        data: { from: existing.expiresAt?.toISOString() ?? null, to: renew.expiresAt, trainerId: renew.trainerId, trainedAt: renew.trainedAt, unflaggedBookings: unflagged },
        notify: [
          {
            recipientId: key.userId,
            tenantId: existing.user.tenantId,
            kind: 'qualification.renewed',
            subject: `Your qualification on ${scopeWords(key.scope)} is renewed${renew.expiresAt ? ` until ${renew.expiresAt}` : ''}`,
            payload: { qualificationId: row.id },
          },
        ],
      });
      return { id: row.id, affected: [] };
    });
  };
}
