import type { LotSnapshot, LotView } from '../domain/lot.js';
import type { Booking, Lot, LotStep } from '../generated/prisma/client.js';

/** Prisma's `include` that reads a lot with its steps in route order and each step's booking. */
export const lotWithSteps = { steps: { orderBy: { seq: 'asc' }, include: { booking: true } } } as const;

export type LotRow = Lot & { steps: Array<LotStep & { booking: Booking | null }> };

/** A lot row with its steps as the API and workflows see it. */
export function lotView(row: LotRow): LotView {
  return {
    id: row.id,
    requestId: row.requestId,
    name: row.name,
    tenantId: row.tenantId,
    userId: row.userId,
    material: row.material,
    waferSize: row.waferSize,
    state: row.state,
    earliestStart: row.earliestStart.toISOString(),
    latestEnd: row.latestEnd.toISOString(),
    approvalDeadline: row.approvalDeadline?.toISOString() ?? null,
    cancelReason: row.cancelReason,
    projectId: row.projectId,
    steps: row.steps.map((s) => ({
      seq: s.seq,
      name: s.name,
      toolTypeId: s.toolTypeId,
      durationMin: s.durationMin,
      minLagToNextMin: s.minLagToNextMin,
      maxLagToNextMin: s.maxLagToNextMin,
      booking: s.booking
        ? {
            id: s.booking.id,
            toolId: s.booking.toolId,
            startsAt: s.booking.startsAt.toISOString(),
            endsAt: s.booking.endsAt.toISOString(),
            state: s.booking.state,
            checkedInAt: s.booking.checkedInAt?.toISOString() ?? null,
            checkedOutAt: s.booking.checkedOutAt?.toISOString() ?? null,
          }
        : null,
    })),
  };
}

/** The lot with its approval deadline as an offset from `now`, for the workflow's timer. */
export function lotSnapshot(row: LotRow, now: Date): LotSnapshot {
  return {
    lot: lotView(row),
    approvalDeadlineInMs: row.state === 'held' && row.approvalDeadline ? row.approvalDeadline.getTime() - now.getTime() : null,
  };
}
