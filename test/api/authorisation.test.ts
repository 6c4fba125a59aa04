import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import type { RouteSpec } from '../../src/api/route.js';
import { apiRoutes } from '../../src/api/server.js';
import { roles, type Role } from '../../src/domain/roles.js';
import { steerableClock } from '../support/clock.js';
import { databaseFingerprint } from '../support/db-fingerprint.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestApi, type Method, type TestApi } from '../support/api.js';
import { aPolicy, aProject, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { connectTestClient, startTestWorker, type TestClient, type TestWorker } from '../support/temporal.js';

// Every endpoint of the route table, checked mechanically: no token → 401; a role it does not allow
// → 403; another tenant's booking → 404; a bad body → 422 naming body fields, and nothing written.
// Role × tenant: a tenant's manager reaches nothing of another tenant's projects or people, and no
// answer to anyone holds a password hash, a token or a token's hash.

const clock = steerableClock();
let database: TestDatabase;
let worker: TestWorker;
let temporal: TestClient;
let api: TestApi;
let routes: RouteSpec[];
const users = {} as Record<Role, TestUser>;
let outsider: TestUser;
let bookingId: string;
let ownProjectId: string;
let otherProjectId: string;
let otherQualificationId: string;

beforeAll(async () => {
  clock.jumpTo(new Date('2034-02-01T00:00:00Z'));
  database = await createTestDatabase();
  const { db } = database;
  await aTool(db, 'AFM-1', 'afm');
  await aPolicy(db, 'afm');
  users.tenant_user = await aUser(db, 'tess', 'uni-a', 'tenant_user', ['afm'], { password: 'tess password 123' });
  users.lab_manager = await aUser(db, 'mia', 'institute', 'lab_manager', [], { password: 'mia password 123' });
  users.ops = await aUser(db, 'oz', 'institute', 'ops', [], { password: 'oz password 123' });
  users.admin = await aUser(db, 'ada', 'institute', 'admin', [], { password: 'ada password 123' });
  users.tenant_manager = await aUser(db, 'tim', 'uni-a', 'tenant_manager', [], { password: 'tim password 123' });
  outsider = await aUser(db, 'olga', 'co-x', 'tenant_user', ['afm'], { password: 'olga password 123' });
  ownProjectId = (await aProject(db, 'uni-a', 'UNI-A-1', ['tess'])).id;
  otherProjectId = (await aProject(db, 'co-x', 'CO-X-1', ['olga'])).id;
  otherQualificationId = (await db.qualification.findFirstOrThrow({ where: { userId: 'olga' } })).id;
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
          : route.url.startsWith('/api/rounds/:id')
            ? '2030-01-07'
            : route.url.startsWith('/api/mail/')
              ? '1'
              : randomUUID();
      const response = await api.call(route.method as Method, route.url.replace(':id', id), {
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

  it("keeps a tenant's manager out of another tenant's projects and people (404, or 403 for one named in the body), and writes nothing", async () => {
    const before = await snapshotOfWrites();
    const token = users.tenant_manager.token;
    const hidden: Array<[Method, string, unknown?]> = [
      ['GET', `/api/projects/${otherProjectId}`],
      ['PATCH', `/api/projects/${otherProjectId}`, { name: 'taken over' }],
      ['POST', `/api/projects/${otherProjectId}/members`, { userId: 'olga' }],
      ['DELETE', `/api/projects/${otherProjectId}/members/olga`],
      ['GET', '/api/users/olga'],
      ['PATCH', '/api/users/olga', { name: 'renamed' }],
      ['POST', '/api/users/olga/deactivate', {}],
      ['POST', '/api/users/olga/reactivate'],
      ['POST', '/api/users/olga/sign-in-link', {}],
      ['GET', '/api/tenants/co-x'],
      ['GET', `/api/qualifications/${otherQualificationId}`],
    ];
    for (const [method, url, body] of hidden) {
      const response = await api.call(method, url, { token, ...(body === undefined ? {} : { body }) });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
    const refused: Array<[Method, string, unknown]> = [
      ['POST', '/api/projects', { tenantId: 'co-x', code: 'MINE', name: 'mine', kind: 'grant' }],
      ['POST', '/api/users', { id: 'sneaky', tenantId: 'co-x', name: 'Sneaky', email: 'sneaky@example.org' }],
      ['GET', '/api/users?tenant=co-x', undefined],
      ['GET', '/api/projects?tenant=co-x', undefined],
    ];
    for (const [method, url, body] of refused) {
      const response = await api.call(method, url, { token, ...(body === undefined ? {} : { body }) });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
    // Their own tenant's: reachable.
    expect((await api.call('GET', `/api/projects/${ownProjectId}`, { token })).statusCode).toBe(200);
    expect((await api.call('GET', '/api/users/tess', { token })).statusCode).toBe(200);
    expect(await snapshotOfWrites()).toEqual(before);
  });

  it('never answers anyone with a password hash, a token or its hash, on any readable endpoint', async () => {
    const hashes = [
      ...(await database.db.apiToken.findMany({ select: { tokenHash: true } })).map((t) => t.tokenHash),
      ...(await database.db.user.findMany({ where: { passwordHash: { not: null } }, select: { passwordHash: true } })).map((u) => u.passwordHash!),
    ];
    expect(hashes.length).toBeGreaterThanOrEqual(6 + 6);
    const secrets = [...Object.values(users), outsider].map((user) => user.token);
    const ids: Record<string, string> = { bookings: bookingId, tenants: 'uni-a', users: 'tess', projects: ownProjectId, qualifications: otherQualificationId, tools: 'AFM-1' };
    let read = 0;
    for (const route of routes.filter((r) => r.method === 'GET' && r.access !== 'public')) {
      const resource = route.url.split('/')[2] ?? '';
      const url = route.url.replace(':id', ids[resource] ?? randomUUID());
      for (const role of roles) {
        const response = await api.call('GET', url, { token: users[role].token });
        for (const secret of [...secrets, ...hashes]) expect(response.body, `${role} ${url}`).not.toContain(secret);
        // `hasPassword` (my profile) says whether one is set; nothing says what it is.
        expect(response.body, `${role} ${url}`).not.toMatch(/password_?hash|token_?hash|\$argon2/i);
        read += response.statusCode === 200 ? 1 : 0;
      }
    }
    expect(read).toBeGreaterThan(40);
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
