import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import type { Actor } from '../../src/domain/actor.js';
import type { BookingRequest, BookingTiming, BookingView } from '../../src/domain/booking.js';
import type { PlaceAndHoldResult } from '../../src/domain/placement.js';
import { bookingWorkflow } from '../../workflows/booking.js';
import { approveUpdate, bookingRevisedSignal, bookingStatusQuery, cancelUpdate, checkInUpdate, checkOutUpdate, placeUpdate, placeUpdateId, rejectUpdate, rescheduleUpdate } from '../../workflows/messages.js';
import { bookingWorkflowId } from '../../src/domain/ids.js';
import { steerableClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aPolicy, aRate, aTool, aUser, newRequestId } from '../support/scenario.js';
import { keepHistory } from '../support/histories.js';
import { connectTestClient, startTestWorker, type TestClient, type TestWorker } from '../support/temporal.js';

// Durations in seconds: the workflow takes them as inputs. Each booking's start is ten minutes
// ahead in real time, so no timer fires during a test unless the test moves the start closer.
const fast: Partial<BookingTiming> = {
  approvalTimeoutMs: 3_000,
  checkInGraceMs: 3_000,
  earlyCheckInMs: 3_600_000,
  overrunGraceMs: 1_000,
  reminderOffsetsMs: [2_000],
};

const clock = steerableClock();
let database: TestDatabase;
let worker: TestWorker;
let temporal: TestClient;
let client: Client;
let tenant: Actor;
let otherTenant: Actor;
let manager: Actor;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await aTool(db, 'SEM-1', 'sem');
  await aTool(db, 'EPI-1', 'epi');
  await aPolicy(db, 'sem');
  await aPolicy(db, 'epi', { approvalRequired: true });
  await aRate(db, 'sem', 'university', 60_000);
  tenant = (await aUser(db, 'alice', 'uni-a', 'tenant_user', ['sem', 'epi'])).actor;
  otherTenant = (await aUser(db, 'bob', 'uni-b', 'tenant_user', ['sem', 'epi'])).actor;
  manager = (await aUser(db, 'mona', 'institute', 'lab_manager')).actor;
  worker = await startTestWorker(createActivities({ db, clock }));
  temporal = await connectTestClient();
  client = temporal.client;
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

let day = 0;
/**
 * A fresh calendar day per test (so tests never share slots), with "now" 10 minutes before 10:00
 * HKT: the approval deadline (capped at the start), reminders and the no-show stay out of reach
 * however slowly a loaded machine answers.
 */
function nextMorning(): Date {
  day += 1;
  const start = new Date(Date.UTC(2030, 0, 6 + day, 2, 0, 0));
  clock.jumpTo(start.getTime() - 600_000);
  return start;
}

function request(start: Date, toolTypeId: string, overrides: Partial<BookingRequest> = {}): BookingRequest {
  return {
    requestId: newRequestId(),
    toolTypeId,
    durationMin: 30,
    earliestStart: start.toISOString(),
    latestEnd: new Date(start.getTime() + 4 * 3_600_000).toISOString(),
    material: 'SiC',
    waferSize: 150,
    contaminationGroup: 'standard',
    ...overrides,
  };
}

async function book(req: BookingRequest, actor: Actor = tenant, timing: Partial<BookingTiming> = fast) {
  const startWorkflowOperation = new WithStartWorkflowOperation(bookingWorkflow, {
    workflowId: bookingWorkflowId(req.requestId),
    taskQueue: worker.taskQueue,
    args: [{ request: req, actor, timing }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  const result = await client.workflow.executeUpdateWithStart(placeUpdate, { updateId: placeUpdateId, startWorkflowOperation });
  return { result, handle: await startWorkflowOperation.workflowHandle() };
}

function placedBooking(result: PlaceAndHoldResult): BookingView {
  if (result.kind !== 'placed') throw new Error(`expected a placement, got ${JSON.stringify(result)}`);
  return result.snapshot.booking;
}

/** The code an Update was refused with. */
async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return err.cause.type ?? undefined;
    throw err;
  }
}

describe('bookingWorkflow', () => {
  it('confirms at once where no approval is needed, and closes as no-show without a check-in', async () => {
    const start = nextMorning();
    // The start 10 s away, the reminder 1 s before it: a placement may take 9 s on a busy machine
    // before the reminder would already be past; the no-show follows 1 s after the start.
    clock.jumpTo(start.getTime() - 10_000);
    const { result, handle } = await book(request(start, 'sem'), tenant, { ...fast, reminderOffsetsMs: [1_000], checkInGraceMs: 1_000 });
    const booking = placedBooking(result);
    expect(booking).toMatchObject({ state: 'confirmed', toolId: 'SEM-1', startsAt: start.toISOString() });

    const outcome = await handle.result();
    expect(outcome).toMatchObject({ kind: 'closed', booking: { id: booking.id, state: 'no_show' } });
    const row = await database.db.booking.findUniqueOrThrow({ where: { id: booking.id } });
    expect(row.state).toBe('no_show');
    // The slot is free again for someone else.
    const reservation = await database.db.reservation.findFirstOrThrow({ where: { sourceId: booking.id } });
    expect(reservation.active).toBe(false);
    const kinds = (await database.db.notification.findMany({ where: { recipientId: 'alice' } })).map((n) => n.kind);
    expect(kinds).toEqual(expect.arrayContaining(['booking.confirmed', 'booking.reminder', 'booking.no_show']));
    await keepHistory('booking-no-show', handle);
  });

  it('holds a booking that needs approval until a lab manager approves it', async () => {
    const start = nextMorning();
    const { result, handle } = await book(request(start, 'epi'), tenant, { ...fast, approvalTimeoutMs: 60_000 });
    const booking = placedBooking(result);
    expect(booking.state).toBe('held');
    expect(result.kind === 'placed' && result.approvalRequired).toBe(true);

    expect(await refusal(handle.executeUpdate(approveUpdate, { args: [{ actor: tenant }] }))).toBe('FORBIDDEN');
    const approved = await handle.executeUpdate(approveUpdate, { args: [{ actor: manager, note: 'ok' }] });
    expect(approved.state).toBe('confirmed');
    expect(await refusal(handle.executeUpdate(approveUpdate, { args: [{ actor: manager }] }))).toBe('INVALID_STATE');

    const audit = await database.db.auditLog.findMany({ where: { entityId: booking.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['booking.held', 'booking.approved']);
    expect(audit[1]?.actorId).toBe('mona');
    await handle.executeUpdate(cancelUpdate, { args: [{ actor: tenant, reason: 'done testing' }] });
    expect(await handle.result()).toMatchObject({ booking: { state: 'cancelled' } });
    await keepHistory('booking-approved-then-cancelled', handle);
  });

  it('releases the slot when a lab manager rejects the hold', async () => {
    const start = nextMorning();
    const { result, handle } = await book(request(start, 'epi'), tenant, { ...fast, approvalTimeoutMs: 60_000 });
    placedBooking(result);
    const rejected = await handle.executeUpdate(rejectUpdate, { args: [{ actor: manager, note: 'chamber reserved for GaN' }] });
    expect(rejected.state).toBe('rejected');
    expect(rejected.cancelReason).toBe('chamber reserved for GaN');
    expect(await handle.result()).toMatchObject({ kind: 'closed', booking: { state: 'rejected' } });
    const note = await database.db.notification.findFirstOrThrow({ where: { kind: 'booking.rejected', recipientId: 'alice' } });
    expect(note.payload).toMatchObject({ note: 'chamber reserved for GaN' });
  });

  it('expires a hold nobody decided on before the approval deadline', async () => {
    const start = nextMorning();
    clock.jumpTo(start.getTime() - 60_000);
    const { result, handle } = await book(request(start, 'epi'), tenant, { ...fast, approvalTimeoutMs: 1_500 });
    const booking = placedBooking(result);
    expect(booking.state).toBe('held');
    expect(await handle.result()).toMatchObject({ booking: { state: 'expired' } });
    await keepHistory('booking-expired', handle);
    expect(await database.db.notification.count({ where: { kind: 'booking.expired', recipientId: 'alice' } })).toBeGreaterThan(0);
  });

  it('lets the tenant cancel, marks it late inside the late-cancel window, and refuses other tenants', async () => {
    const start = nextMorning();
    const { result, handle } = await book(request(start, 'sem'), tenant, { ...fast, checkInGraceMs: 60_000 });
    placedBooking(result);
    expect(await refusal(handle.executeUpdate(cancelUpdate, { args: [{ actor: otherTenant }] }))).toBe('FORBIDDEN');
    const cancelled = await handle.executeUpdate(cancelUpdate, { args: [{ actor: tenant, reason: 'sample broke' }] });
    expect(cancelled).toMatchObject({ state: 'cancelled', lateCancel: true, cancelReason: 'sample broke' });
    expect(await handle.result()).toMatchObject({ booking: { state: 'cancelled' } });
  });

  it('reschedules to a new window, keeping the old slot until the new one is held', async () => {
    const start = nextMorning();
    const { result, handle } = await book(request(start, 'sem'), tenant, { ...fast, checkInGraceMs: 60_000 });
    const booking = placedBooking(result);
    // Someone else holds 11:00–11:30 meanwhile.
    await book(request(new Date(start.getTime() + 3_600_000), 'sem', { latestEnd: new Date(start.getTime() + 5_400_000).toISOString() }), otherTenant, {
      ...fast,
      checkInGraceMs: 600_000,
    });
    // A window that only fits where the other booking sits: refused, and the old slot stays.
    const blocked = {
      toolTypeId: 'sem',
      durationMin: 30,
      earliestStart: new Date(start.getTime() + 3_600_000).toISOString(),
      latestEnd: new Date(start.getTime() + 5_400_000).toISOString(),
    };
    expect(await refusal(handle.executeUpdate(rescheduleUpdate, { args: [{ actor: tenant, wish: blocked }] }))).toBe('NO_FEASIBLE_SLOT');
    expect((await database.db.booking.findUniqueOrThrow({ where: { id: booking.id } })).startsAt.toISOString()).toBe(start.toISOString());

    const later = { ...blocked, latestEnd: new Date(start.getTime() + 3 * 3_600_000).toISOString() };
    const moved = await handle.executeUpdate(rescheduleUpdate, { args: [{ actor: tenant, wish: later }] });
    expect(moved).toMatchObject({ id: booking.id, state: 'confirmed', startsAt: new Date(start.getTime() + 5_400_000).toISOString() });
    const status = await handle.query(bookingStatusQuery);
    expect(status.booking?.startsAt).toBe(moved.startsAt);

    // A revision from maintenance that was read before the reschedule arrives late: the workflow
    // keeps what the database holds, not the stale slot.
    const stale = { booking: { ...booking, movedByMaintenance: true }, startsInMs: 3_600_000, endsInMs: 5_400_000, approvalDeadlineInMs: null };
    await handle.signal(bookingRevisedSignal, stale);
    // Updates queue behind the signal's work: once this one is answered, the revision was handled.
    expect(await refusal(handle.executeUpdate(rescheduleUpdate, { args: [{ actor: tenant, wish: blocked }] }))).toBe('NO_FEASIBLE_SLOT');
    expect(await handle.query(bookingStatusQuery)).toMatchObject({ booking: { startsAt: moved.startsAt }, movedByMaintenance: false });

    await handle.executeUpdate(cancelUpdate, { args: [{ actor: tenant }] });
    await handle.result();
    await keepHistory('booking-rescheduled', handle);
  });

  it('records check-in and check-out and bills the actual minutes at the tenant class rate', async () => {
    const start = nextMorning();
    const { result, handle } = await book(request(start, 'sem'));
    const booking = placedBooking(result);
    expect(await refusal(handle.executeUpdate(checkOutUpdate, { args: [{ actor: tenant }] }))).toBe('INVALID_STATE');
    expect((await handle.executeUpdate(checkInUpdate, { args: [{ actor: tenant }] })).state).toBe('in_use');
    const done = await handle.executeUpdate(checkOutUpdate, { args: [{ actor: tenant }] });
    expect(done.state).toBe('completed');
    expect(await handle.result()).toMatchObject({ booking: { state: 'completed' } });
    const usage = await database.db.usageLine.findUniqueOrThrow({ where: { bookingId: booking.id } });
    // Checked in and out within a minute: one billed minute at HK$600.00 per hour.
    expect(usage).toMatchObject({ minutes: 1, rateCents: 60_000, amountCents: 1_000, tenantId: 'uni-a' });
    await keepHistory('booking-checked-in-and-out', handle);
  });

  it('closes an in-use booking at its planned end when nobody checks out', async () => {
    const start = nextMorning();
    const { result, handle } = await book(request(start, 'sem', { durationMin: 15 }));
    const booking = placedBooking(result);
    // Two seconds before the planned end: check-in anchors the workflow's end timer on this clock.
    const end = new Date(start.getTime() + 15 * 60_000);
    clock.jumpTo(end.getTime() - 2_000);
    await handle.executeUpdate(checkInUpdate, { args: [{ actor: tenant }] });
    const outcome = await handle.result();
    expect(outcome).toMatchObject({ booking: { id: booking.id, state: 'completed', checkedOutAt: end.toISOString() } });
    const audit = await database.db.auditLog.findFirstOrThrow({ where: { entityId: booking.id, action: 'booking.auto_checked_out' } });
    expect(audit.actorRole).toBe('system');
  });

  it('answers a duplicate request with the same booking and books once', async () => {
    const start = nextMorning();
    const req = request(start, 'sem');
    const [first, second] = await Promise.all([book(req), book(req)]);
    expect(placedBooking(second.result).id).toBe(placedBooking(first.result).id);
    const third = await book(req);
    expect(placedBooking(third.result).id).toBe(placedBooking(first.result).id);
    expect(await database.db.booking.count({ where: { requestId: req.requestId } })).toBe(1);
    await first.handle.executeUpdate(cancelUpdate, { args: [{ actor: tenant }] });
  });

  it('explains why nothing can be placed, and books nothing', async () => {
    const start = nextMorning();
    const req = request(start, 'sem', { waferSize: 200 });
    await database.db.tool.update({ where: { id: 'SEM-1' }, data: { waferSizes: [100, 150] } });
    try {
      const { result, handle } = await book(req);
      expect(result.kind).toBe('unplaced');
      if (result.kind === 'unplaced') {
        expect(result.explanation).toEqual([{ toolId: 'SEM-1', reasons: [expect.objectContaining({ code: 'WAFER_SIZE' })] }]);
      }
      expect(await handle.result()).toMatchObject({ kind: 'unplaced' });
      expect(await database.db.booking.count({ where: { requestId: req.requestId } })).toBe(0);
    } finally {
      await database.db.tool.update({ where: { id: 'SEM-1' }, data: { waferSizes: [100, 150, 200] } });
    }
  });
});
