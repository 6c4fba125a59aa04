import { rateInEffect } from '../src/data/rate-in-effect.js';
import type { Booking, Prisma } from '../src/generated/prisma/client.js';

type Tx = Prisma.TransactionClient;

/**
 * The usage line of a finished booking: actual minutes from check-in to check-out (at least one)
 * at the hourly rate of the tool type for the tenant's class that applied when it was requested. A
 * load of a shared furnace run pays its share of the run by wafers (its own over the run's, loads
 * that did not run left out).
 */
export async function billUsage(tx: Tx, row: Booking): Promise<{ minutes: number; amountCents: number }> {
  const checkedIn = row.checkedInAt ?? row.startsAt;
  const checkedOut = row.checkedOutAt ?? row.endsAt;
  const minutes = Math.max(1, Math.ceil((checkedOut.getTime() - checkedIn.getTime()) / 60_000));
  const [tool, tenant] = await Promise.all([
    tx.tool.findUniqueOrThrow({ where: { id: row.toolId }, select: { toolTypeId: true } }),
    tx.tenant.findUniqueOrThrow({ where: { id: row.tenantId }, select: { class: true } }),
  ]);
  const rate = await rateInEffect(tx, tool.toolTypeId, tenant.class, row.createdAt);
  const rateCents = rate?.hourlyRateCents ?? 0;
  const share = await runShareOf(tx, row);
  const amountCents = Math.round((minutes * rateCents * (share?.loadWafers ?? 1)) / (60 * (share?.runWafers ?? 1)));
  await tx.usageLine.create({
    data: { bookingId: row.id, tenantId: row.tenantId, toolId: row.toolId, minutes, rateCents, amountCents, currency: rate?.currency ?? 'HKD', ...share },
  });
  return { minutes, amountCents, ...share };
}

/** The booking's wafers and its shared run's (null when it ran alone). */
async function runShareOf(tx: Tx, row: Booking): Promise<{ loadWafers: number; runWafers: number } | null> {
  if (!row.recipe) return null;
  const holderId = row.sharedRunId ?? row.id;
  const loads = await tx.booking.findMany({
    where: { OR: [{ id: holderId }, { sharedRunId: holderId }], state: { in: ['held', 'confirmed', 'in_use', 'completed'] } },
    select: { waferCount: true },
  });
  if (loads.length < 2) return null;
  return { loadWafers: row.waferCount, runWafers: loads.reduce((n, l) => n + l.waferCount, 0) };
}
