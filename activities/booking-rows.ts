import type { Booking, Policy } from '../src/generated/prisma/client.js';
import type { BookingSnapshot, BookingTiming, BookingView } from '../src/domain/booking.js';

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

/** Used where a tool has no policy at all. */
export const defaultTiming: BookingTiming = {
  approvalTimeoutMs: 24 * 3_600_000,
  checkInGraceMs: 15 * 60_000,
  earlyCheckInMs: 15 * 60_000,
  overrunGraceMs: 60 * 60_000,
  lateCancelMs: 24 * 3_600_000,
  reminderOffsetsMs: [24 * 3_600_000, 3_600_000],
};

/** A booking's durations from its tool's policy, then the overrides (tests, configuration). */
export function resolveTiming(policy: Policy | null, overrides: Partial<BookingTiming>): BookingTiming {
  const fromPolicy: Partial<BookingTiming> = policy
    ? {
        approvalTimeoutMs: policy.approvalTimeoutMin * 60_000,
        checkInGraceMs: policy.checkInGraceMin * 60_000,
        lateCancelMs: policy.lateCancelMin * 60_000,
        reminderOffsetsMs: policy.reminderOffsetsMin.map((m) => m * 60_000),
      }
    : {};
  return { ...defaultTiming, ...fromPolicy, ...withoutUndefined(overrides) };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
