import { affectedBooking } from '../../src/calendar/affected.js';
import type { Tx } from '../../src/data/db.js';
import type { AffectedBooking, AffectedReason } from '../../src/domain/affected.js';
import type { Qualification } from '../../src/generated/prisma/client.js';
import { toolsCovered } from './key.js';

/**
 * Flags the person's bookings that a lapsed or revoked qualification no longer covers: held or
 * confirmed, on a tool it covered, ending after `from`, and not covered by another qualification of
 * theirs that is still valid at the booking's end. Flags are for the lab managers: nothing is cancelled.
 */
export async function flagUncoveredBookings(
  tx: Tx,
  qualification: Qualification,
  from: Date,
  now: Date,
  reason: Extract<AffectedReason, 'qualification_lapsed' | 'qualification_revoked'>,
  detail: string,
): Promise<AffectedBooking[]> {
  const toolIds = await toolsCovered(tx, qualification);
  const candidates = await tx.booking.findMany({
    where: { userId: qualification.userId, toolId: { in: toolIds }, state: { in: ['held', 'confirmed'] }, endsAt: { gt: from } },
    include: { lotStep: { select: { lotId: true } }, tool: { select: { toolTypeId: true } } },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
  });
  const others = await tx.qualification.findMany({
    where: { userId: qualification.userId, id: { not: qualification.id }, revokedAt: null },
  });
  // A training booking is covered by its trainer, not by the trainee's qualification.
  const uncovered = candidates.filter(
    (b) =>
      b.trainerId === null &&
      !others.some(
        (q) => (q.toolId === b.toolId || q.toolTypeId === b.tool.toolTypeId) && (q.expiresAt === null || q.expiresAt >= b.endsAt),
      ),
  );
  if (uncovered.length) {
    await tx.booking.updateMany({
      where: { id: { in: uncovered.map((b) => b.id) } },
      data: { flaggedAt: now, flagReason: detail, flagQualificationId: qualification.id },
    });
  }
  return uncovered.map((b) => affectedBooking(b, reason, detail));
}

/** A renewal covers the flagged bookings again that end before the new expiry: their flags go. */
export async function clearCoveredFlags(tx: Tx, qualificationId: string, expiresAt: Date | null): Promise<number> {
  const { count } = await tx.booking.updateMany({
    where: { flagQualificationId: qualificationId, ...(expiresAt ? { endsAt: { lte: expiresAt } } : {}) },
    data: { flaggedAt: null, flagReason: null, flagQualificationId: null },
  });
  return count;
}
