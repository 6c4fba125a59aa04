import type { Db, Tx } from '../data/db.js';
import { bookerChargingColumns, type BookerCharging } from '../data/project-charge.js';
import { queryRows, type SqlClient } from '../data/sql.js';
import { Prisma } from '../generated/prisma/client.js';

// The calendar a placement needs, read in one statement (one round trip, one snapshot): the active
// claims and the time already used on the tools in scope, and — unless the caller holds the
// catalogue at the database's current version — the catalogue; for a placement also whether its
// request was booked already and what charging the booker judges (their tenant's status, their
// projects). The tools in scope include those linked to them. Rows are the database's, named as
// Prisma names them; times are whole minutes since the epoch, as the solver counts.

export interface ToolRow {
  id: string;
  toolTypeId: string;
  name: string;
  materials: string[];
  waferSizes: number[];
  contaminationClass: string;
  batchCapacity: number;
  status: 'up' | 'down' | 'requalifying';
  /** When the tool was retired (it takes no new booking), or null. */
  retiredAt: number | null;
}

export interface PolicyRow {
  id: string;
  toolTypeId: string | null;
  toolId: string | null;
  minDurationMin: number;
  maxDurationMin: number;
  minNoticeMin: number;
  maxAdvanceMin: number;
  bufferAfterMin: number;
  weeklyQuotaMin: number | null;
  approvalRequired: boolean;
  approvalTimeoutMin: number;
  checkInGraceMin: number;
  lateCancelMin: number;
  reminderOffsetsMin: number[];
  /** The grid starts are offered on (minutes), or null: the caller's default. */
  startGridMin: number | null;
}

export interface SetupRuleRow {
  id: string;
  toolTypeId: string | null;
  toolId: string | null;
  dimension: string;
  fromGroup: string;
  toGroup: string;
  minutes: number;
}

/** A granted qualification; revoked ones are left out by the read (they qualify no one). */
export interface QualificationRow {
  userId: string;
  toolId: string | null;
  toolTypeId: string | null;
  expiresAt: number | null;
}

/** Tool `toolId` needs `linkedToolId` alongside it (booked, moved and cancelled together). */
export interface ToolLinkRow {
  toolId: string;
  linkedToolId: string;
}

export interface TenantRow {
  id: string;
  name: string;
  class: 'institute' | 'university' | 'industry';
  priority: number;
}

/** Everything placement reads that is not the calendar itself: the whole of it, every tool and user. */
export interface CatalogueRows {
  tools: ToolRow[];
  toolLinks: ToolLinkRow[];
  policies: PolicyRow[];
  setupRules: SetupRuleRow[];
  qualifications: QualificationRow[];
  tenants: TenantRow[];
}

export interface BookingClaimRow {
  id: string;
  toolId: string;
  start: number;
  end: number;
  state: 'held' | 'confirmed' | 'in_use';
  tenantId: string;
  userId: string;
  material: string;
  waferSize: number;
  contaminationGroup: string;
  windowStart: number | null;
  windowEnd: number | null;
  /** The trainer of a training booking (the trainee is `userId`), or null. */
  trainerId: string | null;
  /** The booking of the primary tool this member booking was made with, or null. */
  primaryBookingId: string | null;
  /** A batch tool's recipe, its wafers, and the run's holder when this load joined one (it then holds no time). */
  recipe: string | null;
  waferCount: number;
  sharedRunId: string | null;
}

export interface UsedTimeRow {
  toolId: string;
  tenantId: string;
  start: number;
  end: number;
}

export interface WindowClaimRow {
  id: string;
  toolId: string;
  start: number;
  end: number;
  kind: 'planned' | 'recurring' | 'outage';
}

export interface CalendarRead {
  /** The catalogue's version in the statement's snapshot. */
  catalogueVersion: string;
  /** The catalogue at that version; null when the caller already holds that version. */
  catalogue: CatalogueRows | null;
  bookings: BookingClaimRow[];
  /** Completed and no-show bookings: no claim any more, but they count toward weekly quotas. */
  used: UsedTimeRow[];
  windows: WindowClaimRow[];
  /** The booking already made for `requestId`, if any. */
  bookedId: string | null;
  /** The booker's tenant and projects, what charging a new booking judges (when `booker` was given). */
  booker: BookerCharging | null;
}

export interface CalendarReadScope {
  toolTypeIds: readonly string[];
  toolIds: readonly string[];
  from: Date;
  to: Date;
  /** The catalogue version the caller holds: the catalogue is left out when it is still current. */
  heldCatalogueVersion?: string | undefined;
  requestId?: string | undefined;
  /** Who a new booking would belong to: their tenant's status and their projects are read too. */
  booker?: { userId: string; tenantId: string } | undefined;
}

const minute = (column: Prisma.Sql) => Prisma.sql`floor(extract(epoch FROM ${column}) / 60)::int`;
const jsonList = (object: Prisma.Sql, order: Prisma.Sql) =>
  Prisma.sql`coalesce(json_agg(${object} ORDER BY ${order}), '[]'::json)`;

const catalogueJson = Prisma.sql`json_build_object(
  'tools', (SELECT ${jsonList(
    Prisma.sql`json_build_object('id', t.id, 'toolTypeId', t.tool_type_id, 'name', t.name, 'materials', t.materials,
      'waferSizes', t.wafer_sizes, 'contaminationClass', t.contamination_class, 'batchCapacity', t.batch_capacity, 'status', t.status,
      'retiredAt', ${minute(Prisma.sql`t.retired_at`)})`,
    Prisma.sql`t.id`,
  )} FROM tools t),
  'toolLinks', (SELECT ${jsonList(
    Prisma.sql`json_build_object('toolId', l.tool_id, 'linkedToolId', l.linked_tool_id)`,
    Prisma.sql`l.tool_id, l.linked_tool_id`,
  )} FROM tool_links l),
  'policies', (SELECT ${jsonList(
    Prisma.sql`json_build_object('id', p.id, 'toolTypeId', p.tool_type_id, 'toolId', p.tool_id,
      'minDurationMin', p.min_duration_min, 'maxDurationMin', p.max_duration_min, 'minNoticeMin', p.min_notice_min,
      'maxAdvanceMin', p.max_advance_min, 'bufferAfterMin', p.buffer_after_min, 'weeklyQuotaMin', p.weekly_quota_min,
      'approvalRequired', p.approval_required, 'approvalTimeoutMin', p.approval_timeout_min,
      'checkInGraceMin', p.check_in_grace_min, 'lateCancelMin', p.late_cancel_min, 'reminderOffsetsMin', p.reminder_offsets_min,
      'startGridMin', p.start_grid_min)`,
    Prisma.sql`p.id`,
  )} FROM policies p),
  'setupRules', (SELECT ${jsonList(
    Prisma.sql`json_build_object('id', r.id, 'toolTypeId', r.tool_type_id, 'toolId', r.tool_id, 'dimension', r.dimension,
      'fromGroup', r.from_group, 'toGroup', r.to_group, 'minutes', r.minutes)`,
    Prisma.sql`r.id`,
  )} FROM setup_rules r),
  'qualifications', (SELECT ${jsonList(
    Prisma.sql`json_build_object('userId', q.user_id, 'toolId', q.tool_id, 'toolTypeId', q.tool_type_id,
      'expiresAt', ${minute(Prisma.sql`q.expires_at`)})`,
    Prisma.sql`q.id`,
  )} FROM qualifications q WHERE q.revoked_at IS NULL),
  'tenants', (SELECT ${jsonList(
    Prisma.sql`json_build_object('id', n.id, 'name', n.name, 'class', n.class, 'priority', n.priority)`,
    Prisma.sql`n.id`,
  )} FROM tenants n)
)`;

type Row = Omit<CalendarRead, 'catalogue' | 'bookings' | 'used' | 'windows' | 'booker'> & {
  bookerTenant: BookerCharging['tenant'] | string | null;
  bookerProjects: BookerCharging['projects'] | string;
  catalogue: CatalogueRows | string | null;
  bookings: BookingClaimRow[] | string;
  used: UsedTimeRow[] | string;
  windows: WindowClaimRow[] | string;
};

/** What runs the read: Prisma's client or transaction, or a connection of the hot path (src/data/sql.ts). */
export type CalendarSource = Pick<Db | Tx, '$queryRaw'> | SqlClient;

/** One statement: see the top of this file. */
export async function readCalendar(db: CalendarSource, scope: CalendarReadScope): Promise<CalendarRead> {
  // Claims on the tools in scope that overlap the span (`alias` names the table).
  const claimsOn = (alias: string) => {
    const t = Prisma.raw(alias);
    return Prisma.sql`${t}.tool_id IN (SELECT id FROM scope_tools) AND ${t}.starts_at < ${scope.to}::timestamptz AND ${t}.ends_at > ${scope.from}::timestamptz`;
  };
  const statement = Prisma.sql`
    WITH named_tools AS (
      SELECT id FROM tools WHERE tool_type_id = ANY(${[...scope.toolTypeIds]}::text[]) OR id = ANY(${[...scope.toolIds]}::text[])
    ), scope_tools AS (
      -- and the tools linked to them either way, one level (as the snapshot takes them into scope)
      SELECT id FROM named_tools
      UNION SELECT l.linked_tool_id FROM tool_links l WHERE l.tool_id IN (SELECT id FROM named_tools)
      UNION SELECT l.tool_id FROM tool_links l WHERE l.linked_tool_id IN (SELECT id FROM named_tools)
    )
    SELECT
      v.version::text AS "catalogueVersion",
      CASE WHEN v.version IS NOT DISTINCT FROM ${scope.heldCatalogueVersion ?? null}::uuid THEN NULL ELSE ${catalogueJson} END AS catalogue,
      (SELECT ${jsonList(
        Prisma.sql`json_build_object('id', b.id, 'toolId', b.tool_id, 'start', ${minute(Prisma.sql`b.starts_at`)},
          'end', ${minute(Prisma.sql`b.ends_at`)}, 'state', b.state, 'tenantId', b.tenant_id, 'userId', b.user_id,
          'material', b.material, 'waferSize', b.wafer_size, 'contaminationGroup', b.contamination_group,
          'windowStart', ${minute(Prisma.sql`b.window_start`)}, 'windowEnd', ${minute(Prisma.sql`b.window_end`)},
          'trainerId', b.trainer_id, 'primaryBookingId', b.primary_booking_id, 'recipe', b.recipe,
          'waferCount', b.wafer_count, 'sharedRunId', b.shared_run_id)`,
        Prisma.sql`b.tool_id, b.starts_at, b.id`,
      )} FROM bookings b WHERE b.state IN ('held', 'confirmed', 'in_use') AND ${claimsOn('b')}) AS bookings,
      (SELECT ${jsonList(
        Prisma.sql`json_build_object('toolId', b.tool_id, 'tenantId', b.tenant_id, 'start', ${minute(Prisma.sql`b.starts_at`)},
          'end', ${minute(Prisma.sql`b.ends_at`)})`,
        Prisma.sql`b.tool_id, b.starts_at, b.id`,
      )} FROM bookings b WHERE b.state IN ('completed', 'no_show') AND ${claimsOn('b')}) AS used,
      (SELECT ${jsonList(
        Prisma.sql`json_build_object('id', w.id, 'toolId', w.tool_id, 'start', ${minute(Prisma.sql`w.starts_at`)},
          'end', ${minute(Prisma.sql`w.ends_at`)}, 'kind', m.kind)`,
        Prisma.sql`w.tool_id, w.starts_at, w.id`,
      )} FROM maintenance_windows w JOIN maintenances m ON m.id = w.maintenance_id WHERE w.active AND ${claimsOn('w')}) AS windows,
      (SELECT b.id::text FROM bookings b WHERE b.request_id = ${scope.requestId ?? null}::text) AS "bookedId",
      ${bookerChargingColumns(scope.booker)}
    FROM catalogue_version v`;
  // Its text never varies (everything that does is a parameter): prepared once per connection.
  const rows = await queryRows<Row>(db, statement, 'pilotline/calendar-read');
  const row = rows[0];
  if (!row) throw new Error('catalogue_version has no row: the database is not migrated');
  return {
    catalogueVersion: row.catalogueVersion,
    catalogue: json(row.catalogue),
    bookings: json(row.bookings),
    used: json(row.used),
    windows: json(row.windows),
    bookedId: row.bookedId,
    booker: scope.booker ? { tenant: row.bookerTenant === null ? null : json(row.bookerTenant), projects: json(row.bookerProjects) } : null,
  };
}

/** A json column: parsed by the driver, or still text where a driver leaves it so. */
function json<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}
