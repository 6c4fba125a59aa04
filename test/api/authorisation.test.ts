import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import type { RouteSpec } from '../../src/api/route.js';
import { apiRoutes } from '../../src/api/server.js';
import { roles, type Role } from '../../src/domain/roles.js';
import { steerableClock } from '../support/clock.js';
import { databaseFingerprint } from '../support/db-fingerprint.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { aPolicy, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { connectTestClient, startTestWorker, type TestClient, type TestWorker } from '../support/temporal.js';

// Every endpoint of the route table, checked mechanically: no token → 401; a role it does not allow
// → 403; another tenant's booking → 404; a bad body → 422 naming body fields, and nothing written.

const clock = steerableClock();
let database: TestDatabase;
let worker: TestWorker;
let temporal: TestClient;
let api: TestApi;
let routes: RouteSpec[];
const users = {} as Record<Role, TestUser>;
let outsider: TestUser;
let bookingId: string;

beforeAll(async () => {
  clock.jumpTo(new Date('2034-02-01T00:00:00Z'));
  database = await createTestDatabase();
  const { db } = database;
  await aTool(db, 'AFM-1', 'afm');
  await aPolicy(db, 'afm');
  users.tenant_user = await aUser(db, 'tess', 'uni-a', 'tenant_user', ['afm']);
  users.lab_manager = await aUser(db, 'mia', 'institute', 'lab_manager');
  users.ops = await aUser(db, 'oz', 'institute', 'ops');
  users.admin = await aUser(db, 'ada', 'institute', 'admin');
  outsider = await aUser(db, 'olga', 'co-x', 'tenant_user', ['afm']);
  worker = await startTestWorker(createActivities({ db, clock }));
  temporal = await connectTestClient();
  const deps = { db, clock, temporal: { client: temporal.client, namespace: 'default', taskQueue: worker.taskQueue } };
  api = await startTestApi(deps);
  routes = apiRoutes(deps);
  const booked = await api.call('POST', '/api/bookings', {
    token: users.tenant_user.token,
    body: { requestId: newRequestId(), toolIds: ['AFM-1'], durationMin: 30, earliestStart: '2034-02-02T01:00:00Z', latestEnd: '2034-02-02T05:00:00Z', material: 'GaN', waferSize: 100 },
  });
  bookingId = booked.json().booking.id;
});

afterAll(async () => {
  await api?.[Symbol.asyncDispose]();
  await worker?.stop();
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

const urlOf = (route: RouteSpec, id: string = randomUUID()) => route.url.replace(':id', id);

/** Every table's rows (see databaseFingerprint): a refused request leaves all of them as they were. */
const snapshotOfWrites = () => databaseFingerprint(database.db);

describe('authorisation on every endpoint', () => {
  it('covers the whole route table', () => {
    expect(routes.length).toBeGreaterThanOrEqual(25);
  });

  it('refuses a missing, malformed or unknown token with 401, and writes nothing', async () => {
    const before = await snapshotOfWrites();
    for (const route of routes.filter((r) => r.access !== 'public')) {
      for (const header of [undefined, 'plt_not-a-real-token']) {
        const response = await api.call(route.method as 'GET' | 'POST', urlOf(route), { ...(header ? { token: header } : {}), body: {} });
        expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
        expect(response.json().code).toBe('UNAUTHENTICATED');
      }
    }
    expect(await snapshotOfWrites()).toEqual(before);
  });

  it('refuses every role an endpoint does not allow with 403, before reading its input, and writes nothing', async () => {
    const before = await snapshotOfWrites();
    let checked = 0;
    for (const route of routes.filter((r) => r.access !== 'public')) {
      const allowed = route.access as readonly Role[];
      for (const role of roles.filter((r) => !allowed.includes(r))) {
        const response = await api.call(route.method as 'GET' | 'POST', urlOf(route), { token: users[role].token, body: {} });
        expect(response.statusCode, `${role} → ${route.method} ${route.url}`).toBe(403);
        expect(response.json().code).toBe('FORBIDDEN');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(await snapshotOfWrites()).toEqual(before);
  });

  it("hides another tenant's booking from every booking endpoint (404) and changes nothing", async () => {
    const before = await snapshotOfWrites();
    const bookingRoutes = routes.filter((r) => r.url.startsWith('/api/bookings/:id') && (r.access as readonly Role[]).includes('tenant_user'));
    expect(bookingRoutes.length).toBeGreaterThanOrEqual(6);
    for (const route of bookingRoutes) {
      const body = route.url.endsWith('reschedule')
        ? { toolTypeId: 'afm', durationMin: 30, earliestStart: '2034-02-03T01:00:00Z', latestEnd: '2034-02-03T05:00:00Z' }
        : {};
      const response = await api.call(route.method as 'GET' | 'POST', urlOf(route, bookingId), { token: outsider.token, body });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(404);
      expect(await snapshotOfWrites(), `${route.method} ${route.url}`).toEqual(before);
    }
  });

  it('answers a bad body with 422 naming body fields, and writes nothing', async () => {
    const before = await snapshotOfWrites();
    const withBodies = routes.filter((r) => r.body && r.access !== 'public');
    expect(withBodies.length).toBeGreaterThanOrEqual(10);
    for (const route of withBodies) {
      const role = (route.access as readonly Role[])[0]!;
      const id = route.url.startsWith('/api/bookings/:id')
        ? bookingId
        : route.url.startsWith('/api/maintenance/plans')
          ? 'pm-none'
          : route.url.startsWith('/api/mail/')
            ? '1'
            : randomUUID();
      const response = await api.call('POST', route.url.replace(':id', id), {
        token: users[role].token,
        body: { requestId: 42, note: 42, reason: 42, notes: 42, durationMin: 'long', endsAt: 'soon', estimatedEnd: 7, passed: 'yes', paused: 'no', day: 'monday', leadDays: -1, maxOptions: 99 },
      });
      expect(response.statusCode, `${route.method} ${route.url}: ${response.body}`).toBe(422);
      const issues = response.json().issues as Array<{ field: string }>;
      expect(issues.length).toBeGreaterThan(0);
      expect(issues.every((i) => i.field.startsWith('body')), `${route.method} ${route.url}: ${response.body}`).toBe(true);
      expect(await snapshotOfWrites(), `${route.method} ${route.url}`).toEqual(before);
    }
  });

  it('refuses an unparseable JSON body with 422 and no stack trace', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/bookings',
      headers: { authorization: `Bearer ${users.tenant_user.token}`, 'content-type': 'application/json' },
      payload: '{"requestId": ',
    });
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).not.toMatch(/at .*\.(ts|js):\d+/);
  });
});
