import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createActivities } from '../../activities/index.js';
import type { Actor } from '../../src/domain/actor.js';
import type { BookingRequest, BookingTiming, BookingView } from '../../src/domain/booking.js';
import type { MaintenanceRequest } from '../../src/domain/maintenance.js';
import type { bookingWorkflow } from '../../workflows/booking.js';
import type { maintenanceWorkflow } from '../../workflows/maintenance.js';
import { bookingStatusQuery, cancelUpdate, checkInUpdate, completeMaintenanceUpdate, confirmMaintenanceUpdate, extendMaintenanceUpdate, maintenanceStatusQuery, placeUpdate, placeUpdateId, previewMaintenanceUpdate, requalifiedUpdate } from '../../workflows/messages.js';
import { bookingWorkflowId, maintenanceWorkflowId } from '../../src/domain/ids.js';
import { steerableClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { keepHistory } from '../support/histories.js';
import { aPolicy, aTool, aUser, newRequestId } from '../support/scenario.js';
import { connectTestClient, startTestWorker, type TestClient, type TestWorker } from '../support/temporal.js';

const clock = steerableClock();
let database: TestDatabase;
let worker: TestWorker;
let temporal: TestClient;
let client: Client;
let ada: Actor;
let ben: Actor;
let ops: Actor;

// Booking timers stay far away: these tests are about maintenance.
const quiet: Partial<BookingTiming> = { checkInGraceMs: 3_600_000, reminderOffsetsMs: [], earlyCheckInMs: 86_400_000 };

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  for (const id of ['IMP-1', 'IMP-2', 'IMP-3']) await aTool(db, id, 'implanter');
  await aTool(db, 'EPI-7', 'epi', { requiresRequalification: true });
  await aPolicy(db, 'implanter', { minDurationMin: 30 });
  await aPolicy(db, 'epi', { minDurationMin: 30 });
  ada = (await aUser(db, 'ada', 'uni-a', 'tenant_user', ['implanter', 'epi'])).actor;
  ben = (await aUser(db, 'ben', 'co-b', 'tenant_user', ['implanter', 'epi'])).actor;
  ops = (await aUser(db, 'otto', 'institute', 'ops')).actor;
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
 * A fresh day per test; "now" is `leadMs` before 09:00 HKT (01:00 UTC), when the maintenance
 * starts. A proposal lapses at its start, so a test that confirms one needs the lead to preview
 * and confirm on a busy machine; the tool goes down when it has passed.
 */
function nextDay(leadMs = 10_000): { at: (hhmm: string) => Date } {
  day += 1;
  const date = new Date(Date.UTC(2032, 0, 4 + day));
  const at = (hhmm: string) => {
    const [h, m] = hhmm.split(':').map(Number);
    return new Date(date.getTime() + ((h! - 8) * 60 + m!) * 60_000);
  };
  clock.jumpTo(at('09:00').getTime() - leadMs);
  return { at };
}

/** Waits for a state the workflows reach on their own (a timer, a signal), with room for a busy machine. */
const settles = { timeout: 30_000, interval: 100 };

async function toolGoesDown(id: string) {
  await vi.waitFor(async () => expect(await toolStatus(id)).toBe('down'), settles);
}

async function book(actor: Actor, toolId: string, start: Date, minutes: number, latestEnd: Date): Promise<{ booking: BookingView; handle: WorkflowHandle }> {
  const request: BookingRequest = {
    requestId: newRequestId(),
    toolIds: [toolId],
    durationMin: minutes,
    earliestStart: start.toISOString(),
    latestEnd: latestEnd.toISOString(),
    material: 'SiC',
    waferSize: 150,
    contaminationGroup: 'standard',
  };
  const op = new WithStartWorkflowOperation<typeof bookingWorkflow>('bookingWorkflow', {
    workflowId: bookingWorkflowId(request.requestId),
    taskQueue: worker.taskQueue,
    args: [{ request, actor, timing: quiet }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  const result = await client.workflow.executeUpdateWithStart(placeUpdate, { updateId: placeUpdateId, startWorkflowOperation: op });
  if (result.kind !== 'placed') throw new Error(`not placed: ${JSON.stringify(result)}`);
  // Widen the window the booking accepts, as a tenant asking for "that day" would.
  await database.db.booking.update({ where: { id: result.snapshot.booking.id }, data: { windowEnd: latestEnd } });
  return { booking: result.snapshot.booking, handle: await op.workflowHandle() };
}

async function planMaintenance(request: Omit<MaintenanceRequest, 'requestId' | 'kind'> & { kind?: MaintenanceRequest['kind'] }, autoConfirm = false) {
  const full: MaintenanceRequest = { requestId: newRequestId(), kind: 'planned', ...request };
  const op = new WithStartWorkflowOperation<typeof maintenanceWorkflow>('maintenanceWorkflow', {
    workflowId: maintenanceWorkflowId(full.requestId),
    taskQueue: worker.taskQueue,
    args: [{ request: full, actor: ops, autoConfirm }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  const preview = await client.workflow.executeUpdateWithStart(previewMaintenanceUpdate, { updateId: 'preview', startWorkflowOperation: op });
  return { preview, handle: await op.workflowHandle() };
}

/** Waits until the maintenance has signalled every booking it changed and each has adopted it. */
async function revisionsDelivered(handle: WorkflowHandle, bookings: WorkflowHandle[] = []) {
  await vi.waitFor(async () => {
    expect((await handle.query(maintenanceStatusQuery)).pendingRevisions, 'revisions not yet signalled').toBe(0);
    const adopted = await Promise.all(bookings.map(async (b) => (await b.query(bookingStatusQuery)).movedByMaintenance));
    expect(adopted, 'booking workflows told of the moves').toEqual(bookings.map(() => true));
  }, settles);
}

async function toolStatus(id: string) {
  return (await database.db.tool.findUniqueOrThrow({ where: { id } })).status;
}

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return err.cause.type ?? undefined;
    throw err;
  }
}

describe('maintenanceWorkflow', () => {
  it('previews the impact, applies window and moves on confirm, and tells every booking workflow', async () => {
    const { at } = nextDay();
    const a = await book(ada, 'IMP-1', at('10:00'), 60, at('18:00'));
    const b = await book(ben, 'IMP-1', at('11:30'), 60, at('18:00'));
    const outside = await book(ada, 'IMP-1', at('15:00'), 30, at('18:00'));

    const { preview, handle } = await planMaintenance({ toolIds: ['IMP-1'], startsAt: at('09:00').toISOString(), endsAt: at('13:00').toISOString(), reason: 'source change' });
    expect(preview.maintenance.state).toBe('proposed');
    expect(preview.impact?.moves.map((m) => m.bookingId).sort()).toEqual([a.booking.id, b.booking.id].sort());
    expect(preview.impact?.metrics).toMatchObject({ displaced: 2, moved: 2, unplaceable: 0, tenantsTouched: 2 });
    // Nothing moves before ops confirm.
    expect((await database.db.booking.findUniqueOrThrow({ where: { id: a.booking.id } })).startsAt).toEqual(at('10:00'));

    expect(await refusal(handle.executeUpdate(confirmMaintenanceUpdate, { args: [{ actor: ada }] }))).toBe('FORBIDDEN');
    const confirmed = await handle.executeUpdate(confirmMaintenanceUpdate, { args: [{ actor: ops }] });
    expect(confirmed.maintenance.state).toBe('scheduled');
    const moved = await database.db.booking.findMany({ where: { id: { in: [a.booking.id, b.booking.id] } } });
    for (const row of moved) expect(row.startsAt.getTime()).toBeGreaterThanOrEqual(at('13:00').getTime());
    expect((await database.db.booking.findUniqueOrThrow({ where: { id: outside.booking.id } })).startsAt).toEqual(at('15:00'));

    await revisionsDelivered(handle, [a.handle, b.handle]);
    const status = await a.handle.query(bookingStatusQuery);
    expect(status.booking?.startsAt).toBe(moved.find((r) => r.id === a.booking.id)!.startsAt.toISOString());
    expect(status.movedByMaintenance).toBe(true);
    expect(await database.db.notification.count({ where: { kind: 'booking.moved_by_maintenance' } })).toBe(2);

    // At the start the tool goes down; ops report the work complete and it comes back.
    await toolGoesDown('IMP-1');
    const done = await handle.executeUpdate(completeMaintenanceUpdate, { args: [{ actor: ops }] });
    expect(done.maintenance.state).toBe('completed');
    expect(await toolStatus('IMP-1')).toBe('up');
    await handle.result();
    await keepHistory('maintenance-planned', handle);
    for (const x of [a, b, outside]) await x.handle.executeUpdate(cancelUpdate, { args: [{ actor: ops }] });
    await a.handle.result();
    await keepHistory('booking-moved-by-maintenance-reads-row', a.handle);
  });

  it('lets a tenant decline a move: cancelled without penalty', async () => {
    const { at } = nextDay();
    const a = await book(ada, 'IMP-2', at('09:30'), 60, at('18:00'));
    const other = await book(ben, 'IMP-2', at('16:00'), 60, at('18:00'));
    const { handle } = await planMaintenance({ toolIds: ['IMP-2'], startsAt: at('09:00').toISOString(), endsAt: at('12:00').toISOString(), reason: 'PM' });
    await handle.executeUpdate(confirmMaintenanceUpdate, { args: [{ actor: ops }] });
    await revisionsDelivered(handle, [a.handle]);

    // A booking maintenance did not move cannot be cancelled "without penalty" by its tenant.
    expect(await refusal(other.handle.executeUpdate(cancelUpdate, { args: [{ actor: ben, penaltyFree: true }] }))).toBe('FORBIDDEN');
    const declined = await a.handle.executeUpdate(cancelUpdate, { args: [{ actor: ada, reason: 'declined maintenance move', penaltyFree: true }] });
    expect(declined).toMatchObject({ state: 'cancelled', lateCancel: false, cancelReason: 'declined maintenance move' });
    await handle.executeUpdate(completeMaintenanceUpdate, { args: [{ actor: ops }] }).catch(() => undefined);
    await other.handle.executeUpdate(cancelUpdate, { args: [{ actor: ben }] });
  });

  it('takes a tool down at once for an outage, interrupting the run in progress and moving the rest', async () => {
    const { at } = nextDay();
    clock.jumpTo(at('09:00').getTime() - 2_000);
    const running = await book(ada, 'IMP-3', at('09:00'), 120, at('12:00'));
    clock.jumpTo(at('09:40'));
    await running.handle.executeUpdate(checkInUpdate, { args: [{ actor: ada }] });
    const later = await book(ben, 'IMP-3', at('11:30'), 60, at('20:00'));

    const { handle } = await planMaintenance(
      { kind: 'outage', toolIds: ['IMP-3'], startsAt: at('09:40').toISOString(), endsAt: at('14:00').toISOString(), reason: 'RF generator fault' },
      true,
    );
    await toolGoesDown('IMP-3');
    await revisionsDelivered(handle);

    const interrupted = await database.db.booking.findUniqueOrThrow({ where: { id: running.booking.id }, include: { usageLine: true } });
    expect(interrupted.state).toBe('completed');
    expect(interrupted.endsAt.getTime()).toBeLessThanOrEqual(at('09:41').getTime());
    expect(interrupted.usageLine?.minutes).toBeGreaterThanOrEqual(1);
    expect(await running.handle.result()).toMatchObject({ booking: { state: 'completed' } });

    const moved = await database.db.booking.findUniqueOrThrow({ where: { id: later.booking.id } });
    expect(moved.startsAt.getTime()).toBeGreaterThanOrEqual(at('14:00').getTime());

    // The estimate slips: the outage is extended and the repair runs again.
    const extended = await handle.executeUpdate(extendMaintenanceUpdate, { args: [{ actor: ops, endsAt: at('16:00').toISOString() }] });
    expect(extended.maintenance.endsAt).toBe(at('16:00').toISOString());
    const movedAgain = await database.db.booking.findUniqueOrThrow({ where: { id: later.booking.id } });
    // Still on its own tool: after the estimated return the tool is bookable again.
    expect(movedAgain).toMatchObject({ toolId: 'IMP-3', startsAt: at('16:00') });
    await handle.executeUpdate(completeMaintenanceUpdate, { args: [{ actor: ops }] });
    await later.handle.executeUpdate(cancelUpdate, { args: [{ actor: ben }] });
    await keepHistory('maintenance-outage', handle);
  });

  it('keeps a tool out of service until a requalification run passes', async () => {
    // Confirmed as it is planned: nothing can lapse, a short lead will do.
    const { at } = nextDay(3_000);
    const { handle } = await planMaintenance(
      { kind: 'recurring', toolIds: ['EPI-7'], startsAt: at('09:00').toISOString(), endsAt: at('17:00').toISOString(), reason: 'PM every 2 weeks' },
      true,
    );
    await toolGoesDown('EPI-7');
    const completed = await handle.executeUpdate(completeMaintenanceUpdate, { args: [{ actor: ops }] });
    expect(completed.maintenance.state).toBe('awaiting_requalification');
    expect(await toolStatus('EPI-7')).toBe('requalifying');

    // Nobody can book it meanwhile.
    const { findSlots, placementRequestOf } = await import('../../src/calendar/placement.js');
    const wish = { toolIds: ['EPI-7'], durationMin: 60, earliestStart: at('18:00').toISOString(), latestEnd: at('23:00').toISOString() };
    const { answer } = await findSlots(database.db, placementRequestOf('probe', wish, { material: 'SiC', waferSize: 150, contaminationGroup: 'standard' }, ada), clock.now());
    expect(answer).toMatchObject({ kind: 'unplaced', explanation: [{ toolId: 'EPI-7', reasons: [expect.objectContaining({ code: 'TOOL_DOWN' })] }] });

    const failed = await handle.executeUpdate(requalifiedUpdate, { args: [{ actor: ops, passed: false, notes: 'thickness uniformity 4.1 %' }] });
    expect(failed.maintenance.state).toBe('awaiting_requalification');
    expect(await toolStatus('EPI-7')).toBe('requalifying');
    const passed = await handle.executeUpdate(requalifiedUpdate, { args: [{ actor: ops, passed: true, notes: '1.8 %' }] });
    expect(passed.maintenance.state).toBe('completed');
    expect(await toolStatus('EPI-7')).toBe('up');
    expect(await handle.result()).toMatchObject({ maintenance: { state: 'completed' } });
    await keepHistory('maintenance-requalification', handle);
  });

  it('carries on after its worker restarts in the middle', { timeout: 90_000 }, async () => {
    const { at } = nextDay();
    const a = await book(ada, 'IMP-1', at('09:30'), 60, at('18:00'));
    const { handle } = await planMaintenance({ toolIds: ['IMP-1'], startsAt: at('09:00').toISOString(), endsAt: at('11:00').toISOString(), reason: 'PM' });
    await handle.executeUpdate(confirmMaintenanceUpdate, { args: [{ actor: ops }] });

    await worker.stop();
    worker = await startTestWorker(createActivities({ db: database.db, clock }), worker.taskQueue);

    // The start timer fires on the new worker; the booking workflow heard of its move.
    await toolGoesDown('IMP-1');
    await revisionsDelivered(handle, [a.handle]);
    const done = await handle.executeUpdate(completeMaintenanceUpdate, { args: [{ actor: ops }] });
    expect(done.maintenance.state).toBe('completed');
    await a.handle.executeUpdate(cancelUpdate, { args: [{ actor: ada }] });
  });
});
