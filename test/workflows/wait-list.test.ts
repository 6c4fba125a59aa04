import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { signalDispatcherFromActivity } from '../../activities/wait-list/freed-time.js';
import type { Actor } from '../../src/domain/actor.js';
import type { BookingRequest, BookingTiming } from '../../src/domain/booking.js';
import { bookingWorkflowId, maintenanceWorkflowId, waitListDispatcherId, waitListWorkflowId } from '../../src/domain/ids.js';
import type { MaintenanceRequest } from '../../src/domain/maintenance.js';
import type { WaitListEntryView, WaitListTiming } from '../../src/domain/wait-list.js';
import { wakeWaitListDispatcher } from '../../src/runtime/temporal/wait-list.js';
import { withAbortedUpdateRetried as retried } from '../../src/api/update-retry.js';
import type { bookingWorkflow } from '../../workflows/booking.js';
import type { maintenanceWorkflow } from '../../workflows/maintenance.js';
import {
  acceptOfferUpdate,
  bookingStatusQuery,
  cancelUpdate,
  confirmMaintenanceUpdate,
  declineOfferUpdate,
  extendMaintenanceUpdate,
  joinWaitListUpdate,
  joinWaitListUpdateId,
  placeUpdate,
  placeUpdateId,
  previewMaintenanceUpdate,
  withdrawFromWaitListUpdate,
} from '../../workflows/messages.js';
import type { waitListWorkflow } from '../../workflows/wait-list.js';
import { steerableClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { keepHistory } from '../support/histories.js';
import { aPolicy, aTool, aUser, newRequestId } from '../support/scenario.js';
import { connectTestClient, startTestWorker, type TestClient, type TestWorker } from '../support/temporal.js';

// Offers stay open for seconds here (the workflow takes the deadline as an input). Each test has a
// day of its own; "now" is an hour before 10:00 HKT, so no booking timer fires during a test.
const clock = steerableClock();
/** Set by a test to lose every freed-time announcement, as a sender dying right after its commit would. */
let announcementsLost = false;
let database: TestDatabase;
let worker: TestWorker;
let temporal: TestClient;
let client: Client;
let alice: Actor;
let bob: Actor;
let carol: Actor;
let ops: Actor;

const bookingTiming: Partial<BookingTiming> = { checkInGraceMs: 600_000, approvalTimeoutMs: 600_000 };
const settles = { timeout: 20_000, interval: 100 };

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await aTool(db, 'SEM-1', 'sem');
  await aPolicy(db, 'sem');
  await aTool(db, 'EPI-1', 'epi');
  await aPolicy(db, 'epi', { approvalRequired: true });
  alice = (await aUser(db, 'alice', 'uni-a', 'tenant_user', ['sem', 'epi'])).actor;
  bob = (await aUser(db, 'bob', 'uni-b', 'tenant_user', ['sem', 'epi'])).actor;
  carol = (await aUser(db, 'carol', 'fab-c', 'tenant_user', ['sem', 'epi'])).actor;
  ops = (await aUser(db, 'otto', 'institute', 'ops')).actor;
  const announceFreedTime = () => (announcementsLost ? Promise.resolve() : signalDispatcherFromActivity());
  worker = await startTestWorker(createActivities({ db, clock, announceFreedTime }));
  temporal = await connectTestClient();
  client = temporal.client;
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

let day = 0;
function nextMorning(): Date {
  day += 1;
  const start = new Date(Date.UTC(2031, 2, 2 + day, 2, 0, 0));
  clock.jumpTo(start.getTime() - 3_600_000);
  return start;
}

const hours = (at: Date, h: number) => new Date(at.getTime() + h * 3_600_000).toISOString();

function request(start: Date, overrides: Partial<BookingRequest> = {}): BookingRequest {
  return {
    requestId: newRequestId(),
    toolTypeId: 'sem',
    durationMin: 60,
    earliestStart: start.toISOString(),
    latestEnd: hours(start, 1),
    material: 'SiC',
    waferSize: 150,
    contaminationGroup: 'standard',
    ...overrides,
  };
}

async function book(req: BookingRequest, actor: Actor) {
  const op = new WithStartWorkflowOperation<typeof bookingWorkflow>('bookingWorkflow', {
    workflowId: bookingWorkflowId(req.requestId),
    taskQueue: worker.taskQueue,
    args: [{ request: req, actor, timing: bookingTiming }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  const result = await client.workflow.executeUpdateWithStart(placeUpdate, { updateId: placeUpdateId, startWorkflowOperation: op });
  return { result, handle: await op.workflowHandle() };
}

async function join(req: BookingRequest, actor: Actor, timing: Partial<WaitListTiming> = {}) {
  const op = new WithStartWorkflowOperation<typeof waitListWorkflow>('waitListWorkflow', {
    workflowId: waitListWorkflowId(req.requestId),
    taskQueue: worker.taskQueue,
    args: [{ request: req, actor, timing: { offerResponseMs: 60_000, booking: bookingTiming, ...timing } }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  const entry = await client.workflow.executeUpdateWithStart(joinWaitListUpdate, { updateId: joinWaitListUpdateId, startWorkflowOperation: op });
  return { entry, handle: await op.workflowHandle() };
}

async function entryRow(id: string) {
  return database.db.waitListEntry.findUniqueOrThrow({ where: { id }, include: { offers: { include: { booking: true }, orderBy: { createdAt: 'asc' } } } });
}

/** Waits until the entry is in `state` (the dispatcher and the timers work in the background). */
async function until(entry: WaitListEntryView, state: string) {
  await vi.waitFor(async () => expect((await entryRow(entry.id)).state).toBe(state), settles);
  return entryRow(entry.id);
}

/** Waits until the dispatcher has drained every freed interval (the joins' own included). */
async function drained() {
  await vi.waitFor(async () => expect(await database.db.freedTime.count({ where: { drainedAt: null } })).toBe(0), settles);
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

/** Bob holds the only SEM from 10:00 to 11:00; alice's request for that hour finds nothing. */
async function contested(start: Date) {
  const bobs = await book(request(start), bob);
  expect(bobs.result.kind).toBe('placed');
  const alices = request(start);
  expect((await book(alices, alice)).result.kind).toBe('unplaced');
  return { bobs, alices };
}

describe('waitListWorkflow', () => {
  it('offers the time a cancellation frees as a real hold, and an accepted offer becomes an ordinary booking', async () => {
    const start = nextMorning();
    const { bobs, alices } = await contested(start);
    const { entry, handle } = await join(alices, alice);
    expect(entry).toMatchObject({ state: 'waiting', offer: null });

    await bobs.handle.executeUpdate(cancelUpdate, { args: [{ actor: bob, reason: 'sample not ready' }] });
    const offered = await until(entry, 'offered');
    const offer = offered.offers[0]!;
    expect(offer).toMatchObject({ state: 'open', booking: { state: 'held', toolId: 'SEM-1', startsAt: start, userId: 'alice' } });
    // The hold is real: the reservation guard has it, so nobody else can take the slot meanwhile.
    expect((await database.db.reservation.findFirstOrThrow({ where: { sourceId: offer.bookingId } })).active).toBe(true);
    const someoneElse = await book(request(start), carol);
    expect(someoneElse.result.kind).toBe('unplaced');

    expect(await refusal(retried(() => handle.executeUpdate(acceptOfferUpdate, { args: [{ actor: bob }] })))).toBe('FORBIDDEN');
    const accepted = await retried(() => handle.executeUpdate(acceptOfferUpdate, { args: [{ actor: alice }] }));
    expect(accepted.entry).toMatchObject({ state: 'accepted', bookingId: offer.bookingId, offer: null });
    expect(accepted.booking).toMatchObject({ id: offer.bookingId, state: 'confirmed' });
    expect(await handle.result()).toMatchObject({ entry: { state: 'accepted' } });

    // The booking workflow took over the row: it answers for it like for any booking.
    const bookingHandle = client.workflow.getHandle(bookingWorkflowId(offer.booking.requestId));
    await vi.waitFor(async () => expect((await bookingHandle.query(bookingStatusQuery)).booking).toMatchObject({ id: offer.bookingId, state: 'confirmed' }), settles);
    const audit = await database.db.auditLog.findMany({ where: { entityId: entry.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['wait_list.joined', 'wait_list.offered', 'wait_list.offer_accepted']);
    const kinds = (await database.db.notification.findMany({ where: { recipientId: 'alice' } })).map((n) => n.kind);
    expect(kinds).toEqual(expect.arrayContaining(['wait_list.offer', 'wait_list.accepted', 'booking.confirmed']));
    await bookingHandle.executeUpdate(cancelUpdate, { args: [{ actor: alice }] });
    await keepHistory('wait-list-offer-accepted', handle);
  });

  it('passes the time on to the next waiter when an offer is not answered in time, and never back', async () => {
    const start = nextMorning();
    const { bobs, alices } = await contested(start);
    const first = await join(alices, alice, { offerResponseMs: 2_000 });
    const second = await join(request(start), carol);
    await drained();

    await bobs.handle.executeUpdate(cancelUpdate, { args: [{ actor: bob }] });
    const offered = await until(first.entry, 'offered');
    expect((await entryRow(second.entry.id)).state).toBe('waiting');

    // Two seconds without an answer: alice's hold lapses and carol is offered the same hour.
    const lapsed = await until(first.entry, 'waiting');
    expect(lapsed.offers[0]).toMatchObject({ state: 'timed_out', booking: { state: 'expired' } });
    const next = await until(second.entry, 'offered');
    expect(next.offers[0]?.booking).toMatchObject({ toolId: 'SEM-1', startsAt: start, state: 'held' });
    expect(next.offers[0]?.passedOver).toEqual([first.entry.id]);
    expect(await refusal(retried(() => first.handle.executeUpdate(acceptOfferUpdate, { args: [{ actor: alice }] })))).toBe('INVALID_STATE');

    // Carol declines: the time has been let go by both, so nobody is offered it again.
    await retried(() => second.handle.executeUpdate(declineOfferUpdate, { args: [{ actor: carol }] }));
    const freedAgain = await database.db.freedTime.findFirstOrThrow({ where: { reason: 'offer_declined', sourceId: next.offers[0]!.id } });
    await vi.waitFor(async () => expect((await database.db.freedTime.findUniqueOrThrow({ where: { id: freedAgain.id } })).drainedAt).not.toBeNull(), settles);
    expect((await entryRow(first.entry.id)).state).toBe('waiting');
    expect((await entryRow(second.entry.id)).state).toBe('waiting');
    const decisions = await database.db.auditLog.findFirstOrThrow({ where: { entityType: 'freed_time', entityId: String(freedAgain.id) } });
    expect((decisions.data as { turns: Array<{ outcome: string }> }).turns.map((t) => t.outcome)).toEqual([
      'already_passed_on_this_time',
      'already_passed_on_this_time',
    ]);
    expect(offered.offers).toHaveLength(1);

    await retried(() => first.handle.executeUpdate(withdrawFromWaitListUpdate, { args: [{ actor: alice }] }));
    await retried(() => second.handle.executeUpdate(withdrawFromWaitListUpdate, { args: [{ actor: carol }] }));
    expect(await first.handle.result()).toMatchObject({ entry: { state: 'withdrawn' } });
    await keepHistory('wait-list-offer-timed-out', first.handle);
    await keepHistory('wait-list-offer-declined', second.handle);
  });

  it('offers first by tenant priority, then join order, and caps a tenant at one open offer', async () => {
    const start = nextMorning();
    // Two hours of bob's free up at once: room for two offers.
    const bobs = await book(request(start, { durationMin: 120, latestEnd: hours(start, 2) }), bob);
    expect(bobs.result.kind).toBe('placed');
    const aliceFirst = await join(request(start, { latestEnd: hours(start, 2) }), alice);
    const aliceSecond = await join(request(start, { latestEnd: hours(start, 2) }), alice);
    const carolLater = await join(request(start, { latestEnd: hours(start, 2) }), carol);
    await drained();
    await bobs.handle.executeUpdate(cancelUpdate, { args: [{ actor: bob }] });
    await until(aliceFirst.entry, 'offered');
    await until(carolLater.entry, 'offered');
    // alice's second request waits behind the cap although it joined before carol's.
    expect((await entryRow(aliceSecond.entry.id)).state).toBe('waiting');
    const freed = await database.db.freedTime.findFirstOrThrow({ where: { reason: 'cancelled', sourceId: (bobs.result as { snapshot: { booking: { id: string } } }).snapshot.booking.id } });
    const decisions = await database.db.auditLog.findFirstOrThrow({ where: { entityType: 'freed_time', entityId: String(freed.id) } });
    expect((decisions.data as { turns: Array<{ entryId: string; outcome: string }> }).turns).toEqual([
      expect.objectContaining({ entryId: aliceFirst.entry.id, outcome: 'offered' }),
      expect.objectContaining({ entryId: aliceSecond.entry.id, outcome: 'tenant_cap' }),
      expect.objectContaining({ entryId: carolLater.entry.id, outcome: 'offered' }),
    ]);
    for (const [w, actor] of [[aliceFirst, alice], [aliceSecond, alice], [carolLater, carol]] as const) {
      await retried(() => w.handle.executeUpdate(withdrawFromWaitListUpdate, { args: [{ actor }] }));
    }
  });

  it('lets a waiter whose window has passed leave the list, and tells them', async () => {
    const start = nextMorning();
    const { alices } = await contested(start);
    // The latest start the window allows is 3 s away.
    clock.jumpTo(start.getTime() - 3_000);
    const { entry, handle } = await join(alices, alice);
    expect(entry.state).toBe('waiting');
    expect(await handle.result()).toMatchObject({ entry: { state: 'expired', closeReason: 'the window passed without a free slot' } });
    expect(await database.db.notification.count({ where: { recipientId: 'alice', kind: 'wait_list.expired', payload: { path: ['entryId'], equals: entry.id } } })).toBe(1);
    await keepHistory('wait-list-expired', handle);
  });

  it('offers the tail a shortened maintenance gives back', async () => {
    const start = nextMorning();
    const planned: MaintenanceRequest = { requestId: newRequestId(), kind: 'planned', toolIds: ['SEM-1'], startsAt: start.toISOString(), endsAt: hours(start, 4), reason: 'column bake-out' };
    const op = new WithStartWorkflowOperation<typeof maintenanceWorkflow>('maintenanceWorkflow', {
      workflowId: maintenanceWorkflowId(planned.requestId),
      taskQueue: worker.taskQueue,
      args: [{ request: planned, actor: ops, autoConfirm: false }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    await client.workflow.executeUpdateWithStart(previewMaintenanceUpdate, { updateId: 'preview', startWorkflowOperation: op });
    const maintenance = await op.workflowHandle();
    await maintenance.executeUpdate(confirmMaintenanceUpdate, { args: [{ actor: ops }] });

    const alices = request(start, { latestEnd: hours(start, 4) });
    expect((await book(alices, alice)).result.kind).toBe('unplaced');
    const { entry, handle } = await join(alices, alice);
    expect(entry.state).toBe('waiting');

    await maintenance.executeUpdate(extendMaintenanceUpdate, { args: [{ actor: ops, endsAt: hours(start, 2) }] });
    const offered = await until(entry, 'offered');
    expect(offered.offers[0]?.booking).toMatchObject({ toolId: 'SEM-1', startsAt: new Date(hours(start, 2)) });
    await retried(() => handle.executeUpdate(declineOfferUpdate, { args: [{ actor: alice }] }));
    await retried(() => handle.executeUpdate(withdrawFromWaitListUpdate, { args: [{ actor: alice }] }));
    await maintenance.terminate('test over');
  });

  it('still offers time whose announcement was lost after the commit, when the dispatcher next wakes (a worker start)', async () => {
    const start = nextMorning();
    const { bobs, alices } = await contested(start);
    const { entry, handle } = await join(alices, alice);
    await drained();
    announcementsLost = true;
    try {
      await bobs.handle.executeUpdate(cancelUpdate, { args: [{ actor: bob }] });
    } finally {
      announcementsLost = false;
    }
    const pending = await database.db.freedTime.findFirstOrThrow({ where: { reason: 'cancelled', drainedAt: null } });
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await entryRow(entry.id)).state).toBe('waiting');

    await wakeWaitListDispatcher(client, worker.taskQueue);
    const offered = await until(entry, 'offered');
    expect(offered.offers[0]?.freedTimeId).toBe(pending.id);
    await retried(() => handle.executeUpdate(withdrawFromWaitListUpdate, { args: [{ actor: alice }] }));
    // The dispatcher runs on (it never ends): its history so far replays like a finished one.
    await keepHistory('wait-list-dispatcher', client.workflow.getHandle(waitListDispatcherId(worker.taskQueue)));
  });

  it('holds an accepted offer for approval where the policy asks for it, through the booking workflow', async () => {
    const start = nextMorning();
    const bobs = await book(request(start, { toolTypeId: 'epi' }), bob);
    expect(bobs.result.kind).toBe('placed');
    const { entry, handle } = await join(request(start, { toolTypeId: 'epi' }), alice);
    await bobs.handle.executeUpdate(cancelUpdate, { args: [{ actor: bob }] });
    await until(entry, 'offered');
    // An open offer is the tenant's to answer: it is not in the lab managers' queue yet.
    const accepted = await retried(() => handle.executeUpdate(acceptOfferUpdate, { args: [{ actor: alice }] }));
    expect(accepted.booking.state).toBe('held');
    expect(accepted.booking.approvalDeadline).not.toBeNull();
    const bookingHandle = client.workflow.getHandle(bookingWorkflowId(accepted.booking.requestId));
    await vi.waitFor(async () => expect((await bookingHandle.query(bookingStatusQuery)).booking?.state).toBe('held'), settles);
    await bookingHandle.executeUpdate(cancelUpdate, { args: [{ actor: alice }] });
  });
});

