import type { BookingSnapshot, BookingView } from '../domain/booking.js';
import type { Booking } from '../generated/prisma/client.js';

/** A booking row as the API and workflows see it. */

export function bookingView(row: Booking): BookingView {
  return {
    id: row.id,
    requestId: row.requestId,
    tenantId: row.tenantId,
    userId: row.userId,
    toolId: row.toolId,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    state: row.state,
    material: row.material,
    waferSize: row.waferSize,
    contaminationGroup: row.contaminationGroup,
    purpose: row.purpose,
    approvalDeadline: row.approvalDeadline?.toISOString() ?? null,
    checkedInAt: row.checkedInAt?.toISOString() ?? null,
    checkedOutAt: row.checkedOutAt?.toISOString() ?? null,
    cancelReason: row.cancelReason,
    lateCancel: row.lateCancel,
    lotStepId: row.lotStepId,
    movedByMaintenance: row.movedByMaintenanceId !== null,
    projectId: row.projectId,
    trainerId: row.trainerId,
    flag: row.flaggedAt
      ? { at: row.flaggedAt.toISOString(), reason: row.flagReason ?? 'flagged', qualificationId: row.flagQualificationId }
      : null,
    ...(row.primaryBookingId ? { primaryBookingId: row.primaryBookingId } : {}),
    ...(row.recipe ? { recipe: row.recipe, waferCount: row.waferCount } : {}),
  };
}

/** The booking with its instants as offsets from `now`, for the workflow's timers. */
export function bookingSnapshot(row: Booking, now: Date): BookingSnapshot {
  const t = now.getTime();
  return {
    booking: bookingView(row),
    startsInMs: row.startsAt.getTime() - t,
    endsInMs: row.endsAt.getTime() - t,
    approvalDeadlineInMs: row.state === 'held' && row.approvalDeadline ? row.approvalDeadline.getTime() - t : null,
  };
}
