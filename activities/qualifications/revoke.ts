import { recordChange } from '../../src/data/records.js';
import type { RevokeInput } from '../../src/domain/qualification.js';
import { PilotlineError } from '../../src/errors.js';
import type { ActivityDeps } from '../deps.js';
import { changeQualification, findQualification, type QualificationChange } from './change.js';
import { flagUncoveredBookings } from './flag.js';
import { scopeWords, type QualificationKey } from './key.js';

/** A lab manager withdraws a qualification at once; the person's later bookings it covered are flagged. */
export function revokeQualificationActivity(deps: ActivityDeps) {
  return async function revokeQualification(input: QualificationKey & { revoke: RevokeInput }): Promise<QualificationChange> {
    const { revoke, ...key } = input;
    return changeQualification(deps, async (tx, now) => {
      const existing = await findQualification(tx, key);
      if (!existing) throw new PilotlineError('NOT_FOUND', `${key.userId} holds no qualification on ${scopeWords(key.scope)}`);
      if (existing.revokedAt) throw new PilotlineError('INVALID_STATE', 'The qualification is already revoked');
      const row = await tx.qualification.update({
        where: { id: existing.id },
        data: { revokedAt: now, revokedById: revoke.actor.userId, revokeReason: revoke.reason },
      });
      const detail = `${key.userId}'s qualification on ${scopeWords(key.scope)} was revoked: ${revoke.reason}`;
      const affected = await flagUncoveredBookings(tx, row, now, now, 'qualification_revoked', detail);
      await recordChange(tx, {
        actor: revoke.actor,
        action: 'qualification.revoked',
        entityType: 'qualification',
        entityId: row.id,
        data: { reason: revoke.reason, flaggedBookings: affected.map((b) => b.bookingId) },
        notify: [
          { recipientId: key.userId, tenantId: existing.user.tenantId, kind: 'qualification.revoked', subject: `Your qualification on ${scopeWords(key.scope)} was revoked`, payload: { qualificationId: row.id, reason: revoke.reason } },
          ...(affected.length
            ? [{ audience: 'lab_manager', kind: 'qualification.bookings_flagged', subject: `${affected.length} booking(s) of ${key.userId} lost their qualification`, payload: { qualificationId: row.id, bookingIds: affected.map((b) => b.bookingId) } }]
            : []),
        ],
      });
      return { id: row.id, affected };
    });
  };
}
