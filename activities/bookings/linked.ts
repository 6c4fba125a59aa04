import type { Tx } from '../../src/data/db.js';
import type { Booking, Prisma } from '../../src/generated/prisma/client.js';

// Linked tools: a booking of a primary tool holds each tool it needs alongside as a member booking
// (same interval, tenant, user and state), so the exclusion constraint guards them like any other.
// Members have no workflow of their own: the primary's workflow acts for the group.

const activeStates = ['held', 'confirmed', 'in_use'] as const;

/**
 * Makes the primary's members match `linkedToolIds`: each held for the primary's interval and
 * state (made, or taken back from an earlier reschedule), and a tool no longer needed released.
 */
export async function syncLinkedMembers(tx: Tx, primary: Booking, linkedToolIds: readonly string[]): Promise<Booking[]> {
  const existing = await tx.booking.findMany({ where: { primaryBookingId: primary.id } });
  const shared = {
    startsAt: primary.startsAt,
    endsAt: primary.endsAt,
    state: primary.state,
    windowStart: primary.windowStart,
    windowEnd: primary.windowEnd,
    approvalDeadline: primary.approvalDeadline,
    movedByMaintenanceId: primary.movedByMaintenanceId,
    cancelReason: null,
    lateCancel: false,
  } satisfies Prisma.BookingUncheckedUpdateInput;
  const members: Booking[] = [];
  for (const member of existing) {
    if (linkedToolIds.includes(member.toolId) || !(activeStates as readonly string[]).includes(member.state)) continue;
    await tx.booking.update({
      where: { id: member.id },
      data: { state: 'cancelled', cancelReason: `no longer needed with ${primary.toolId}`, lateCancel: false },
    });
  }
  for (const toolId of linkedToolIds) {
    const member = existing.find((m) => m.toolId === toolId);
    members.push(
      member
        ? await tx.booking.update({ where: { id: member.id }, data: shared })
        : await tx.booking.create({
            data: {
              ...shared,
              requestId: `${primary.requestId}/${toolId}`,
              workflowId: `${primary.workflowId}/${toolId}`,
              tenantId: primary.tenantId,
              userId: primary.userId,
              toolId,
              material: primary.material,
              waferSize: primary.waferSize,
              contaminationGroup: primary.contaminationGroup,
              purpose: primary.purpose,
              primaryBookingId: primary.id,
            },
          }),
    );
  }
  return members;
}

/** The primary's members still in `state` (before a transition moves the group on). */
export function membersIn(tx: Tx, primaryId: string, states: readonly Booking['state'][]): Promise<Booking[]> {
  return tx.booking.findMany({ where: { primaryBookingId: primaryId, state: { in: [...states] } }, orderBy: { toolId: 'asc' } });
}

/** The primary's active members take its state, interval and deadline (a change made outside transitionBooking). */
export async function membersFollow(tx: Tx, primary: Booking): Promise<void> {
  await tx.booking.updateMany({
    where: { primaryBookingId: primary.id, state: { in: [...activeStates] } },
    data: {
      state: primary.state,
      startsAt: primary.startsAt,
      endsAt: primary.endsAt,
      approvalDeadline: primary.approvalDeadline,
      cancelReason: primary.cancelReason,
    },
  });
}
