import { z } from 'zod';
import { invalidField } from '../validation.js';
import { calendarDay, entityId } from './input.js';
import { tenantClassSchema } from './tenant.js';
import { facilityUtcOffsetMinutes, msPerMinute } from './time.js';

// Utilisation of the line over a period of Hong Kong days: per tool, tool type, tenant and tenant
// class, the hours the tools stood available, were booked and used, and how long people waited
// from their request to their slot. What the lab manager shows the funding body.

/** The longest period one report covers: three years of days. */
export const maxUtilisationDays = 3 * 366;

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

export const utilisationQuerySchema = z
  .object({
    from: calendarDay().describe('First Hong Kong day of the period (YYYY-MM-DD)'),
    to: calendarDay().describe('Last Hong Kong day of the period, included (YYYY-MM-DD); today at the latest, counted up to now'),
    tool: entityId().optional().describe('Only this tool'),
    toolType: entityId().optional().describe('Only the tools of this type'),
    tenant: entityId().optional().describe("Only this tenant's bookings (a tenant's people: their own only)"),
    tenantClass: tenantClassSchema.optional().describe("Only the bookings of this class's tenants (staff only)"),
  })
  .superRefine((query, ctx) => {
    // Only two well-formed days compare (a malformed one is refused already, naming itself).
    if (!isoDay.test(query.from) || !isoDay.test(query.to)) return;
    if (query.to < query.from) ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${query.from})` });
    else if (dayNumber(query.to) - dayNumber(query.from) + 1 > maxUtilisationDays) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${maxUtilisationDays} days after from` });
    }
  });
export type UtilisationQuery = z.infer<typeof utilisationQuerySchema>;

export const bucketKinds = ['day', 'week', 'month'] as const;
export type BucketKind = (typeof bucketKinds)[number];

/** A span of the period the series reports on: `[startsAt, endsAt)`, named by its Hong Kong days. */
export interface PeriodBucket {
  from: string;
  to: string;
  startsAt: Date;
  endsAt: Date;
}

export interface UtilisationPeriod {
  from: string;
  to: string;
  startsAt: Date;
  /** The end of `to` in Hong Kong, or now when the period runs to today. */
  endsAt: Date;
  bucket: BucketKind;
  buckets: PeriodBucket[];
}

const dayMs = 24 * 60 * msPerMinute;
const offsetMs = facilityUtcOffsetMinutes * msPerMinute;
const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / dayMs);
const dayOf = (n: number) => new Date(n * dayMs).toISOString().slice(0, 10);
/** 00:00 in Hong Kong of day `n` (days since the epoch). */
const hkMidnight = (n: number) => new Date(n * dayMs - offsetMs);

/**
 * The period a query asks for, as instants, with the buckets of its series (days up to a month,
 * weeks from `from` up to half a year, calendar months beyond). A period that ends after today is
 * refused: nothing has happened there yet.
 */
export function utilisationPeriod(query: Pick<UtilisationQuery, 'from' | 'to'>, now: Date): UtilisationPeriod {
  const today = Math.floor((now.getTime() + offsetMs) / dayMs);
  const first = dayNumber(query.from);
  const last = dayNumber(query.to);
  if (last > today) throw invalidField('query.to', `must not be after today (${dayOf(today)}): the period has not happened yet`);
  const endsAt = new Date(Math.min(hkMidnight(last + 1).getTime(), now.getTime()));
  const days = last - first + 1;
  const bucket: BucketKind = days <= 31 ? 'day' : days <= 186 ? 'week' : 'month';
  const starts: number[] = [];
  for (let d = first; d <= last; ) {
    starts.push(d);
    if (bucket === 'day') d += 1;
    else if (bucket === 'week') d += 7;
    else {
      const date = new Date(d * dayMs);
      d = Math.round(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / dayMs);
    }
  }
  const buckets = starts.map((start, i) => {
    const next = starts[i + 1] ?? last + 1;
    return {
      from: dayOf(start),
      to: dayOf(next - 1),
      startsAt: hkMidnight(start),
      endsAt: new Date(Math.min(hkMidnight(next).getTime(), endsAt.getTime())),
    };
  });
  return { from: query.from, to: query.to, startsAt: hkMidnight(first), endsAt, bucket, buckets: buckets.filter((b) => b.startsAt < b.endsAt) };
}

const hours = z.number().describe('Hours, to the hundredth');
const share = z.number().min(0).nullable().describe('0 to 1 (null where nothing to divide by)');

/** What the bookings tell, for any group of them. */
const bookingFigures = {
  bookings: z.number().int().describe('Bookings that start in the period'),
  bookedHours: hours.describe('Booked time in the period (held, confirmed, in use, completed, no-show); a shared run split by wafers'),
  usedHours: hours.describe('Check-in to check-out time in the period; a shared run split by wafers'),
  noShowHours: hours.describe('Booked time of no-shows'),
  noShowShare: share.describe('No-show hours over booked hours'),
  waitMedianHours: hours.nullable().describe('Median time from request to slot of the bookings that start in the period'),
  waitP90Hours: hours.nullable().describe('90th percentile of that wait'),
};

/** What the tools' calendars add. */
const toolFigures = {
  calendarHours: hours.describe('Hours in the period (up to a retired tool\u2019s retirement)'),
  maintenanceHours: hours.describe('Planned and recurring maintenance windows'),
  outageHours: hours.describe('Outages'),
  availableHours: hours.describe('Calendar hours minus maintenance and outages'),
  idleHours: hours.describe('Available hours nobody used'),
  utilisation: share.describe('Used hours over available hours'),
  bookedShare: share.describe('Booked hours over available hours'),
  maintenanceShare: share.describe('Maintenance and outage hours over calendar hours'),
  ...bookingFigures,
};

export const toolUtilisationSchema = z.object({ id: z.string(), name: z.string(), toolTypeId: z.string(), ...toolFigures }).meta({ id: 'ToolUtilisation' });
export const toolTypeUtilisationSchema = z
  .object({ id: z.string(), name: z.string(), area: z.string(), tools: z.number().int(), ...toolFigures })
  .meta({ id: 'ToolTypeUtilisation' });
export const tenantUtilisationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    class: tenantClassSchema,
    ...bookingFigures,
    shareOfUsed: share.describe("The tenant's used hours over all used hours of the report"),
  })
  .meta({ id: 'TenantUtilisation' });
export const tenantClassUtilisationSchema = z
  .object({ class: tenantClassSchema, tenants: z.number().int(), ...bookingFigures, shareOfUsed: share })
  .meta({ id: 'TenantClassUtilisation' });
export const totalUtilisationSchema = z.object({ tools: z.number().int(), ...toolFigures }).meta({ id: 'TotalUtilisation' });
export const utilisationPointSchema = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    availableHours: hours,
    bookedHours: hours,
    usedHours: hours,
    utilisation: share,
  })
  .meta({ id: 'UtilisationPoint' });

export const utilisationReportSchema = z
  .object({
    period: z.object({
      from: z.iso.date(),
      to: z.iso.date(),
      startsAt: z.iso.datetime({ offset: true }),
      endsAt: z.iso.datetime({ offset: true }).describe('The end of `to`, or now when the period runs to today'),
      bucket: z.enum(bucketKinds).describe('The span of each point of `series`'),
    }),
    filters: z.object({ tool: z.string().nullable(), toolType: z.string().nullable(), tenant: z.string().nullable(), tenantClass: tenantClassSchema.nullable() }),
    total: totalUtilisationSchema,
    toolTypes: z.array(toolTypeUtilisationSchema),
    tools: z.array(toolUtilisationSchema),
    tenantClasses: z.array(tenantClassUtilisationSchema).describe("Empty for a tenant's people"),
    tenants: z.array(tenantUtilisationSchema).describe("A tenant's people see their own tenant only"),
    series: z.array(utilisationPointSchema),
  })
  .meta({ id: 'UtilisationReport' });
export type UtilisationReport = z.infer<typeof utilisationReportSchema>;
export type ToolUtilisation = z.infer<typeof toolUtilisationSchema>;
export type ToolTypeUtilisation = z.infer<typeof toolTypeUtilisationSchema>;
export type TenantUtilisation = z.infer<typeof tenantUtilisationSchema>;
export type TenantClassUtilisation = z.infer<typeof tenantClassUtilisationSchema>;
export type UtilisationPoint = z.infer<typeof utilisationPointSchema>;
