import { randomBytes } from 'node:crypto';
import { WithStartWorkflowOperation, type WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import type { BookingRequest } from '../../src/domain/booking.js';
import { bookingWorkflowId } from '../../src/domain/ids.js';
import type { PlaceAndHoldResult } from '../../src/domain/placement.js';
import type { bookingWorkflow } from '../../workflows/booking.js';
import { bookingStatusQuery, cancelUpdate, placeUpdate, placeUpdateId } from '../../workflows/messages.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { gatedPurpose, gateKey, holdAdvisoryLock, installBookingGates, toolTypeLockKey, untilWaitersOn, type GatePoint } from '../support/gates.js';
import { aPolicy, aTool, aUser, newRequestId } from '../support/scenario.js';
import { connectTestClient, type TestClient } from '../support/temporal.js';
import { killWorkerProcesses, startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

// A worker process SIGKILLed while it places a booking: inside the placement transaction, after
// the booking row is written but before COMMIT, and after COMMIT before the workflow records the
// result. A new worker takes over; every request answers, once, with one row and a live workflow.

const taskQueue = `kill-${randomBytes(4).toString('hex')}`;
let database: TestDatabase;
let temporal: TestClient;
let worker: WorkerProcess;
let tenant: Actor;

beforeAll(async () => {
  database = await createTestDatabase();
  await installBookingGates(database.url);
  await aTool(database.db, 'MOCVD-7', 'mocvd');
  await aPolicy(database.db, 'mocvd', { approvalRequired: true, minDurationMin: 60 });
  tenant = (await aUser(database.db, 'lee', 'co-x', 'tenant_user', ['mocvd'])).actor;
  temporal = await connectTestClient();
  worker = await startWorkerProcess({ databaseUrl: database.url, taskQueue, client: temporal.client });
});

afterAll(async () => {
  await killWorkerProcesses();
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

let day = 0;
function request(purpose?: GatePoint): BookingRequest {
  day += 1;
  const start = new Date(Date.UTC(2033, 2, day, 1));
  return {
    requestId: newRequestId(),
    toolTypeId: 'mocvd',
    durationMin: 120,
    earliestStart: start.toISOString(),
    latestEnd: new Date(start.getTime() + 12 * 3_600_000).toISOString(),
    material: 'GaN',
    waferSize: 150,
    contaminationGroup: 'standard',
    ...(purpose ? { purpose: gatedPurpose(purpose) } : {}),
  };
}

interface Pending {
  request: BookingRequest;
  answer: Promise<PlaceAndHoldResult>;
  handle: WorkflowHandle<typeof bookingWorkflow>;
}

/** Asks for a booking as the API does (Update-with-Start); the answer comes when a worker gives it. */
function book(req: BookingRequest): Pending {
  const op = new WithStartWorkflowOperation<typeof bookingWorkflow>('bookingWorkflow', {
    workflowId: bookingWorkflowId(req.requestId),
    taskQueue,
    args: [{ request: req, actor: tenant }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    // A task a dead worker started is handed on after this (default 10 s): the takeover stays quick.
    workflowTaskTimeout: '3 seconds',
  });
  const answer = temporal.client.workflow.executeUpdateWithStart(placeUpdate, { updateId: placeUpdateId, startWorkflowOperation: op });
  answer.catch(() => undefined); // awaited later; a failure must not go unhandled meanwhile
  // The start's own handle resolves only once the update is accepted: address the workflow by id.
  return { request: req, answer, handle: temporal.client.workflow.getHandle<typeof bookingWorkflow>(bookingWorkflowId(req.requestId)) };
}

async function rowsOf(req: BookingRequest) {
  return database.db.booking.findMany({ where: { requestId: req.requestId } });
}

/** Kills the worker and starts another on the same task queue. */
async function replaceWorker(afterKill: () => Promise<void> = async () => undefined): Promise<void> {
  await worker.kill();
  await afterKill();
  worker = await startWorkerProcess({ databaseUrl: database.url, taskQueue, client: temporal.client });
}

/**
 * After the takeover: every request answered with its booking, one row each (with its audit
 * entry), its workflow alive and answering; no active booking, reservation or audit entry
 * without the rest.
 */
async function expectEachBookedOnce(pending: Pending[]) {
  const answers = await Promise.all(pending.map((p) => p.answer));
  for (const [i, p] of pending.entries()) {
    const answer = answers[i]!;
    if (answer.kind !== 'placed') throw new Error(`request ${i} was not placed: ${JSON.stringify(answer)}`);
    const rows = await rowsOf(p.request);
    expect(rows.map((r) => r.id)).toEqual([answer.snapshot.booking.id]);
    expect(rows[0]!.state).toBe('held');
    // Written whole: the booking with its audit entry (one transaction), never half of it.
    expect(await database.db.auditLog.count({ where: { entityId: rows[0]!.id, action: 'booking.held' } })).toBe(1);
    expect((await p.handle.query(bookingStatusQuery)).booking).toMatchObject({ id: rows[0]!.id, state: 'held' });
  }
  const starts = answers.map((a) => (a.kind === 'placed' ? a.snapshot.booking.startsAt : ''));
  expect(new Set(starts).size).toBe(starts.length);

  const active = await database.db.booking.findMany({ where: { state: { in: ['held', 'confirmed', 'in_use'] } } });
  for (const row of active) {
    const description = await temporal.client.workflow.getHandle(row.workflowId).describe();
    expect(description.status.name, `workflow of active booking ${row.id}`).toBe('RUNNING');
  }
  const reservations = await database.db.reservation.count({ where: { source: 'booking', active: true } });
  expect(reservations).toBe(active.length);
  expect(await database.db.auditLog.count({ where: { action: 'booking.held' } })).toBe(await database.db.booking.count());

  for (const p of pending) {
    const cancelled = await p.handle.executeUpdate(cancelUpdate, { args: [{ actor: tenant, reason: 'end of test' }] });
    expect(cancelled.state).toBe('cancelled');
    expect(await p.handle.result()).toMatchObject({ kind: 'closed', booking: { state: 'cancelled' } });
  }
}

describe('a worker process killed while it places a booking', () => {
  it('mid-transaction, waiting for the tool-type lock: a new worker places each request once', async () => {
    // The test holds the lock every placement on the type takes, so both transactions wait in it.
    await using typeLock = await holdAdvisoryLock(database.url, toolTypeLockKey('mocvd'));
    const pending = [book(request()), book(request())];
    await typeLock.untilWaiters(2);
    for (const p of pending) expect(await rowsOf(p.request)).toHaveLength(0);

    // Postgres ends the dead worker's transactions once they get past the lock and find no client.
    await replaceWorker(() => typeLock.release());
    await expectEachBookedOnce(pending);
  });

  it('after the booking row is written, before COMMIT: the dead write leaves nothing, the new worker books once', async () => {
    await using gate = await holdAdvisoryLock(database.url, gateKey('after-insert'));
    const written = book(request('after-insert'));
    await gate.untilWaiters(1);
    // The next request waits behind it for the tool type, in the same doomed worker.
    const queued = book(request());
    await untilWaitersOn(database.url, toolTypeLockKey('mocvd'), 1);
    expect(await rowsOf(written.request)).toHaveLength(0); // written, not committed

    await replaceWorker(() => gate.release());
    await expectEachBookedOnce([written, queued]);
  });

  it('after COMMIT, before the workflow records the placement: the new worker answers with the committed booking', async () => {
    await using gate = await holdAdvisoryLock(database.url, gateKey('at-commit'));
    const committed = book(request('at-commit'));
    await gate.untilWaiters(1);
    // Frozen while its COMMIT waits at the gate, the worker can never report what it placed.
    worker.freeze();
    await gate.release();
    let row;
    for (const deadline = Date.now() + 30_000; !(row = (await rowsOf(committed.request))[0]); ) {
      if (Date.now() > deadline) throw new Error('the commit did not become visible');
      await new Promise((r) => setTimeout(r, 20));
    }
    await replaceWorker(async () => {
      // The kill landed between the write and the workflow's next step: no activity result in history.
      const { events } = await committed.handle.fetchHistory();
      expect(events?.filter((e) => e.markerRecordedEventAttributes)).toEqual([]);
    });
    await expectEachBookedOnce([committed]);
    const answer = await committed.answer;
    expect(answer.kind === 'placed' && answer.snapshot.booking.id).toBe(row.id);
  });
});
