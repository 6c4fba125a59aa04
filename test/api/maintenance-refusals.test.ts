import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFingerprint } from '../support/db-fingerprint.js';
import { aPolicy, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { startApiWorld, type ApiWorld } from '../support/world.js';

// Maintenance that cannot be: an unknown tool, a second outage on a tool already down, a window
// confirmed over another applied one. Each is a 4xx that says what is in the way, and leaves
// every table as it was.

let world: ApiWorld;
let otto: TestUser;

beforeAll(async () => {
  world = await startApiWorld(new Date('2040-04-01T00:00:00Z'), async (db) => {
    await aTool(db, 'RIE-1', 'rie');
    await aTool(db, 'RIE-2', 'rie');
    await aPolicy(db, 'rie');
    otto = await aUser(db, 'otto', 'institute', 'ops');
  });
});

afterAll(async () => {
  await world?.[Symbol.asyncDispose]();
});

const plan = (extra: Record<string, unknown> = {}) => ({
  requestId: newRequestId(),
  toolIds: ['RIE-2'],
  startsAt: '2040-04-03T01:00:00Z',
  endsAt: '2040-04-03T09:00:00Z',
  reason: 'chamber wet clean',
  ...extra,
});

async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
}

describe('maintenance refused without a trace', () => {
  it('answers an unknown tool with 404 and writes nothing', async () => {
    const before = await databaseFingerprint(world.db);
    const response = await world.api.call('POST', '/api/maintenance', { token: otto.token, body: plan({ toolIds: ['RIE-2', 'NO-SUCH-TOOL'] }) });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND', detail: expect.stringContaining('NO-SUCH-TOOL') });
    expect(await databaseFingerprint(world.db)).toEqual(before);
    const listed = (await world.api.call('GET', '/api/maintenance', { token: otto.token })).json().maintenance;
    expect(listed).toEqual([]);
  });

  it('answers a second outage on a tool already down with 409 naming the open one, and its extend', async () => {
    const first = await world.api.call('POST', '/api/tools/RIE-1/outage', { token: otto.token, body: { estimatedEnd: '2040-04-01T06:00:00Z', reason: 'RF match fault' } });
    expect(first.statusCode).toBe(201);
    const open = first.json().maintenance;
    await until(async () => (await world.db.tool.findUniqueOrThrow({ where: { id: 'RIE-1' } })).status === 'down');

    const before = await databaseFingerprint(world.db);
    const second = await world.api.call('POST', '/api/tools/RIE-1/outage', { token: otto.token, body: { estimatedEnd: '2040-04-01T08:00:00Z', reason: 'still broken' } });
    expect(second.statusCode).toBe(409);
    const problem = second.json();
    expect(problem.code).toBe('MAINTENANCE_OVERLAP');
    expect(problem.detail).toContain(`/api/maintenance/${open.id}/extend`);
    expect(problem.details.overlapping).toEqual([
      expect.objectContaining({ maintenanceId: open.id, toolId: 'RIE-1', kind: 'outage', state: 'in_progress', endsAt: '2040-04-01T06:00:00.000Z' }),
    ]);
    expect(await databaseFingerprint(world.db)).toEqual(before);

    // The open outage is the one to change, and it still can be.
    const extended = await world.api.call('POST', `/api/maintenance/${open.id}/extend`, { token: otto.token, body: { endsAt: '2040-04-01T08:00:00Z' } });
    expect(extended.statusCode).toBe(200);
    expect(extended.json().maintenance.endsAt).toBe('2040-04-01T08:00:00.000Z');
  });

  it('answers confirming a window over another confirmed one with 409 naming it', async () => {
    const first = (await world.api.call('POST', '/api/maintenance', { token: otto.token, body: plan() })).json().maintenance;
    expect((await world.api.call('POST', `/api/maintenance/${first.id}/confirm`, { token: otto.token, body: {} })).statusCode).toBe(200);
    const second = (
      await world.api.call('POST', '/api/maintenance', { token: otto.token, body: plan({ startsAt: '2040-04-03T05:00:00Z', endsAt: '2040-04-03T12:00:00Z' }) })
    ).json().maintenance;
    expect(second.state).toBe('proposed');

    const before = await databaseFingerprint(world.db);
    const refused = await world.api.call('POST', `/api/maintenance/${second.id}/confirm`, { token: otto.token, body: {} });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'MAINTENANCE_OVERLAP',
      details: { overlapping: [{ maintenanceId: first.id, toolId: 'RIE-2', startsAt: '2040-04-03T01:00:00.000Z', endsAt: '2040-04-03T09:00:00.000Z' }] },
    });
    expect(refused.json().detail).toContain(first.id);
    expect(await databaseFingerprint(world.db)).toEqual(before);
    // Still a proposal: after the first is cancelled, it can be confirmed.
    expect((await world.api.call('GET', `/api/maintenance/${second.id}`, { token: otto.token })).json().maintenance.state).toBe('proposed');
    await world.api.call('POST', `/api/maintenance/${first.id}/cancel`, { token: otto.token, body: {} });
    expect((await world.api.call('POST', `/api/maintenance/${second.id}/confirm`, { token: otto.token, body: {} })).json().maintenance.state).toBe('scheduled');
  });

  it('lists a proposal with its tools before it is confirmed', async () => {
    const proposed = (await world.api.call('POST', '/api/maintenance', { token: otto.token, body: plan({ startsAt: '2040-04-10T01:00:00Z', endsAt: '2040-04-10T03:00:00Z' }) })).json();
    const listed = (await world.api.call('GET', '/api/maintenance?tool=RIE-2&state=proposed', { token: otto.token })).json().maintenance;
    expect(listed).toEqual([expect.objectContaining({ id: proposed.maintenance.id, toolIds: ['RIE-2'] })]);
  });
});
