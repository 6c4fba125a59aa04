import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporalAddress } from '../support/temporal.js';
import { startPilotlineNode, type PilotlineNode } from '../../bench/support/pilotline-node.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { holdAdvisoryLock, toolTypeLockKey } from '../support/gates.js';
import { aPolicy, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';

// `pilotline api` and `pilotline worker` as the separate processes production runs, on the shared
// Temporal dev server and a database of their own: each says in /healthz what it runs, a booking
// goes from one to the other, and SIGTERM drains both without losing a request in flight.

const taskQueue = `nodes-${process.pid}`;
let database: TestDatabase;
let dataDir: string;
let alice: TestUser;
let api: PilotlineNode;
let worker: PilotlineNode;
const nodes: PilotlineNode[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await aTool(database.db, 'SEM-9', 'sem');
  await aPolicy(database.db, 'sem');
  alice = await aUser(database.db, 'alice', 'uni-a', 'tenant_user', ['sem']);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'pilotline-nodes-'));
  const common = { databaseUrl: database.url, temporalAddress: temporalAddress(), taskQueue, dataDir };
  // Long enough that only the drain itself decides when the processes end.
  worker = await startPilotlineNode({ ...common, command: 'worker', env: { WORKER_SHUTDOWN_GRACE_SECONDS: '60', LOG_LEVEL: 'info' } });
  nodes.push(worker);
  api = await startPilotlineNode({ ...common, command: 'api', env: { HTTP_DRAIN_SECONDS: '60', LOG_LEVEL: 'info' } });
  nodes.push(api);
}, 240_000);

afterAll(async () => {
  for (const node of nodes) await node.stop('SIGKILL');
  await database?.[Symbol.asyncDispose]();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

let day = 0;
function aRequest() {
  day += 1;
  const start = new Date(Date.UTC(2032, 2, 1 + day, 1)); // 09:00 HKT, a day of its own
  return {
    requestId: newRequestId(),
    toolIds: ['SEM-9'],
    durationMin: 30,
    earliestStart: start.toISOString(),
    latestEnd: new Date(start.getTime() + 3 * 3_600_000).toISOString(),
    material: 'GaN',
    waferSize: 150,
  };
}

function book(body: ReturnType<typeof aRequest>): Promise<Response> {
  return fetch(`${api.url}/api/bookings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('pilotline api and pilotline worker as processes', () => {
  it('each tells in /healthz what it runs, and a booking made through the API node is placed by the worker node', async () => {
    const apiHealth = await fetch(`${api.url}/healthz`);
    expect(apiHealth.status).toBe(200);
    expect(await apiHealth.json()).toEqual({ status: 'ok', database: 'ok', temporal: 'ok', parts: ['api'] });

    const workerHealth = await fetch(`${worker.url}/healthz`);
    expect(workerHealth.status).toBe(200);
    expect(await workerHealth.json()).toEqual({ status: 'ok', database: 'ok', temporal: 'ok', parts: ['worker'], worker: 'ok' });
    // A worker node serves its health, not the API.
    const notApi = await fetch(`${worker.url}/api/bookings`, { headers: { authorization: `Bearer ${alice.token}` } });
    expect(notApi.status).toBe(404);
    expect(notApi.headers.get('content-type')).toContain('application/problem+json');

    const request = aRequest();
    const answer = await book(request);
    expect(answer.status).toBe(201);
    const { booking } = (await answer.json()) as { booking: { id: string; toolId: string; state: string } };
    expect(booking).toMatchObject({ toolId: 'SEM-9', state: 'confirmed' });
    expect(await database.db.booking.findUnique({ where: { requestId: request.requestId } })).toMatchObject({ id: booking.id, state: 'confirmed' });
  }, 60_000);

  it('drain on SIGTERM: no new request is taken, the bookings in flight are placed and answered, then both exit 0', async () => {
    // The placements wait inside the worker for the tool type's lock, which the test holds: three
    // requests are in flight on both nodes when they are told to stop.
    await using lock = await holdAdvisoryLock(database.url, toolTypeLockKey('sem'));
    const requests = [aRequest(), aRequest(), aRequest()];
    const inFlight = requests.map((r) => book(r));
    await lock.untilWaiters(requests.length, { timeoutMs: 60_000 });

    api.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    // The API node stops taking requests at once (refused, or 503 on a connection kept alive)…
    while (!api.output().includes('SIGTERM')) await new Promise((r) => setTimeout(r, 50));
    const deadline = Date.now() + 10_000;
    let refused = false;
    while (!refused && Date.now() < deadline) {
      refused = await fetch(`${api.url}/healthz`, { signal: AbortSignal.timeout(1_000) }).then(
        (r) => r.status === 503,
        (err: Error) => err.name !== 'TimeoutError',
      );
      if (!refused) await new Promise((r) => setTimeout(r, 100));
    }
    expect(refused).toBe(true);
    // …and both wait for the work they hold.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(api.child.exitCode).toBeNull();
    expect(worker.child.exitCode).toBeNull();

    await lock.release();
    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    const ids = await Promise.all(answers.map(async (a) => ((await a.json()) as { booking: { id: string } }).booking.id));
    const answered = Date.now();
    expect(await api.exited).toEqual({ code: 0, signal: null });
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    // Once the work is done the drain ends: it does not sit out HTTP_DRAIN_SECONDS on connections kept alive.
    expect(Date.now() - answered).toBeLessThan(15_000);

    const rows = await database.db.booking.findMany({ where: { requestId: { in: requests.map((r) => r.requestId) } } });
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(rows.every((r) => r.state === 'confirmed')).toBe(true);
    expect(api.output()).toContain('SIGTERM: draining and stopping');
    expect(worker.output()).toContain('SIGTERM: draining and stopping');
  }, 120_000);
});
