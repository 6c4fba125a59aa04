import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Db } from '../data/db.js';
import { chargeCents, chargedMinutes } from '../billing/charge.js';
import { monthOf } from '../domain/month.js';
import { Random } from '../solver/optimize/random.js';
import { commercialFactor, policyTemplates, tenants, toolTypes, type CatalogueToolType } from './catalogue.js';

export interface HistoryOptions {
  days: number;
  seed: number;
  /** Called now and then with the share done (0..1) and a line to print. */
  onProgress?: (done: number, line: string) => void;
}

export interface HistoryReport {
  bookings: number;
  maintenances: number;
  usageLines: number;
  skipped: boolean;
}

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;
/** The share of time each family of tools is busy in the synthetic year. */
const utilisation: Record<keyof typeof policyTemplates, number> = {
  epitaxy: 0.55,
  bottleneck: 0.7,
  furnace: 0.35,
  process: 0.35,
  etch: 0.4,
  metrology: 0.5,
};

const historyPrefix = 'seed-history-';

/**
 * A year (or `days`) of past use: per tool, bookings by qualified users one after another with
 * realistic durations and gaps, most completed with check-in/out and a usage line, some no-shows
 * and cancellations, and the preventive maintenance of the plan. Deterministic for a seed; a
 * second run finds the history there and adds nothing.
 */
export async function seedHistory(db: Db, clock: Clock, options: HistoryOptions): Promise<HistoryReport> {
  const existing = await db.booking.count({ where: { requestId: { startsWith: historyPrefix } } });
  if (existing > 0) return { bookings: existing, maintenances: 0, usageLines: 0, skipped: true };

  const random = new Random(options.seed);
  const end = Math.floor(clock.now().getTime() / hourMs) * hourMs;
  const start = end - options.days * dayMs;
  const tenantClass = new Map(tenants.map((t) => [t.id, t.class]));
  // Past use is charged to each tenant's project, as a request made today would be.
  const projects = await db.project.findMany({ where: { code: { in: tenants.map((t) => t.project.code) } }, select: { id: true, tenantId: true } });
  const projectOf = new Map(projects.map((p) => [p.tenantId, p.id]));
  // No-shows and late cancellations pay the share of the booked time's cost their tool's policy sets.
  const policies = await db.policy.findMany({ select: { toolId: true, toolTypeId: true, noShowChargePercent: true, lateCancelChargePercent: true } });
  const policyOf = (toolId: string, toolTypeId: string) => policies.find((p) => p.toolId === toolId) ?? policies.find((p) => p.toolTypeId === toolTypeId);
  const report: HistoryReport = { bookings: 0, maintenances: 0, usageLines: 0, skipped: false };
  const tools = toolTypes.flatMap((type) => type.tools.map((tool) => ({ type, tool })));

  for (const [index, { type, tool }] of tools.entries()) {
    const users = tenants.flatMap((t) =>
      t.users.filter((u) => u.role === 'tenant_user' && u.qualifiedOn.includes(type.id)).map((u) => ({ ...u, tenantId: t.id })),
    );
    const pmWindows = maintenanceWindows(type, start, end, index);
    const bookings: Prisma.BookingCreateManyInput[] = [];
    const usage: Prisma.UsageLineCreateManyInput[] = [];
    const policy = policyTemplates[type.policy];
    const meanDuration = (policy.minDurationMin + Math.min(policy.maxDurationMin, policy.minDurationMin * 6)) / 2;
    const meanGap = (meanDuration * (1 - utilisation[type.policy])) / utilisation[type.policy];
    let cursor = start + random.int(6) * hourMs;
    let n = 0;
    while (users.length > 0) {
      const durationMin = roundTo(policy.minDurationMin + random.float() * (Math.min(policy.maxDurationMin, policy.minDurationMin * 6) - policy.minDurationMin), 15);
      const gapMin = Math.max(policy.bufferAfterMin, roundTo(-Math.log(1 - random.float()) * meanGap, 15));
      const startsAt = alignToQuarter(cursor + gapMin * minuteMs);
      const endsAt = startsAt + durationMin * minuteMs;
      if (endsAt > end) break;
      const clash = pmWindows.find((w) => startsAt < w.endsAt && endsAt > w.startsAt);
      if (clash) {
        cursor = clash.endsAt;
        continue;
      }
      cursor = endsAt + policy.bufferAfterMin * minuteMs;
      const user = users[random.int(users.length)]!;
      const material = tool.materials[random.int(tool.materials.length)]!;
      const roll = random.float();
      const state = roll < 0.86 ? 'completed' : roll < 0.92 ? 'no_show' : 'cancelled';
      // From the same roll (no draw of its own, so the rest of the history stays as it was): 3 in 8 cancellations late.
      const lateCancel = state === 'cancelled' && roll >= 0.97;
      const id = randomUUID();
      const requestId = `${historyPrefix}${tool.id}-${n++}`;
      const checkedInAt = state === 'completed' ? startsAt + random.int(10) * minuteMs : null;
      const checkedOutAt = state === 'completed' ? endsAt - random.int(20) * minuteMs + random.int(10) * minuteMs : null;
      bookings.push({
        id,
        requestId,
        workflowId: requestId,
        tenantId: user.tenantId,
        userId: user.id,
        projectId: projectOf.get(user.tenantId) ?? null,
        toolId: tool.id,
        startsAt: new Date(startsAt),
        endsAt: new Date(endsAt),
        windowStart: new Date(startsAt),
        windowEnd: new Date(endsAt + 4 * hourMs),
        state,
        material,
        waferSize: tool.waferSizes[random.int(tool.waferSizes.length)]!,
        contaminationGroup: tool.contaminationClass === 'au-metal' && random.float() < 0.2 ? 'au-metal' : 'standard',
        purpose: 'historical use (seed)',
        checkedInAt: checkedInAt === null ? null : new Date(checkedInAt),
        checkedOutAt: checkedOutAt === null ? null : new Date(checkedOutAt),
        cancelReason: state === 'cancelled' ? 'plans changed' : null,
        lateCancel,
        createdAt: new Date(startsAt - (1 + random.int(14)) * dayMs),
      });
      const industry = tenantClass.get(user.tenantId) === 'industry';
      const rateCents = industry ? Math.round(type.researchRateCents * commercialFactor) : type.researchRateCents;
      const line = { bookingId: id, tenantId: user.tenantId, toolId: tool.id, projectId: projectOf.get(user.tenantId) ?? null, rateCents, currency: 'HKD' };
      if (checkedInAt !== null && checkedOutAt !== null) {
        const minutes = chargedMinutes(new Date(checkedInAt), new Date(checkedOutAt));
        const chargedAt = new Date(checkedOutAt);
        usage.push({ ...line, kind: 'use', minutes, amountCents: chargeCents({ minutes, rateCents }), chargedAt, month: monthOf(chargedAt), createdAt: chargedAt });
      } else if (state === 'no_show' || lateCancel) {
        const policy = policyOf(tool.id, type.id);
        const percent = state === 'no_show' ? (policy?.noShowChargePercent ?? 100) : (policy?.lateCancelChargePercent ?? 50);
        const minutes = chargedMinutes(new Date(startsAt), new Date(endsAt));
        const kind = state === 'no_show' ? 'no_show' : 'late_cancel';
        if (percent > 0) {
          usage.push({ ...line, kind, chargePercent: percent, minutes, amountCents: chargeCents({ minutes, rateCents, percent }), chargedAt: new Date(startsAt), month: monthOf(new Date(startsAt)), createdAt: new Date(startsAt) });
        }
      }
    }

    await db.$transaction(async (tx) => {
      for (const window of pmWindows) {
        const maintenance = await tx.maintenance.create({
          data: {
            requestId: `${historyPrefix}pm-${tool.id}-${window.startsAt}`,
            workflowId: `${historyPrefix}pm-${tool.id}-${window.startsAt}`,
            kind: 'recurring',
            state: 'completed',
            startsAt: new Date(window.startsAt),
            endsAt: new Date(window.endsAt),
            reason: `Preventive maintenance (every ${type.pm.everyDays} days)`,
            requiresRequalification: type.requiresRequalification ?? false,
            createdById: 'ops-ho',
          },
        });
        await tx.maintenanceWindow.create({
          data: { maintenanceId: maintenance.id, toolId: tool.id, startsAt: new Date(window.startsAt), endsAt: new Date(window.endsAt), active: false },
        });
      }
      for (let i = 0; i < bookings.length; i += 2_000) await tx.booking.createMany({ data: bookings.slice(i, i + 2_000) });
      for (let i = 0; i < usage.length; i += 2_000) await tx.usageLine.createMany({ data: usage.slice(i, i + 2_000) });
    }, { timeout: 120_000 });

    report.bookings += bookings.length;
    report.usageLines += usage.length;
    report.maintenances += pmWindows.length;
    options.onProgress?.((index + 1) / tools.length, `history: ${tool.id.padEnd(10)} ${String(bookings.length).padStart(5)} bookings (${index + 1}/${tools.length} tools, ${report.bookings} so far)`);
  }
  return report;
}

/** The plan's PM windows over the period, staggered per tool, at 08:00 Hong Kong time. */
function maintenanceWindows(type: CatalogueToolType, start: number, end: number, toolIndex: number) {
  const windows: Array<{ startsAt: number; endsAt: number }> = [];
  const firstDay = Math.floor(start / dayMs) + (toolIndex % type.pm.everyDays);
  for (let d = firstDay; ; d += type.pm.everyDays) {
    const startsAt = d * dayMs; // 00:00 UTC = 08:00 in Hong Kong
    const endsAt = startsAt + type.pm.durationMin * minuteMs;
    if (endsAt > end) break;
    if (startsAt >= start) windows.push({ startsAt, endsAt });
  }
  return windows;
}

function roundTo(minutes: number, step: number): number {
  return Math.max(step, Math.round(minutes / step) * step);
}

function alignToQuarter(ms: number): number {
  return Math.ceil(ms / (15 * minuteMs)) * 15 * minuteMs;
}
