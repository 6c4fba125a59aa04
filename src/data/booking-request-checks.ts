import type { Actor } from '../domain/actor.js';
import type { SlotWish } from '../domain/booking.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Db } from './db.js';
import type { LinkCheck } from './linked-tools.js';
import { bookerChargingColumns, type BookerCharging } from './project-charge.js';
import { poolOf, rowsOf } from './sql.js';

// What the API judges of a booking request before it starts the request's workflow, in one
// statement on the hot path: the booker's tenant and projects (what is charged), and the linked
// tools of every tool the request may use with whether the booker is qualified on them.

export interface BookingRequestChecks {
  charging: BookerCharging;
  /** How many tools the request may use (named, or of its type). */
  candidates: number;
  links: LinkCheck[];
}

interface Row {
  bookerTenant: BookerCharging['tenant'];
  bookerProjects: BookerCharging['projects'];
  candidates: number;
  links: LinkCheck[];
}

export async function readBookingRequestChecks(
  db: Db,
  booker: Pick<Actor, 'userId' | 'tenantId'>,
  wish: Pick<SlotWish, 'toolTypeId' | 'toolIds'>,
  at: Date,
): Promise<BookingRequestChecks> {
  const toolIds = wish.toolIds ?? [];
  const rows = await rowsOf<Row>(
    poolOf(db),
    Prisma.sql`
    WITH candidates AS (
      SELECT id FROM tools
      WHERE CASE WHEN cardinality(${toolIds}::text[]) > 0 THEN id = ANY(${toolIds}::text[]) ELSE tool_type_id = ${wish.toolTypeId ?? ''}::text END
    )
    SELECT
      ${bookerChargingColumns(booker)},
      (SELECT count(*)::int FROM candidates) AS candidates,
      (SELECT coalesce(json_agg(json_build_object('toolId', l.tool_id, 'linkedToolId', l.linked_tool_id, 'qualified', EXISTS (
          SELECT 1 FROM qualifications q
          WHERE q.user_id = ${booker.userId}::text AND (q.expires_at IS NULL OR q.expires_at > ${at}::timestamptz)
            AND (q.tool_id = lt.id OR q.tool_type_id = lt.tool_type_id)
        )) ORDER BY l.tool_id, l.linked_tool_id), '[]'::json)
        FROM tool_links l JOIN tools lt ON lt.id = l.linked_tool_id WHERE l.tool_id IN (SELECT id FROM candidates)) AS links`,
    'pilotline/booking-request-checks',
  );
  const row = rows[0]!;
  return { charging: { tenant: row.bookerTenant, projects: row.bookerProjects }, candidates: row.candidates, links: row.links };
}
