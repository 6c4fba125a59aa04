import { qualificationHolder, qualificationSnapshot } from '../../src/data/qualification-view.js';
import { recordChange } from '../../src/data/records.js';
import type { QualificationSnapshot } from '../../src/domain/qualification.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { findQualification } from './change.js';
import { flagUncoveredBookings } from './flag.js';
import { scopeWords, type QualificationKey } from './key.js';

/** The qualification as the database holds it now, or null (a workflow catching up, or watching one). */
export function currentQualificationActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function currentQualification(key: QualificationKey): Promise<QualificationSnapshot | null> {
    const row = await findQualification(db, key);
    return row ? qualificationSnapshot(row, clock.now()) : null;
  };
}

interface Due {
  qualificationId: string;
  /** The expiry the workflow timed: a renewal since makes the timer stale, and nothing happens. */
  expiresAt: string;
}

/** The reminder before the expiry, once per expiry, to the person and their tenant's manager. */
export function remindQualificationActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function remindQualification(due: Due): Promise<QualificationSnapshot | null> {
    try {
      const row = await db.$transaction(async (tx) => {
        const q = await tx.qualification.findUnique({ where: { id: due.qualificationId }, include: qualificationHolder });
        if (!q || q.revokedAt || q.remindedAt || q.expiresAt?.toISOString() !== due.expiresAt) return q;
        const updated = await tx.qualification.update({ where: { id: q.id }, data: { remindedAt: clock.now() }, include: qualificationHolder });
        const scope = scopeWords({ toolId: q.toolId ?? undefined, toolTypeId: q.toolTypeId ?? undefined });
        await recordChange(tx, {
          actor: undefined,
          action: 'qualification.reminded',
          entityType: 'qualification',
          entityId: q.id,
          data: { expiresAt: due.expiresAt },
          notify: [
            { recipientId: q.userId, tenantId: q.user.tenantId, kind: 'qualification.expiring', subject: `Your qualification on ${scope} expires at ${due.expiresAt}: ask for a renewal`, payload: { qualificationId: q.id, expiresAt: due.expiresAt } },
            { audience: 'lab_manager', kind: 'qualification.expiring', subject: `${q.user.name}'s qualification on ${scope} expires at ${due.expiresAt}`, payload: { qualificationId: q.id, userId: q.userId } },
          ],
        });
        return updated;
      });
      return row ? qualificationSnapshot(row, clock.now()) : null;
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}

/**
 * The expiry has come: the qualification lapses and the person's later bookings on the tools it
 * covered are flagged for the lab managers, with one notification listing them. Idempotent.
 */
export function lapseQualificationActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function lapseQualification(due: Due): Promise<QualificationSnapshot | null> {
    try {
      const row = await db.$transaction(async (tx) => {
        const now = clock.now();
        const q = await tx.qualification.findUnique({ where: { id: due.qualificationId }, include: qualificationHolder });
        if (!q || q.revokedAt || q.lapsedAt || !q.expiresAt || q.expiresAt > now || q.expiresAt.toISOString() !== due.expiresAt) return q;
        const updated = await tx.qualification.update({ where: { id: q.id }, data: { lapsedAt: now }, include: qualificationHolder });
        const scope = scopeWords({ toolId: q.toolId ?? undefined, toolTypeId: q.toolTypeId ?? undefined });
        const detail = `${q.userId}'s qualification on ${scope} lapsed at ${due.expiresAt}`;
        const flagged = await flagUncoveredBookings(tx, q, q.expiresAt, now, 'qualification_lapsed', detail);
        await recordChange(tx, {
          actor: undefined,
          action: 'qualification.lapsed',
          entityType: 'qualification',
          entityId: q.id,
          data: { expiresAt: due.expiresAt, flaggedBookings: flagged.map((b) => b.bookingId) },
          notify: [
            { recipientId: q.userId, tenantId: q.user.tenantId, kind: 'qualification.lapsed', subject: `Your qualification on ${scope} has lapsed`, payload: { qualificationId: q.id } },
            ...(flagged.length
              ? [
                  {
                    audience: 'lab_manager',
                    kind: 'qualification.bookings_flagged',
                    subject: `${q.user.name}'s qualification on ${scope} lapsed: ${flagged.length} later booking(s) flagged`,
                    payload: { qualificationId: q.id, bookings: flagged.map((b) => ({ bookingId: b.bookingId, toolId: b.toolId, startsAt: b.startsAt })) },
                  },
                ]
              : []),
          ],
        });
        return updated;
      });
      return row ? qualificationSnapshot(row, clock.now()) : null;
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}
