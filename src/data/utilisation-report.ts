import {
  utilisationPeriod,
  type TenantUtilisation,
  type ToolTypeUtilisation,
  type ToolUtilisation,
  type UtilisationQuery,
  type UtilisationReport,
} from '../domain/utilisation.js';
import { tenantClasses } from '../domain/tenant.js';
import { invalidField } from '../validation.js';
import type { Db } from './db.js';
import { readBookingGroups, readToolTime, type BookingGroupRow, type ToolBucketRow } from './utilisation-read.js';

// A utilisation report from the two reads: hours to the hundredth, shares to four places, every
// group named. Who may see which tenant is the caller's business (`onlyTenant`).

export interface UtilisationAsk {
  query: UtilisationQuery;
  now: Date;
  /** A tenant's people: their own tenant's row only, no tenant classes. */
  onlyTenant?: string | undefined;
}

const hours = (seconds: number) => Math.round(seconds / 36) / 100;
const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);
const maybeHours = (seconds: number | null) => (seconds === null ? null : hours(seconds));

interface ToolTime {
  calendarS: number;
  downS: number;
  outageS: number;
}

const noBookings: Omit<BookingGroupRow, 'level' | 'key'> = { bookings: 0, bookedS: 0, usedS: 0, noShowS: 0, waitMedianS: null, waitP90S: null };

function bookingFigures(row: Omit<BookingGroupRow, 'level' | 'key'>) {
  return {
    bookings: row.bookings,
    bookedHours: hours(row.bookedS),
    usedHours: hours(row.usedS),
    noShowHours: hours(row.noShowS),
    noShowShare: ratio(row.noShowS, row.bookedS),
    waitMedianHours: maybeHours(row.waitMedianS),
    waitP90Hours: maybeHours(row.waitP90S),
  };
}

function toolFigures(time: ToolTime, row: Omit<BookingGroupRow, 'level' | 'key'>) {
  const availableS = Math.max(0, time.calendarS - time.downS);
  return {
    calendarHours: hours(time.calendarS),
    maintenanceHours: hours(time.downS - time.outageS),
    outageHours: hours(time.outageS),
    availableHours: hours(availableS),
    idleHours: hours(Math.max(0, availableS - row.usedS)),
    utilisation: ratio(row.usedS, availableS),
    bookedShare: ratio(row.bookedS, availableS),
    maintenanceShare: ratio(time.downS, time.calendarS),
    ...bookingFigures(row),
  };
}

function addTime(into: Map<string, ToolTime>, key: string, row: ToolTime): void {
  const held = into.get(key) ?? { calendarS: 0, downS: 0, outageS: 0 };
  into.set(key, { calendarS: held.calendarS + row.calendarS, downS: held.downS + row.downS, outageS: held.outageS + row.outageS });
}

/** Refuses a filter that names nothing, naming the field. */
async function checkFilters(db: Db, query: UtilisationQuery): Promise<void> {
  const [tool, toolType, tenant] = await Promise.all([
    query.tool ? db.tool.findUnique({ where: { id: query.tool }, select: { id: true } }) : true,
    query.toolType ? db.toolType.findUnique({ where: { id: query.toolType }, select: { id: true } }) : true,
    query.tenant ? db.tenant.findUnique({ where: { id: query.tenant }, select: { id: true } }) : true,
  ]);
  if (!tool) throw invalidField('query.tool', 'is not a tool');
  if (!toolType) throw invalidField('query.toolType', 'is not a tool type');
  if (!tenant) throw invalidField('query.tenant', 'is not a tenant');
}

export async function utilisationReport(db: Db, ask: UtilisationAsk): Promise<UtilisationReport> {
  const { query } = ask;
  const period = utilisationPeriod(query, ask.now);
  await checkFilters(db, query);
  const scope = { buckets: period.buckets, toolId: query.tool, toolTypeId: query.toolType, tenantId: query.tenant, tenantClass: query.tenantClass };
  const [toolRows, groups, tools, toolTypes, tenants] = await Promise.all([
    readToolTime(db, scope),
    readBookingGroups(db, scope),
    db.tool.findMany({
      where: { id: query.tool, toolTypeId: query.toolType },
      select: { id: true, name: true, toolTypeId: true },
      orderBy: { id: 'asc' },
    }),
    db.toolType.findMany({ select: { id: true, name: true, area: true }, orderBy: [{ area: 'asc' }, { name: 'asc' }] }),
    db.tenant.findMany({
      where: { id: ask.onlyTenant ?? query.tenant, class: query.tenantClass },
      select: { id: true, name: true, class: true },
      orderBy: { name: 'asc' },
    }),
  ]);
  const group = (level: BookingGroupRow['level'], key: string | null) => groups.find((g) => g.level === level && g.key === key) ?? noBookings;
  const typeOf = new Map(tools.map((t) => [t.id, t.toolTypeId]));

  const byTool = new Map<string, ToolTime>();
  const byType = new Map<string, ToolTime>();
  const byBucket = new Map<string, ToolTime>();
  const all = new Map<string, ToolTime>();
  for (const row of toolRows satisfies ToolBucketRow[]) {
    addTime(byTool, row.toolId, row);
    addTime(byType, typeOf.get(row.toolId) ?? '', row);
    addTime(byBucket, String(row.bucket), row);
    addTime(all, '', row);
  }
  const noTime: ToolTime = { calendarS: 0, downS: 0, outageS: 0 };

  const toolViews: ToolUtilisation[] = tools
    .map((t) => ({ id: t.id, name: t.name, toolTypeId: t.toolTypeId, ...toolFigures(byTool.get(t.id) ?? noTime, group('tool', t.id)) }))
    // A tool retired before the period, with nothing booked in it, has nothing to report.
    .filter((t) => t.calendarHours > 0 || t.bookedHours > 0);
  const typeViews: ToolTypeUtilisation[] = toolTypes
    .map((type) => ({
      id: type.id,
      name: type.name,
      area: type.area,
      tools: toolViews.filter((t) => t.toolTypeId === type.id).length,
      ...toolFigures(byType.get(type.id) ?? noTime, group('toolType', type.id)),
    }))
    .filter((type) => type.tools > 0);

  const total = group('total', null);
  const tenantViews: TenantUtilisation[] = tenants
    .map((n) => {
      const row = group('tenant', n.id);
      return { id: n.id, name: n.name, class: n.class, ...bookingFigures(row), shareOfUsed: ratio(row.usedS, total.usedS) };
    })
    .sort((a, b) => b.usedHours - a.usedHours || a.name.localeCompare(b.name));
  const classes: readonly (typeof tenantClasses)[number][] = query.tenantClass ? [query.tenantClass] : tenantClasses;
  const classViews = ask.onlyTenant
    ? []
    : classes.map((c) => {
        const row = group('tenantClass', c);
        return { class: c, tenants: tenants.filter((n) => n.class === c).length, ...bookingFigures(row), shareOfUsed: ratio(row.usedS, total.usedS) };
      });

  return {
    period: {
      from: period.from,
      to: period.to,
      startsAt: period.startsAt.toISOString(),
      endsAt: period.endsAt.toISOString(),
      bucket: period.bucket,
    },
    filters: { tool: query.tool ?? null, toolType: query.toolType ?? null, tenant: query.tenant ?? null, tenantClass: query.tenantClass ?? null },
    total: { tools: toolViews.length, ...toolFigures(all.get('') ?? noTime, total) },
    toolTypes: typeViews,
    tools: toolViews,
    tenantClasses: classViews,
    tenants: tenantViews,
    series: period.buckets.map((b, i) => {
      const time = byBucket.get(String(i + 1)) ?? noTime;
      const row = group('bucket', String(i + 1));
      const availableS = Math.max(0, time.calendarS - time.downS);
      return { from: b.from, to: b.to, availableHours: hours(availableS), bookedHours: hours(row.bookedS), usedHours: hours(row.usedS), utilisation: ratio(row.usedS, availableS) };
    }),
  };
}
