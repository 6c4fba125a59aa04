import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import type { BookingRequest } from '../../src/domain/booking.js';
import type { bookingWorkflow } from '../../workflows/booking.js';
import { approveUpdate, bookingStatusQuery, cancelUpdate, placeUpdate, placeUpdateId } from '../../workflows/messages.js';
import { bookingWorkflowId } from '../../src/domain/ids.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aPolicy, aTool, aUser, newRequestId } from '../support/scenario.js';
import { connectTestClient, temporalAddress, untilWorkerPolls, type TestClient } from '../support/temporal.js';

// A real `pilotline worker` process, killed with SIGKILL while a booking is held, then replaced.

const projectRoot = path.resolve(import.meta.dirname, '../..');
const taskQueue = `restart-${process.pid}`;
let database: TestDatabase;
let temporal: TestClient;
let tenant: Actor;
let manager: Actor;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await aTool(database.db, 'MOCVD-9', 'mocvd');
  await aPolicy(database.db, 'mocvd', { approvalRequired: true, minDurationMin: 60 });
  tenant = (await aUser(database.db, 'lee', 'co-x', 'tenant_user', ['mocvd'])).actor;
  manager = (await aUser(database.db, 'mgr', 'institute', 'lab_manager')).actor;
  temporal = await connectTestClient();
});

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

async function startWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'worker'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  workers.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes('worker: polling')) {
    if (child.exitCode !== null) throw new Error(`worker exited:\n${output}`);
    if (Date.now() > deadline) throw new Error(`worker did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await untilWorkerPolls(temporal.client, taskQueue, child.pid!);
  return child;
}

function request(): BookingRequest {
  const start = new Date(Math.ceil((Date.now() + 2 * 86_400_000) / 3_600_000) * 3_600_000);
  return {
    requestId: newRequestId(),
    toolTypeId: 'mocvd',
    durationMin: 240,
    earliestStart: start.toISOString(),
    latestEnd: new Date(start.getTime() + 86_400_000).toISOString(),
    material: 'GaN',
    waferSize: 150,
    contaminationGroup: 'standard',
  };
}

async function book(req: BookingRequest) {
  const op = new WithStartWorkflowOperation<typeof bookingWorkflow>('bookingWorkflow', {
    workflowId: bookingWorkflowId(req.requestId),
    taskQueue,
    args: [{ request: req, actor: tenant }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  const result = await temporal.client.workflow.executeUpdateWithStart(placeUpdate, { updateId: placeUpdateId, startWorkflowOperation: op });
  return { result, handle: await op.workflowHandle() };
}

describe('a worker killed after the hold', () => {
  it('resumes the workflow on a new worker: no duplicate, nothing lost', async () => {
    const first = await startWorkerProcess();
    const req = request();
    const { result, handle } = await book(req);
    expect(result.kind).toBe('placed');
    const booking = result.kind === 'placed' ? result.snapshot.booking : undefined;
    expect(booking?.state).toBe('held');

    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    await startWorkerProcess();
    // The same request again: the same booking, still one row.
    const again = await book(req);
    expect(again.result.kind === 'placed' && again.result.snapshot.booking.id).toBe(booking?.id);
    expect(await database.db.booking.count({ where: { requestId: req.requestId } })).toBe(1);

    // The workflow picks up where it was: held, waiting for the decision. The server may still route a
    // query to the dead worker's sticky queue for a moment ("no poller seen"): ask until the new one answers.
    await vi.waitFor(async () => expect((await handle.query(bookingStatusQuery)).booking?.state).toBe('held'), {
      timeout: 60_000,
      interval: 500,
    });
    const approved = await handle.executeUpdate(approveUpdate, { args: [{ actor: manager }] });
    expect(approved.state).toBe('confirmed');
    const row = await database.db.booking.findUniqueOrThrow({ where: { id: booking!.id } });
    expect(row.state).toBe('confirmed');
    await handle.executeUpdate(cancelUpdate, { args: [{ actor: tenant, reason: 'end of test' }] });
    expect(await handle.result()).toMatchObject({ booking: { state: 'cancelled' } });
  }, 180_000);
});
