import { randomUUID } from 'node:crypto';
import { findSlots, placementRequestOf } from '../../src/calendar/placement.js';
import type { Tx } from '../../src/data/db.js';
import { bookingWorkflowId } from '../../src/domain/ids.js';
import type { Role } from '../../src/domain/roles.js';
import type { OfferMade } from '../../src/domain/wait-list.js';
import { takeTurns, type Waiter } from '../../src/domain/wait-list-order.js';
import type { FreedTime, WaitListEntry } from '../../src/generated/prisma/client.js';
import { syncLinkedMembers } from '../bookings/linked.js';
import type { ActivityDeps } from '../deps.js';
import { lockToolTypes } from '../locks.js';
import { recordChange } from '../records.js';
import { defaultOpenOffersPerTenant } from '../../src/domain/wait-list.js';

/** Waiters looked at per freed interval: the head of the list is what fairness is about. */
const maxWaitersPerInterval = 100;

/**
 * Offers one freed interval to the waiters in fair order, in one transaction under the tool type's
 * placement lock: each compatible waiter in turn is placed by the solver on the tool (anywhere in
 * its own window, on the calendar as it is now) and, if something fits, gets a `held` booking and
 * an open offer. The interval may serve several waiters; the audit entry records every turn.
 */
export async function offerFreedTime(deps: ActivityDeps, tx: Tx, freed: FreedTime): Promise<OfferMade[]> {
  const { clock } = deps;
  const placementLock = deps.placementLock ?? lockToolTypes;
  const tool = await tx.tool.findUnique({ where: { id: freed.toolId }, select: { id: true, toolTypeId: true } });
  if (!tool) return [];
  await placementLock(tx, [tool.toolTypeId]);
  const now = clock.now();

  const candidates = await tx.waitListEntry.findMany({
    where: {
      state: 'waiting',
      OR: [{ toolTypeId: tool.toolTypeId, toolIds: { isEmpty: true } }, { toolIds: { has: tool.id } }],
      earliestStart: { lt: freed.endsAt },
      latestEnd: { gt: new Date(Math.max(freed.startsAt.getTime(), now.getTime())) },
    },
    include: { tenant: { select: { priority: true } }, user: { select: { role: true } } },
    orderBy: { seq: 'asc' },
    take: maxWaitersPerInterval,
  });
  if (!candidates.length) return [];
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const tenants = [...new Set(candidates.map((c) => c.tenantId))];
  const open = await tx.waitListOffer.groupBy({
    by: ['entryId'],
    where: { state: 'open', entry: { tenantId: { in: tenants } } },
    _count: { _all: true },
  });
  const openOffersByTenant = new Map<string, number>();
  if (open.length) {
    const owners = await tx.waitListEntry.findMany({ where: { id: { in: open.map((o) => o.entryId) } }, select: { id: true, tenantId: true } });
    for (const owner of owners) openOffersByTenant.set(owner.tenantId, (openOffersByTenant.get(owner.tenantId) ?? 0) + 1);
  }

  const offers: OfferMade[] = [];
  const waiters: Waiter[] = candidates.map((c) => ({ id: c.id, tenantId: c.tenantId, tenantPriority: c.tenant.priority, seq: Number(c.seq) }));
  const turns = await takeTurns(
    waiters,
    { openOffersByTenant, cap: deps.openOffersPerTenant ?? defaultOpenOffersPerTenant, passedOver: freed.passedOver },
    async (waiter) => {
      const entry = byId.get(waiter.id)!;
      const made = await offerTo(tx, entry, entry.user.role, tool.id, freed, now);
      if (made) offers.push(made);
      return made !== null;
    },
  );

  await recordChange(tx, {
    actor: undefined,
    action: 'wait_list.freed_time_offered',
    entityType: 'freed_time',
    entityId: String(freed.id),
    data: {
      toolId: freed.toolId,
      startsAt: freed.startsAt.toISOString(),
      endsAt: freed.endsAt.toISOString(),
      reason: freed.reason,
      rule: 'tenant priority, then join order; at most one open offer per tenant; never back to a waiter who let it go',
      turns: turns.map((t) => ({
        entryId: t.waiter.id,
        tenantId: t.waiter.tenantId,
        tenantPriority: t.waiter.tenantPriority,
        outcome: t.turn === 'passed' ? t.reason : t.offered ? 'offered' : 'does_not_fit',
      })),
    },
  });
  return offers;
}

/** Places one waiter on the tool; when something fits, holds it and opens the offer. */
async function offerTo(
  tx: Tx,
  entry: WaitListEntry,
  role: Role,
  toolId: string,
  freed: FreedTime,
  now: Date,
): Promise<OfferMade | null> {
  const actor = { userId: entry.userId, tenantId: entry.tenantId, role };
  const requestId = randomUUID();
  const wish = {
    toolIds: [toolId],
    durationMin: entry.durationMin,
    earliestStart: entry.earliestStart.toISOString(),
    latestEnd: entry.latestEnd.toISOString(),
  };
  const lot = {
    material: entry.material as never,
    waferSize: entry.waferSize as never,
    contaminationGroup: entry.contaminationGroup as never,
  };
  const { answer } = await findSlots(tx, placementRequestOf(requestId, wish, lot, actor), now, { maxOptions: 1 });
  if (answer.kind === 'unplaced') return null;
  const option = answer.options[0]!;
  // Only a waiter still waiting gets it (a withdrawal may have won the race for the row).
  const claimed = await tx.waitListEntry.updateMany({ where: { id: entry.id, state: 'waiting' }, data: { state: 'offered' } });
  if (claimed.count !== 1) return null;
  const startsAt = new Date(option.startsAt);
  const booking = await tx.booking.create({
    data: {
      requestId,
      workflowId: bookingWorkflowId(requestId),
      tenantId: entry.tenantId,
      userId: entry.userId,
      toolId: option.toolId,
      startsAt,
      endsAt: new Date(option.endsAt),
      state: 'held',
      material: entry.material,
      waferSize: entry.waferSize,
      contaminationGroup: entry.contaminationGroup,
      windowStart: entry.earliestStart,
      windowEnd: entry.latestEnd,
      purpose: entry.purpose,
    },
  });
  // A tool with linked tools: they are held with the offer, for the same interval.
  await syncLinkedMembers(tx, booking, option.linkedToolIds ?? []);
  // The answer is due before the slot starts, however long offers usually stay open.
  const expiresAt = new Date(Math.min(now.getTime() + entry.offerResponseMs, startsAt.getTime()));
  const offer = await tx.waitListOffer.create({
    data: { entryId: entry.id, bookingId: booking.id, freedTimeId: freed.id, passedOver: freed.passedOver, state: 'open', expiresAt },
  });
  await recordChange(tx, {
    actor: undefined,
    action: 'wait_list.offered',
    entityType: 'wait_list_entry',
    entityId: entry.id,
    data: { offerId: offer.id, bookingId: booking.id, toolId: booking.toolId, startsAt: option.startsAt, endsAt: option.endsAt, expiresAt: expiresAt.toISOString(), freedTimeId: String(freed.id) },
    notify: [
      {
        recipientId: entry.userId,
        tenantId: entry.tenantId,
        kind: 'wait_list.offer',
        subject: `Time on ${booking.toolId} is free for you: accept by ${expiresAt.toISOString()}`,
        payload: { entryId: entry.id, offerId: offer.id, bookingId: booking.id, toolId: booking.toolId, startsAt: option.startsAt, endsAt: option.endsAt, expiresAt: expiresAt.toISOString() },
      },
    ],
  });
  return { workflowId: entry.workflowId, entryId: entry.id, offerId: offer.id };
}
