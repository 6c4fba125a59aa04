import type { TrainingRequestView } from '../domain/training.js';
import type { Booking, TrainingRequest } from '../generated/prisma/client.js';

export const trainingDetails = { user: { select: { name: true } }, booking: true } as const;
export type TrainingRow = TrainingRequest & { user: { name: string }; booking: Booking | null };

export function trainingRequestView(row: TrainingRow): TrainingRequestView {
  const b = row.booking;
  return {
    id: row.id,
    userId: row.userId,
    userName: row.user.name,
    tenantId: row.tenantId,
    toolTypeId: row.toolTypeId,
    toolId: row.toolId,
    note: row.note,
    status: row.status,
    booking: b
      ? { id: b.id, toolId: b.toolId, startsAt: b.startsAt.toISOString(), endsAt: b.endsAt.toISOString(), state: b.state, trainerId: b.trainerId }
      : null,
    decidedById: row.decidedById,
    declineReason: row.declineReason,
    createdAt: row.createdAt.toISOString(),
  };
}
