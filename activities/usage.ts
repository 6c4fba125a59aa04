import { chargeCents, chargedMinutes, type RunShare } from '../src/billing/charge.js';
import { monthOf } from '../src/domain/month.js';
import { rateInEffect } from '../src/data/rate-in-effect.js';
import type { Booking, Prisma } from '../src/generated/prisma/client.js';

type Tx = Prisma.TransactionClient;

/** States in which a load still takes part in its shared run. */
const inRun = ['held', 'confirmed', 'in_use', 'completed'] as const;

/**
 * The usage line of a finished booking: actual minutes from check-in to check-out (at least one)
 * at the hourly rate of the tool type for the tenant's class that applied when it was requested. A
 * load of a shared furnace run pays its share of the run by wafers (its own over the run's, loads
 * that did not run left out). Dated at check-out, charged to the booking's project.
 */
export async function billUsage(tx: Tx, row: Booking): Promise<{ minutes: number; amountCents: number }> {
  const checkedIn = row.checkedInAt ?? row.startsAt;
  const checkedOut = row.checkedOutAt ?? row.endsAt;
  const minutes = chargedMinutes(checkedIn, checkedOut);
  const { amountCents, share } = await writeLine(tx, row, { kind: 'use', chargedAt: checkedOut, minutes, leaving: false });
  return { minutes, amountCents, ...share };
}

/**
 * The charge for booked time not used: a no-show, or a cancellation inside the policy's late-cancel
 * lead, pays the policy's percentage of the booked time's cost at the rate (a load of a shared run
 * its share of it). Dated at the booked start; a 0 % policy writes no line.
 */
export async function chargeMissedBooking(tx: Tx, row: Booking, kind: 'no_show' | 'late_cancel'): Promise<{ chargedCents: number } | void> {
  const policy = await policyOfTool(tx, row.toolId);
  const percent = kind === 'no_show' ? (policy?.noShowChargePercent ?? 100) : (policy?.lateCancelChargePercent ?? 50);
  if (percent === 0) return;
  const minutes = chargedMinutes(row.startsAt, row.endsAt);
  const { amountCents } = await writeLine(tx, row, { kind, chargedAt: row.startsAt, minutes, percent, leaving: true });
  return { chargedCents: amountCents };
}

/** Prices `minutes` of the booking at its rate (its share of a shared run, `percent` of it) and writes the line. */
async function writeLine(
  tx: Tx,
  row: Booking,
  line: { kind: 'use' | 'no_show' | 'late_cancel'; chargedAt: Date; minutes: number; percent?: number; leaving: boolean },
): Promise<{ amountCents: number; share: RunShare | null }> {
  const rate = await rateOf(tx, row);
  const rateCents = rate?.hourlyRateCents ?? 0;
  const share = await runShareOf(tx, row, line.leaving);
  const amountCents = chargeCents({ minutes: line.minutes, rateCents, percent: line.percent ?? null, share });
  await tx.usageLine.create({
    data: {
      bookingId: row.id,
      tenantId: row.tenantId,
      toolId: row.toolId,
      projectId: row.projectId,
      kind: line.kind,
      chargePercent: line.percent ?? null,
      chargedAt: line.chargedAt,
      month: monthOf(line.chargedAt),
      minutes: line.minutes,
      rateCents,
      amountCents,
      currency: rate?.currency ?? 'HKD',
      ...share,
    },
  });
  return { amountCents, share };
}

async function rateOf(tx: Tx, row: Booking) {
  const [tool, tenant] = await Promise.all([
    tx.tool.findUniqueOrThrow({ where: { id: row.toolId }, select: { toolTypeId: true } }),
    tx.tenant.findUniqueOrThrow({ where: { id: row.tenantId }, select: { class: true } }),
  ]);
  return rateInEffect(tx, tool.toolTypeId, tenant.class, row.createdAt);
}

/** The tool's own policy, else its type's. */
async function policyOfTool(tx: Tx, toolId: string) {
  const tool = await tx.tool.findUniqueOrThrow({ where: { id: toolId }, select: { toolTypeId: true } });
  return (await tx.policy.findUnique({ where: { toolId } })) ?? (await tx.policy.findUnique({ where: { toolTypeId: tool.toolTypeId } }));
}

/**
 * The booking's wafers and its shared run's (null when it ran alone). A load that is leaving
 * (`leaving`) counts itself beside the loads still in the run.
 */
async function runShareOf(tx: Tx, row: Booking, leaving: boolean): Promise<RunShare | null> {
  if (!row.recipe) return null;
  const holderId = row.sharedRunId ?? row.id;
  const loads = await tx.booking.findMany({
    where: { OR: [{ id: holderId }, { sharedRunId: holderId }], state: { in: [...inRun] }, id: leaving ? { not: row.id } : undefined },
    select: { waferCount: true },
  });
  const all = leaving ? [...loads, { waferCount: row.waferCount }] : loads;
  if (all.length < 2) return null;
  return { loadWafers: row.waferCount, runWafers: all.reduce((n, l) => n + l.waferCount, 0) };
}
