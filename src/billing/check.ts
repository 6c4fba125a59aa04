import type { Db } from '../data/db.js';
import { monthBounds, type Month } from '../domain/month.js';

// A referee for statements, written apart from the code that drafts them: it recomputes what each
// tenant owes per project, month and currency from the raw bookings, the policies and the rates
// (never from usage lines' amounts) and compares every statement's totals with it. Rounding:
// each charge to the nearest minor unit, halves up; a total is the sum of the rounded charges.
// Shared runs: a load's share is its wafers over those of the run's loads that completed (itself
// counted when it missed the run); a run handed to another holder is out of its reach.

export interface StatementDifference {
  key: string;
  what: 'usage' | 'lines' | 'total' | 'missing' | 'unexpected';
  expected: number;
  found: number;
}

interface BookingRow {
  id: string;
  tenant_id: string;
  project_id: string | null;
  tool_id: string;
  tool_type_id: string;
  tenant_class: string;
  state: string;
  late_cancel: boolean;
  starts_at: Date;
  ends_at: Date;
  checked_in_at: Date | null;
  checked_out_at: Date | null;
  created_at: Date;
  recipe: string | null;
  wafer_count: number;
  shared_run_id: string | null;
}

const hourMinutes = 60;

/** n / d (both ≥ 0, whole) rounded halves up, by quotient and remainder. */
function roundHalfUp(n: bigint, d: bigint): bigint {
  const q = n / d;
  return (n % d) * 2n >= d ? q + 1n : q;
}

function minutesBetween(a: Date, b: Date): number {
  const whole = Math.ceil((b.getTime() - a.getTime()) / 60_000);
  return whole < 1 ? 1 : whole;
}

/** Hong Kong month of an instant, by its own arithmetic (UTC+8, no daylight saving). */
function hkMonth(at: Date): string {
  const shifted = new Date(at.getTime() + 8 * 3_600_000);
  return `${shifted.getUTCFullYear()}-${String(shifted.getUTCMonth() + 1).padStart(2, '0')}`;
}

export async function checkStatements(db: Db, period: { from: Month; to: Month }): Promise<{ differences: StatementDifference[]; checked: number }> {
  const from = monthBounds(period.from).from;
  const to = monthBounds(period.to).to;
  const bookings = await db.$queryRaw<BookingRow[]>`
    SELECT b."id", b."tenant_id", b."project_id", b."tool_id", t."tool_type_id", n."class"::text AS "tenant_class", b."state"::text AS "state",
           b."late_cancel", b."starts_at", b."ends_at", b."checked_in_at", b."checked_out_at", b."created_at", b."recipe",
           b."wafer_count", b."shared_run_id"
    FROM "bookings" b JOIN "tools" t ON t."id" = b."tool_id" JOIN "tenants" n ON n."id" = b."tenant_id"
    WHERE b."state" IN ('completed', 'no_show') OR (b."state" = 'cancelled' AND b."late_cancel")`;
  const policies = await db.policy.findMany();
  const rates = await db.rate.findMany({ orderBy: { validFrom: 'desc' } });
  // Newest first per tool type and class: the first valid at the request is the one that applied.
  const ratesOf = new Map<string, typeof rates>();
  for (const r of rates) ratesOf.set(`${r.toolTypeId}/${r.tenantClass}`, [...(ratesOf.get(`${r.toolTypeId}/${r.tenantClass}`) ?? []), r]);
  const statements = await db.statement.findMany({ where: { month: { gte: period.from, lte: period.to } } });
  const adjustments = await db.statementAdjustment.groupBy({ by: ['statementId'], _sum: { amountCents: true } });

  // Wafers of each run's completed loads, keyed by the run's holder.
  const runWafers = new Map<string, { wafers: number; loads: number }>();
  for (const b of bookings) {
    if (!b.recipe || b.state !== 'completed') continue;
    const holder = b.shared_run_id ?? b.id;
    const run = runWafers.get(holder) ?? { wafers: 0, loads: 0 };
    run.wafers += b.wafer_count;
    run.loads += 1;
    runWafers.set(holder, run);
  }

  const expected = new Map<string, { usage: bigint; lines: number }>();
  for (const b of bookings) {
    const used = b.state === 'completed';
    const dated = used ? (b.checked_out_at ?? b.ends_at) : b.starts_at;
    if (dated < from || dated >= to) continue;
    const policy = policies.find((p) => p.toolId === b.tool_id) ?? policies.find((p) => p.toolTypeId === b.tool_type_id);
    const percent = used ? 100 : b.state === 'no_show' ? (policy?.noShowChargePercent ?? 100) : (policy?.lateCancelChargePercent ?? 50);
    if (percent === 0) continue;
    const rate = ratesOf.get(`${b.tool_type_id}/${b.tenant_class}`)?.find((r) => r.validFrom <= b.created_at);
    const minutes = used ? minutesBetween(b.checked_in_at ?? b.starts_at, b.checked_out_at ?? b.ends_at) : minutesBetween(b.starts_at, b.ends_at);
    let load = 1;
    let run = 1;
    const inRun = b.recipe ? runWafers.get(b.shared_run_id ?? b.id) : undefined;
    if (b.recipe && inRun && inRun.loads + (used ? 0 : 1) >= 2) {
      load = b.wafer_count;
      run = inRun.wafers + (used ? 0 : b.wafer_count);
    }
    const amount = roundHalfUp(BigInt(minutes) * BigInt(rate?.hourlyRateCents ?? 0) * BigInt(percent) * BigInt(load), BigInt(hourMinutes * 100 * run));
    const key = [b.tenant_id, b.project_id ?? '-', hkMonth(dated), rate?.currency ?? 'HKD'].join('/');
    const sum = expected.get(key) ?? { usage: 0n, lines: 0 };
    sum.usage += amount;
    sum.lines += 1;
    expected.set(key, sum);
  }

  const differences: StatementDifference[] = [];
  const adjusted = new Map(adjustments.map((a) => [a.statementId, a._sum.amountCents ?? 0]));
  const seen = new Set<string>();
  for (const s of statements) {
    const key = [s.tenantId, s.projectId ?? '-', s.month, s.currency].join('/');
    seen.add(key);
    const want = expected.get(key);
    const adjustmentsCents = adjusted.get(s.id) ?? 0;
    if (!want) {
      if (s.lineCount > 0) differences.push({ key, what: 'unexpected', expected: 0, found: s.usageCents });
    } else {
      if (BigInt(s.usageCents) !== want.usage) differences.push({ key, what: 'usage', expected: Number(want.usage), found: s.usageCents });
      if (s.lineCount !== want.lines) differences.push({ key, what: 'lines', expected: want.lines, found: s.lineCount });
    }
    if (s.totalCents !== s.usageCents + adjustmentsCents || s.adjustmentsCents !== adjustmentsCents) {
      differences.push({ key, what: 'total', expected: s.usageCents + adjustmentsCents, found: s.totalCents });
    }
  }
  for (const [key, want] of expected) {
    if (!seen.has(key)) differences.push({ key, what: 'missing', expected: Number(want.usage), found: 0 });
  }
  return { differences, checked: statements.length };
}
