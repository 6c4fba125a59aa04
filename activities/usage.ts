import { rateInEffect } from '../src/data/rate-in-effect.js';
import type { Booking, Prisma } from '../src/generated/prisma/client.js';

type Tx = Prisma.TransactionClient;

/**
 * The usage line of a finished booking: actual minutes from check-in to check-out (at least one)
 * at the hourly rate of the tool type for the tenant's class that applied when it was requested.
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
  const amountCents = Math.round((minutes * rateCents) / 60);
  await tx.usageLine.create({
    data: { bookingId: row.id, tenantId: row.tenantId, toolId: row.toolId, minutes, rateCents, amountCents, currency: rate?.currency ?? 'HKD' },
  });
  return { minutes, amountCents };
}
