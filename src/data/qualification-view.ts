import type { QualificationSnapshot, QualificationView } from '../domain/qualification.js';
import type { Qualification } from '../generated/prisma/client.js';

export const qualificationHolder = { user: { select: { name: true, tenantId: true } } } as const;
export type QualificationRow = Qualification & { user: { name: string; tenantId: string } };

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A qualification as people and workflows see it; its state as of `now`. */
export function qualificationView(row: QualificationRow, now: Date): QualificationView {
  return {
    id: row.id,
    userId: row.userId,
    userName: row.user.name,
    tenantId: row.user.tenantId,
    toolTypeId: row.toolTypeId,
    toolId: row.toolId,
    state: row.revokedAt ? 'revoked' : row.expiresAt && row.expiresAt <= now ? 'expired' : 'active',
    grantedAt: row.grantedAt.toISOString(),
    grantedById: row.grantedById,
    expiresAt: iso(row.expiresAt),
    trainerId: row.trainerId,
    trainedAt: iso(row.trainedAt),
    remindedAt: iso(row.remindedAt),
    lapsedAt: iso(row.lapsedAt),
    revokedAt: iso(row.revokedAt),
    revokedById: row.revokedById,
    revokeReason: row.revokeReason,
  };
}

/** The qualification with its expiry as an offset from `now`, for the workflow's timers. */
export function qualificationSnapshot(row: QualificationRow, now: Date): QualificationSnapshot {
  return { qualification: qualificationView(row, now), expiresInMs: row.expiresAt ? row.expiresAt.getTime() - now.getTime() : null };
}
