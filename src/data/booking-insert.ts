import { Prisma, type Booking } from '../generated/prisma/client.js';
import { changeRows, type Change } from './records.js';
import { rowsOf, type SqlClient } from './sql.js';

// A new booking, its linked tools' member bookings, its audit entry and its notifications in one
// statement (the placement's hot path; elsewhere Prisma writes them one by one).

/** Every field of a booking row and its column: tsc fails here when the model gains a field. */
const bookingColumns: Record<keyof Booking, string> = {
  id: 'id',
  requestId: 'request_id',
  workflowId: 'workflow_id',
  tenantId: 'tenant_id',
  userId: 'user_id',
  toolId: 'tool_id',
  startsAt: 'starts_at',
  endsAt: 'ends_at',
  state: 'state',
  material: 'material',
  waferSize: 'wafer_size',
  contaminationGroup: 'contamination_group',
  windowStart: 'window_start',
  windowEnd: 'window_end',
  purpose: 'purpose',
  lotStepId: 'lot_step_id',
  approvalDeadline: 'approval_deadline',
  decidedById: 'decided_by_id',
  checkedInAt: 'checked_in_at',
  checkedOutAt: 'checked_out_at',
  cancelReason: 'cancel_reason',
  lateCancel: 'late_cancel',
  movedByMaintenanceId: 'moved_by_maintenance_id',
  primaryBookingId: 'primary_booking_id',
  recipe: 'recipe',
  waferCount: 'wafer_count',
  sharedRunId: 'shared_run_id',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  projectId: 'project_id',
  trainerId: 'trainer_id',
  flaggedAt: 'flagged_at',
  flagReason: 'flag_reason',
  flagQualificationId: 'flag_qualification_id',
};

/** A booking row as Prisma returns it (node-postgres reads timestamptz as Date, as Prisma does). */
const asBooking = Prisma.raw(
  Object.entries(bookingColumns)
    .map(([field, column]) => `${column} AS "${field}"`)
    .join(', '),
);

/** One booking row by id, as Prisma's `findUnique` would return it. */
export async function bookingById(client: SqlClient, id: string): Promise<Booking | undefined> {
  const rows = await rowsOf<Booking>(client, Prisma.sql`SELECT ${asBooking} FROM bookings WHERE id = ${id}::uuid`, 'pilotline/booking-by-id');
  return rows[0];
}

export type NewBooking = Pick<
  Booking,
  | 'id'
  | 'requestId'
  | 'workflowId'
  | 'tenantId'
  | 'userId'
  | 'projectId'
  | 'trainerId'
  | 'toolId'
  | 'startsAt'
  | 'endsAt'
  | 'material'
  | 'waferSize'
  | 'contaminationGroup'
  | 'windowStart'
  | 'windowEnd'
  | 'purpose'
  | 'recipe'
  | 'waferCount'
  | 'sharedRunId'
  | 'approvalDeadline'
> & { state: 'held' | 'confirmed' };

/**
 * Writes `booking`, a member booking for each linked tool (same interval, tenant, user and state,
 * as `syncLinkedMembers` makes them), and `change`'s audit entry and notifications: one statement,
 * all or nothing. The exclusion constraint refuses it whole when another writer took the time.
 */
export async function insertPlacedBooking(
  client: SqlClient,
  booking: NewBooking,
  linkedToolIds: readonly string[],
  change: Change,
): Promise<Booking> {
  const b = booking;
  const { audit, notifications } = changeRows(change);
  const rows = await rowsOf<Booking>(
    client,
    Prisma.sql`
    WITH booking AS (
      INSERT INTO bookings (id, request_id, workflow_id, tenant_id, user_id, project_id, trainer_id, tool_id, starts_at, ends_at,
        state, material, wafer_size, contamination_group, window_start, window_end, purpose, recipe, wafer_count, shared_run_id,
        approval_deadline)
      VALUES (${b.id}::uuid, ${b.requestId}, ${b.workflowId}, ${b.tenantId}, ${b.userId}, ${b.projectId}::uuid, ${b.trainerId},
        ${b.toolId}, ${b.startsAt}::timestamptz, ${b.endsAt}::timestamptz, ${b.state}::booking_state, ${b.material},
        ${b.waferSize}::int, ${b.contaminationGroup}, ${b.windowStart}::timestamptz, ${b.windowEnd}::timestamptz, ${b.purpose},
        ${b.recipe}, ${b.waferCount}::int, ${b.sharedRunId}::uuid, ${b.approvalDeadline}::timestamptz)
      RETURNING ${asBooking}
    ), members AS (
      INSERT INTO bookings (id, request_id, workflow_id, tenant_id, user_id, tool_id, starts_at, ends_at, state, material, wafer_size,
        contamination_group, window_start, window_end, purpose, approval_deadline, primary_booking_id)
      SELECT gen_random_uuid(), p."requestId" || '/' || l.tool_id, p."workflowId" || '/' || l.tool_id, p."tenantId", p."userId",
        l.tool_id, p."startsAt", p."endsAt", p.state, p.material, p."waferSize", p."contaminationGroup", p."windowStart",
        p."windowEnd", p.purpose, p."approvalDeadline", p.id
      FROM booking p, unnest(${[...linkedToolIds]}::text[]) AS l(tool_id)
    ), audit AS (
      INSERT INTO audit_log (actor_id, actor_role, action, entity_type, entity_id, data)
      VALUES (${audit.actorId}, ${audit.actorRole}, ${audit.action}, ${audit.entityType}, ${audit.entityId}, ${JSON.stringify(audit.data)}::jsonb)
    ), outbox AS (
      INSERT INTO notifications (recipient_id, tenant_id, audience, kind, subject, payload)
      SELECT n."recipientId", n."tenantId", n.audience, n.kind, n.subject, n.payload
      FROM jsonb_to_recordset(${JSON.stringify(notifications)}::jsonb)
        AS n("recipientId" text, "tenantId" text, audience text, kind text, subject text, payload jsonb)
    )
    SELECT * FROM booking`,
    'pilotline/insert-placed-booking',
  );
  return rows[0]!;
}
