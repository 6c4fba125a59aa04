import type { RouteStep, StepSlot } from '../../src/calendar/lot-plan.js';
import { loadSolverSnapshot } from '../../src/calendar/snapshot.js';
import type { Tx } from '../../src/data/db.js';
import { lotStepRequestId } from '../../src/domain/ids.js';
import { dateFromMinute } from '../../src/domain/time.js';
import type { Lot, LotStep, Prisma } from '../../src/generated/prisma/client.js';
import { buildSolverState, type SolverState } from '../../src/solver/state.js';
import { lockToolTypes } from '../locks.js';
import type { NotificationDraft } from '../records.js';

// What the lot activities share: the route as the planner reads it, its calendar, its step bookings.

/** The route's calendar, with its tool types locked against concurrent placements. */
export async function routeState(
  tx: Tx,
  toolTypeIds: readonly string[],
  from: number,
  to: number,
  userId: string,
): Promise<SolverState> {
  const types = [...new Set(toolTypeIds)];
  await lockToolTypes(tx, types);
  return buildSolverState(
    await loadSolverSnapshot(tx, { toolTypeIds: types, fromMinute: from, toMinute: to, userIds: [userId] }),
  );
}

/** A notification to the lot's owner. */
export function toLotOwner(
  row: Lot,
  kind: string,
  subject: string,
  payload: Record<string, unknown> = {},
): NotificationDraft {
  return {
    recipientId: row.userId,
    tenantId: row.tenantId,
    kind,
    subject,
    payload: { lotId: row.id, ...payload },
  };
}

export function slotData(slot: StepSlot) {
  return {
    seq: slot.seq,
    toolId: slot.toolId,
    startsAt: dateFromMinute(slot.start).toISOString(),
    endsAt: dateFromMinute(slot.end).toISOString(),
  };
}

/** The booking row of one step's slot. */
export function stepBooking(
  lot: Lot,
  step: LotStep,
  route: RouteStep,
  slot: StepSlot,
  held: boolean,
): Prisma.BookingUncheckedCreateInput {
  const startsAt = dateFromMinute(slot.start);
  const endsAt = dateFromMinute(slot.end);
  return {
    requestId: lotStepRequestId(lot.requestId, step.seq),
    workflowId: `${lot.workflowId}#${step.seq}`,
    tenantId: lot.tenantId,
    userId: lot.userId,
    projectId: lot.projectId,
    toolId: slot.toolId,
    startsAt,
    endsAt,
    state: held ? 'held' : 'confirmed',
    material: lot.material,
    waferSize: lot.waferSize,
    contaminationGroup: route.contaminationGroup,
    // A step's slot is tied to its neighbours by Q-time: repair may not move it in time.
    windowStart: startsAt,
    windowEnd: endsAt,
    purpose: `${lot.name}: step ${step.seq} ${step.name}`,
    lotStepId: step.id,
    approvalDeadline: held ? lot.approvalDeadline : null,
  };
}
