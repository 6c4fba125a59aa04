import { randomUUID } from 'node:crypto';
import { dereference } from '@readme/openapi-parser';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteSpec } from '../../src/api/route.js';
import { apiRoutes } from '../../src/api/server.js';
import { roles, type Role } from '../../src/domain/roles.js';
import { nastyValue, spoiled, valueOf, type ArbitraryHints } from '../support/arbitraries.js';
import { aPolicy, aProject, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { startApiWorld, type ApiWorld } from '../support/world.js';

// Property: whatever arrives — a body of the documented shape or one spoiled with NULs, unpaired
// surrogates, extreme numbers, far dates, wrong types and extra fields, with any role's token or
// none — every operation answers below 500 and as its document says. Requests that would reach a
// workflow are capped per operation: most generated ones fail validation fast.

const now = new Date('2041-05-06T00:00:00Z');
// 80 each over ~77 operations: about the requests 120 each over the 39 of before issue 13 cost, in time.
const runsPerOperation = 80;
/** Requests per operation that pass validation and would start or update a workflow. */
const workflowCap = 4;

let world: ApiWorld;
const users = {} as Record<Role, TestUser> & { other: TestUser };
let operations: Array<{ method: string; template: string; operation: Operation; route: RouteSpec | undefined }>;
const ids = {
  booking: [] as string[],
  lot: [] as string[],
  maintenance: [] as string[],
  project: [] as string[],
  qualification: [] as string[],
  training: [] as string[],
  round: [] as string[],
  roundRequest: [] as string[],
};

interface Operation {
  parameters?: Array<{ name: string; in: 'path' | 'query'; schema: Record<string, unknown> }>;
  requestBody?: { content: { 'application/json': { schema: Record<string, unknown> } } };
  'x-roles'?: Role[];
}

// Schedules live on the shared dev server: a plan id of its own keeps this file's skips out of others'.
const planId = `pm-sem-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  world = await startApiWorld(now, async (db) => {
    await aTool(db, 'AFM-1', 'afm');
    await aTool(db, 'SEM-1', 'sem');
    await aTool(db, 'SEM-2', 'sem');
    await aPolicy(db, 'afm');
    await aPolicy(db, 'sem', { approvalRequired: true });
    await db.maintenancePlan.create({ data: { id: planId, toolTypeId: 'sem', everyDays: 30, durationMin: 240 } });
    users.tenant_user = await aUser(db, 'tess', 'uni-t', 'tenant_user', ['afm', 'sem']);
    users.other = await aUser(db, 'ulla', 'co-u', 'tenant_user', ['afm', 'sem']);
    users.lab_manager = await aUser(db, 'mona', 'institute', 'lab_manager');
    users.ops = await aUser(db, 'otto', 'institute', 'ops');
    users.admin = await aUser(db, 'ada', 'institute', 'admin');
    users.tenant_manager = await aUser(db, 'tim', 'uni-t', 'tenant_manager');
    ids.project.push((await aProject(db, 'uni-t', 'UNI-T-1', ['tess'])).id, (await aProject(db, 'co-u', 'CO-U-1', ['ulla'])).id);
    ids.qualification.push(...(await db.qualification.findMany({ select: { id: true } })).map((q) => q.id));
    ids.training.push((await db.trainingRequest.create({ data: { userId: 'tess', tenantId: 'uni-t', toolTypeId: 'afm' } })).id);
  });
  const { api } = world;
  const day = (d: number, h: number) => new Date(now.getTime() + d * 86_400_000 + h * 3_600_000).toISOString();
  for (const [user, type] of [[users.tenant_user, 'afm'], [users.other, 'sem'], [users.tenant_user, 'sem']] as const) {
    const booked = await api.call('POST', '/api/bookings', {
      token: user.token,
      body: { requestId: newRequestId(), toolTypeId: type, durationMin: 60, earliestStart: day(1, 1), latestEnd: day(1, 9), material: 'SiC', waferSize: 150 },
    });
    ids.booking.push(booked.json().booking.id);
  }
  const lot = await api.call('POST', '/api/lots', {
    token: users.tenant_user.token,
    body: {
      requestId: newRequestId(),
      name: 'fuzz lot',
      material: 'SiC',
      waferSize: 150,
      earliestStart: day(2, 0),
      latestEnd: day(3, 0),
      steps: [{ name: 'scan', toolTypeId: 'afm', durationMin: 30, maxLagToNextMin: 120 }, { name: 'image', toolTypeId: 'sem', durationMin: 30 }],
    },
  });
  ids.lot.push(lot.json().lot.id);
  const maintenance = await api.call('POST', '/api/maintenance', {
    token: users.ops.token,
    body: { requestId: newRequestId(), toolIds: ['AFM-1'], startsAt: day(1, 0), endsAt: day(1, 4), reason: 'tip change' },
  });
  ids.maintenance.push(maintenance.json().maintenance.id);
  const round = await api.call('POST', '/api/rounds', {
    token: users.lab_manager.token,
    body: { weekStart: '2041-05-20', closesAt: day(9, 0), approvalDeadline: day(10, 0), toolTypeIds: ['sem'] },
  });
  ids.round.push(round.json().id);
  const roundRequest = await api.call('POST', `/api/rounds/${round.json().id}/requests`, {
    token: users.tenant_user.token,
    body: { requestId: newRequestId(), toolTypeId: 'sem', durationMin: 60, earliestStart: '2041-05-21T00:00:00+08:00', latestEnd: '2041-05-22T00:00:00+08:00', material: 'SiC', waferSize: 150 },
  });
  ids.roundRequest.push(roundRequest.json().id);

  const document = (await api.call('GET', '/openapi.json')).json();
  const resolved = (await dereference(document)) as unknown as { paths: Record<string, Record<string, Operation>> };
  const routes = apiRoutes({ db: world.db, clock: world.clock, temporal: { client: world.temporal.client, namespace: 'default', taskQueue: world.worker!.taskQueue } });
  operations = Object.entries(resolved.paths).flatMap(([template, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      method: method.toUpperCase(),
      template,
      operation,
      route: routes.find((r) => r.method === method.toUpperCase() && r.url.replace(/:(\w+)/g, '{$1}') === template),
    })),
  );
}, 180_000);

afterAll(async () => {
  await world?.[Symbol.asyncDispose]();
});

const hints = (): ArbitraryHints => ({
  around: now,
  known: {
    toolTypeId: ['afm', 'sem'],
    toolIds: ['AFM-1', 'SEM-1', 'SEM-2'],
    toolId: ['AFM-1', 'SEM-1'],
    preferredToolId: ['SEM-2'],
    tool: ['AFM-1', 'SEM-1'],
    type: ['afm', 'sem'],
    tenant: ['uni-t', 'co-u'],
    area: ['test'],
    state: ['held', 'confirmed', 'proposed', 'held,confirmed'],
    mine: ['true', 'false'],
    userId: ['tess', 'ulla', 'tim'],
    tenantId: ['uni-t', 'co-u'],
    trainerId: ['mona', 'tess'],
    tenantClass: ['university', 'industry'],
    projectId: ids.project,
    memberIds: ['tess'],
  },
});

/** Path values: ids that exist, ids that do not, and strings no id should be. */
function pathValue(template: string, name: string): fc.Arbitrary<string> {
  const facility: Array<[string, readonly string[]]> = [
    ['/api/projects/{id}/members/{userId}', name === 'userId' ? ['tess', 'ulla'] : ids.project],
    ['/api/projects', ids.project],
    ['/api/qualifications', ids.qualification],
    ['/api/training-requests', ids.training],
    ['/api/tenants', ['uni-t', 'co-u']],
    ['/api/users', ['tess', 'ulla', 'tim']],
    ['/api/tool-types', ['afm', 'sem']],
    ['/api/policies', ['policy-afm', 'policy-sem']],
  ];
  const known = facility.find(([prefix]) => template.startsWith(prefix))?.[1];
  const existing =
    known?.length
      ? known
      : name === 'seq'
      ? ['1', '2', '3']
      : template.startsWith('/api/bookings')
        ? ids.booking
        : template.startsWith('/api/lots')
          ? ids.lot
          : template.startsWith('/api/maintenance/plans')
            ? [planId]
            : template.startsWith('/api/maintenance')
              ? ids.maintenance
              : ['AFM-1', 'SEM-1'];
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...existing) },
    { weight: 2, arbitrary: fc.constant(null).map(() => randomUUID()) },
    { weight: 2, arbitrary: nastyValue.map((v) => encodeURIComponent(typeof v === 'string' ? v.replace(/[\ud800-\udfff]/g, '') : JSON.stringify(v) ?? 'x').slice(0, 150) || 'x') },
  );
}

interface Generated {
  role: Role | 'other' | 'none';
  method: string;
  path: Record<string, string>;
  query: Record<string, unknown>;
  body: { json: unknown } | { raw: string; type: string } | undefined;
}

function requestOf(entry: (typeof operations)[number]): fc.Arbitrary<Generated> {
  const { operation, template } = entry;
  const allowed = operation['x-roles'] ?? [...roles];
  const role = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom<Role | 'other'>(...allowed, ...(allowed.includes('tenant_user') ? (['other'] as const) : [])) },
    { weight: 1, arbitrary: fc.constantFrom<Role | 'none'>(...roles, 'none') },
  );
  const pathParams = (operation.parameters ?? []).filter((p) => p.in === 'path');
  const queryParams = (operation.parameters ?? []).filter((p) => p.in === 'query');
  const path = fc.record(Object.fromEntries(pathParams.map((p) => [p.name, pathValue(template, p.name)])));
  const queryShape = fc.record(Object.fromEntries(queryParams.map((p) => [p.name, valueOf(p.schema, hints(), p.name)])), { requiredKeys: [] });
  const query: fc.Arbitrary<Record<string, unknown>> = queryParams.length
    ? fc.oneof({ weight: 2, arbitrary: queryShape }, { weight: 1, arbitrary: spoiled(queryShape) }).map((q) => (q && typeof q === 'object' ? (q as Record<string, unknown>) : {}))
    : fc.constant({});
  const schema = operation.requestBody?.content['application/json'].schema;
  const body: fc.Arbitrary<Generated['body']> = schema
    ? fc.oneof(
        { weight: 2, arbitrary: valueOf(schema, hints()).map((json) => ({ json })) },
        { weight: 5, arbitrary: spoiled(valueOf(schema, hints())).map((json) => ({ json })) },
        { weight: 1, arbitrary: nastyValue.map((json) => ({ json })) },
        { weight: 1, arbitrary: fc.constantFrom({ raw: '{"requestId": ', type: 'application/json' }, { raw: 'a=b', type: 'application/x-www-form-urlencoded' }, { raw: '<x/>', type: 'text/xml' }) },
      )
    : fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: nastyValue.map((json) => ({ json })) });
  const method = fc.oneof({ weight: 19, arbitrary: fc.constant(entry.method) }, { weight: 1, arbitrary: fc.constantFrom('PUT', 'PATCH', 'DELETE') });
  return fc.record({ role, method, path, query, body });
}

function urlOf(template: string, generated: Generated): string {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => generated.path[name] ?? 'x');
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(generated.query)) {
    if (value === undefined) continue;
    search.append(key, typeof value === 'string' ? value : JSON.stringify(value) ?? '');
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Whether the route's own schemas accept the request: it would reach the handler (and its workflow). */
function passesValidation(route: RouteSpec | undefined, generated: Generated): boolean {
  if (!route || !generated.body || !('json' in generated.body)) return route !== undefined && !route.body;
  const params = Object.fromEntries(Object.entries(generated.path).map(([k, v]) => [k, decodeURIComponent(v)]));
  return (
    (!route.params || route.params.safeParse(params).success) &&
    (!route.query || route.query.safeParse(generated.query).success) &&
    (!route.body || route.body.safeParse(generated.body.json ?? {}).success)
  );
}

const reachesWorkflows = (template: string, method: string) =>
  method === 'POST' &&
  /^\/api\/(bookings|lots|maintenance|tools\/\{id\}\/outage|maintenance\/plans|qualifications|training-requests\/\{id\}\/schedule|rounds|round-requests)/.test(template);

describe('every operation under generated input', () => {
  it('has the whole document to work through', () => {
    expect(operations.length).toBeGreaterThanOrEqual(70);
    expect(operations.filter((o) => o.route).length).toBe(operations.length - 1); // all but /openapi.json
  });

  it('answers thousands of generated requests below 500 and as documented', async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const entry of operations) {
      let reached = 0;
      await fc.assert(
        fc.asyncProperty(requestOf(entry), async (generated) => {
          if (entry.method === generated.method && reachesWorkflows(entry.template, entry.method) && passesValidation(entry.route, generated)) {
            if (reached >= workflowCap) return;
            reached++;
          }
          const url = urlOf(entry.template, generated);
          const token = generated.role === 'none' ? undefined : users[generated.role].token;
          const body = generated.body;
          const response = await world.api.send(generated.method as 'POST', url, {
            ...(token ? { token } : {}),
            ...(body === undefined
              ? {}
              : 'raw' in body
                ? { payload: body.raw, headers: { 'content-type': body.type } }
                : { payload: JSON.stringify(body.json) ?? 'null', headers: { 'content-type': 'application/json' } }),
          });
          sent++;
          const violations = world.api.contract.violations(generated.method, url, response);
          if (response.statusCode >= 500 || violations.length) {
            failures.push(`${generated.role} ${violations.join('; ') || `${generated.method} ${url} → ${response.statusCode}`} ${response.body.slice(0, 300)}`);
            throw new Error(failures.at(-1));
          }
        }),
        { numRuns: runsPerOperation, endOnFailure: true },
      ).catch((err: unknown) => {
        if (!failures.length) throw err;
      });
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(3_000);
  }, 240_000);
});
