import type { Db, Tx } from '../data/db.js';
import type { AffectedBooking, AffectedReason } from '../domain/affected.js';
import { minuteFromDate } from '../domain/time.js';
import { validateSchedule } from '../solver/check.js';
import type { Violation } from '../solver/model.js';
import { loadCalendar, type CalendarAsIf } from './snapshot.js';

// "What this change would break": the calendar's future bookings judged by the solver's referee
// as it is and as it would be after the change; what only the changed calendar breaks is listed.
// Nothing is changed: a change of rules takes effect for new requests only.

type Reader = Pick<Db | Tx, 'tool' | 'toolLink' | 'booking' | 'maintenanceWindow' | 'policy' | 'setupRule' | 'qualification' | 'tenant' | '$queryRaw'>;

const activeStates = ['held', 'confirmed', 'in_use'] as const;

/** The referee's codes a change of rules can newly break, in the words of the listing. */
const reasonOf: Partial<Record<Violation['code'], AffectedReason>> = {
  OUTSIDE_POLICY: 'outside_policy',
  QUOTA_EXCEEDED: 'quota_exceeded',
  OVERLAP: 'buffer',
  CHANGEOVER: 'changeover',
  INCOMPATIBLE_MATERIAL: 'tool_capability',
  WAFER_SIZE: 'tool_capability',
};

const keyOf = (v: Violation) => `${v.code}|${[...v.reservationIds].sort().join(',')}`;

/** Bookings that are not over yet and hold their tool: what a change could still affect. */
const upcoming = (now: Date) => ({ state: { in: [...activeStates] }, endsAt: { gt: now } });

/**
 * The future bookings on the tools in `scope` that the calendar changed by `asIf` would break and
 * today's does not: each with the broken rule in words. Read in one snapshot, judged twice.
 */
export async function bookingsBrokenBy(
  db: Reader,
  scope: { toolIds?: readonly string[]; toolTypeIds?: readonly string[] },
  asIf: CalendarAsIf,
  now: Date,
): Promise<AffectedBooking[]> {
  const tools = await db.tool.findMany({
    where: { OR: [{ id: { in: [...(scope.toolIds ?? [])] } }, { toolTypeId: { in: [...(scope.toolTypeIds ?? [])] } }] },
    select: { id: true },
  });
  const toolIds = tools.map((t) => t.id);
  const span = await db.booking.aggregate({ where: { toolId: { in: toolIds }, ...upcoming(now) }, _max: { endsAt: true } });
  if (!span._max.endsAt) return [];
  const window = { toolIds, fromMinute: minuteFromDate(now), toMinute: minuteFromDate(span._max.endsAt), userIds: 'all' as const };
  const [today, changed] = await Promise.all([loadCalendar(db, window), loadCalendar(db, window, { asIf })]);
  const before = new Set(validateSchedule(today.snapshot).map(keyOf));
  const broken = new Map<string, { reason: AffectedReason; detail: string }>();
  for (const violation of validateSchedule(changed.snapshot)) {
    const reason = reasonOf[violation.code];
    if (!reason || before.has(keyOf(violation))) continue;
    for (const id of violation.reservationIds) if (!broken.has(id)) broken.set(id, { reason, detail: violation.detail });
  }
  if (broken.size === 0) return [];
  const rows = await db.booking.findMany({
    where: { id: { in: [...broken.keys()] }, ...upcoming(now) },
    include: { lotStep: { select: { lotId: true } } },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map((row) => affectedBooking(row, broken.get(row.id)!.reason, broken.get(row.id)!.detail));
}

type BookingRow = Awaited<ReturnType<Reader['booking']['findMany']>>[number] & { lotStep: { lotId: string } | null };

export function affectedBooking(row: BookingRow, reason: AffectedReason, detail: string): AffectedBooking {
  return {
    bookingId: row.id,
    tenantId: row.tenantId,
    userId: row.userId,
    toolId: row.toolId,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    state: row.state,
    lotId: row.lotStep?.lotId ?? null,
    reason,
    detail,
  };
}

/** Future bookings matching `where` (a tool's, a person's), listed with one reason. */
export async function upcomingBookings(
  db: Pick<Db | Tx, 'booking'>,
  where: { toolId?: string; userId?: string },
  now: Date,
  reason: AffectedReason,
  detail: string,
): Promise<AffectedBooking[]> {
  const rows = await db.booking.findMany({
    where: { ...where, ...upcoming(now) },
    include: { lotStep: { select: { lotId: true } } },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    take: 1000,
  });
  return rows.map((row) => affectedBooking(row, reason, detail));
}
