import { Prisma } from '../generated/prisma/client.js';
import type { PeriodBucket } from '../domain/utilisation.js';
import type { Db } from './db.js';

// The two set-based statements behind a utilisation report, one over the tools' calendars and one
// over the bookings, both cut into the period's buckets (an hour of a bucket is an hour of the
// period, so the buckets add up to it). Seconds throughout; the report turns them into hours.

export interface UtilisationScope {
  buckets: readonly PeriodBucket[];
  toolId?: string | undefined;
  toolTypeId?: string | undefined;
  tenantId?: string | undefined;
  tenantClass?: string | undefined;
}

/** One tool in one bucket: its calendar time, all of its down time, the outage part of it. */
export interface ToolBucketRow {
  bucket: number;
  toolId: string;
  calendarS: number;
  downS: number;
  outageS: number;
}

export type BookingGroupLevel = 'tool' | 'toolType' | 'tenant' | 'tenantClass' | 'bucket' | 'total';

/** The bookings of one group (a tool, tool type, tenant, tenant class, bucket, or all of them). */
export interface BookingGroupRow {
  level: BookingGroupLevel;
  key: string | null;
  bookings: number;
  bookedS: number;
  usedS: number;
  noShowS: number;
  waitMedianS: number | null;
  waitP90S: number | null;
}

function bucketsSql(buckets: readonly PeriodBucket[]) {
  return Prisma.sql`SELECT i::int AS i, tstzrange(s, e) AS span
    FROM unnest(${buckets.map((b) => b.startsAt)}::timestamptz[], ${buckets.map((b) => b.endsAt)}::timestamptz[]) WITH ORDINALITY AS u(s, e, i)`;
}

const toolFilter = (scope: UtilisationScope, alias: string) => {
  const t = Prisma.raw(alias);
  return Prisma.sql`(${scope.toolId ?? null}::text IS NULL OR ${t}.id = ${scope.toolId ?? null}::text)
    AND (${scope.toolTypeId ?? null}::text IS NULL OR ${t}.tool_type_id = ${scope.toolTypeId ?? null}::text)`;
};

/**
 * Calendar and down time of every tool in scope per bucket. Down time is the union of the windows of
 * maintenance that was not cancelled: the active windows, or all windows of a completed maintenance
 * that has no active one left (history written as a record, e.g. by the seed); a window dropped from
 * a proposal before it was applied stays inactive and does not count.
 */
export async function readToolTime(db: Pick<Db, '$queryRaw'>, scope: UtilisationScope): Promise<ToolBucketRow[]> {
  const rows = await db.$queryRaw<Array<{ i: number; tool_id: string; calendar_s: number; down_s: number; outage_s: number }>>`
    WITH buckets AS (${bucketsSql(scope.buckets)}),
    spans AS (
      SELECT b.i, t.id AS tool_id, b.span * tstzrange(NULL, t.retired_at) AS span
      FROM buckets b CROSS JOIN tools t
      WHERE ${toolFilter(scope, 't')}
    ),
    down AS (
      SELECT s.i, s.tool_id,
        range_agg(tstzrange(w.starts_at, w.ends_at) * s.span) AS all_down,
        range_agg(tstzrange(w.starts_at, w.ends_at) * s.span) FILTER (WHERE m.kind = 'outage') AS outage
      FROM spans s
      JOIN maintenance_windows w ON w.tool_id = s.tool_id AND w.starts_at < upper(s.span) AND w.ends_at > lower(s.span)
      JOIN maintenances m ON m.id = w.maintenance_id
      WHERE m.state <> 'cancelled'
        AND (w.active OR (m.state = 'completed' AND NOT EXISTS (SELECT 1 FROM maintenance_windows a WHERE a.maintenance_id = m.id AND a.active)))
      GROUP BY s.i, s.tool_id
    )
    SELECT s.i, s.tool_id,
      COALESCE(EXTRACT(EPOCH FROM upper(s.span) - lower(s.span)), 0)::float8 AS calendar_s,
      COALESCE((SELECT SUM(EXTRACT(EPOCH FROM upper(r) - lower(r))) FROM unnest(d.all_down) r), 0)::float8 AS down_s,
      COALESCE((SELECT SUM(EXTRACT(EPOCH FROM upper(r) - lower(r))) FROM unnest(d.outage) r), 0)::float8 AS outage_s
    FROM spans s LEFT JOIN down d ON d.i = s.i AND d.tool_id = s.tool_id
    ORDER BY s.tool_id, s.i`;
  return rows.map((r) => ({ bucket: r.i, toolId: r.tool_id, calendarS: r.calendar_s, downS: r.down_s, outageS: r.outage_s }));
}

/**
 * Booked, used and no-show time and the wait from request to slot, grouped by tool, tool type,
 * tenant, tenant class, bucket and overall in one pass (GROUPING SETS). A booking counts while it
 * claimed the tool (held, confirmed, in use, completed, no-show); its used time runs from check-in to
 * check-out (to the period's end while in use). The loads of a shared run split the run by wafers,
 * their shares taken before the tenant filter so a tenant's part stays its part of the whole run.
 * Times are epoch seconds in float8 and each booking finds its buckets by `width_bucket`: a year of
 * bookings is cut without building a range per booking and bucket.
 */
export async function readBookingGroups(db: Pick<Db, '$queryRaw'>, scope: UtilisationScope): Promise<BookingGroupRow[]> {
  const first = scope.buckets[0];
  const last = scope.buckets.at(-1);
  if (!first || !last) return [];
  const periodEnd = last.endsAt;
  const booked = (alias: string) => {
    const k = Prisma.raw(alias);
    return Prisma.sql`${k}.state IN ('held', 'confirmed', 'in_use', 'completed', 'no_show')
      -- a late check-out may run past the booked end: a day's margin before the period
      AND ${k}.starts_at < ${periodEnd}::timestamptz AND ${k}.ends_at > ${first.startsAt}::timestamptz - interval '1 day'`;
  };
  const rows = await db.$queryRaw<
    Array<{ level: BookingGroupLevel; key: string | null; bookings: number; booked_s: number; used_s: number; no_show_s: number; wait_p50_s: number | null; wait_p90_s: number | null }>
  >`
    WITH bounds AS (
      SELECT ${scope.buckets.map((b) => b.startsAt)}::timestamptz[] AS starts, ${scope.buckets.map((b) => b.endsAt)}::timestamptz[] AS ends
    ),
    runs AS (
      -- the wafers of each shared run: its loads (found by their index) and its holder
      SELECT l.shared_run_id AS run, SUM(l.wafer_count)::float8 + MAX(CASE WHEN h.state IN ('held', 'confirmed', 'in_use', 'completed', 'no_show') THEN h.wafer_count ELSE 0 END) AS wafers
      FROM bookings l JOIN bookings h ON h.id = l.shared_run_id
      WHERE l.shared_run_id IS NOT NULL AND ${booked('l')}
      GROUP BY l.shared_run_id
    ),
    claims AS (
      SELECT k.tool_id, t.tool_type_id, k.tenant_id, n.class::text AS tenant_class, k.state::text AS state,
        k.starts_at, GREATEST(k.ends_at, COALESCE(k.checked_out_at, k.ends_at), CASE WHEN k.state = 'in_use' THEN ${periodEnd}::timestamptz END) AS reach,
        date_part('epoch', k.created_at) AS created, date_part('epoch', k.starts_at) AS b_start, date_part('epoch', k.ends_at) AS b_end,
        CASE k.state WHEN 'completed' THEN date_part('epoch', COALESCE(k.checked_in_at, k.starts_at))
                     WHEN 'in_use' THEN date_part('epoch', COALESCE(k.checked_in_at, k.starts_at)) END AS u_start,
        CASE k.state WHEN 'completed' THEN date_part('epoch', COALESCE(k.checked_out_at, k.ends_at))
                     WHEN 'in_use' THEN date_part('epoch', ${periodEnd}::timestamptz) END AS u_end,
        CASE WHEN r.run IS NULL THEN 1 ELSE k.wafer_count / r.wafers END AS share
      FROM bookings k
      JOIN tools t ON t.id = k.tool_id
      JOIN tenants n ON n.id = k.tenant_id
      LEFT JOIN runs r ON r.run = COALESCE(k.shared_run_id, k.id)
      WHERE ${booked('k')} AND ${toolFilter(scope, 't')}
        AND (${scope.tenantId ?? null}::text IS NULL OR k.tenant_id = ${scope.tenantId ?? null}::text)
        AND (${scope.tenantClass ?? null}::text IS NULL OR n.class::text = ${scope.tenantClass ?? null}::text)
    ),
    cut AS (
      SELECT c.tool_id, c.tool_type_id, c.tenant_id, c.tenant_class, i, c.state,
        c.share * GREATEST(0, LEAST(c.b_end, p_end) - GREATEST(c.b_start, p_start)) AS booked_s,
        -- (LEAST and GREATEST skip nulls: a booking never used must not take the whole bucket)
        CASE WHEN c.u_start IS NULL THEN 0 ELSE c.share * GREATEST(0, LEAST(c.u_end, p_end) - GREATEST(c.u_start, p_start)) END AS used_s,
        CASE WHEN c.b_start >= p_start AND c.b_start < p_end THEN GREATEST(0, c.b_start - c.created) END AS wait_s
      FROM claims c CROSS JOIN bounds
      CROSS JOIN LATERAL generate_series(GREATEST(1, width_bucket(c.starts_at, bounds.starts)), width_bucket(c.reach, bounds.starts)) AS i
      CROSS JOIN LATERAL (SELECT date_part('epoch', bounds.starts[i]) AS p_start, date_part('epoch', bounds.ends[i]) AS p_end) AS p
    )
    SELECT
      CASE WHEN GROUPING(tool_id) = 0 THEN 'tool' WHEN GROUPING(tool_type_id) = 0 THEN 'toolType'
           WHEN GROUPING(tenant_id) = 0 THEN 'tenant' WHEN GROUPING(tenant_class) = 0 THEN 'tenantClass'
           WHEN GROUPING(i) = 0 THEN 'bucket' ELSE 'total' END AS level,
      COALESCE(tool_id, tool_type_id, tenant_id, tenant_class, i::text) AS key,
      COUNT(wait_s)::int AS bookings,
      COALESCE(SUM(booked_s), 0)::float8 AS booked_s,
      COALESCE(SUM(used_s), 0)::float8 AS used_s,
      COALESCE(SUM(booked_s) FILTER (WHERE state = 'no_show'), 0)::float8 AS no_show_s,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_s) AS wait_p50_s,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY wait_s) AS wait_p90_s
    FROM cut
    GROUP BY GROUPING SETS ((tool_id), (tool_type_id), (tenant_id), (tenant_class), (i), ())`;
  return rows.map((r) => ({
    level: r.level,
    key: r.key,
    bookings: r.bookings,
    bookedS: r.booked_s,
    usedS: r.used_s,
    noShowS: r.no_show_s,
    waitMedianS: r.wait_p50_s,
    waitP90S: r.wait_p90_s,
  }));
}
