import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/api/server.js';
import { startApiWorld, type ApiWorld } from '../support/world.js';

// The document clients generate code from: valid OpenAPI 3.1, one file whose every $ref resolves,
// every operation with its roles; and the answers the API gives match it (test/support/contract.ts).

let world: ApiWorld;
let document: Record<string, unknown>;

beforeAll(async () => {
  world = await startApiWorld(new Date('2037-01-01T00:00:00Z'), async () => undefined, { worker: false });
  document = (await world.api.call('GET', '/openapi.json')).json();
});

afterAll(async () => {
  await world?.[Symbol.asyncDispose]();
});

/** Every `$ref` in `value`, with where it stands. */
function refsIn(value: unknown, at = '#'): Array<{ at: string; ref: string }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => refsIn(v, `${at}/${i}`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === '$ref' && typeof v === 'string' ? [{ at, ref: v }] : refsIn(v, `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`),
  );
}

/** The value a local JSON pointer (`#/a/b`) points at in `root`, or undefined. */
function pointAt(root: unknown, pointer: string): unknown {
  if (!pointer.startsWith('#/')) return undefined;
  return pointer
    .slice(2)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, token) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[token] : undefined), root);
}

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document to a well-kept validator', async () => {
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors.map((e) => e.message)).toEqual([]);
    expect(document.openapi).toBe('3.1.0');
  });

  it('resolves every $ref inside the one document, into components/schemas', () => {
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(50);
    const dangling = refs.filter(({ ref }) => pointAt(document, ref) === undefined);
    expect(dangling).toEqual([]);
    expect(refs.every(({ ref }) => ref.startsWith('#/components/schemas/'))).toBe(true);
    const schemas = Object.keys((document.components as { schemas: object }).schemas);
    expect(schemas).toEqual(expect.arrayContaining(['Booking', 'Problem', 'Tool', 'Maintenance', 'MaintenanceImpact', 'Lot', 'Schedule']));
  });

  it('documents every route, each with its roles, an operation id and problem answers', () => {
    const routes = apiRoutes({ db: world.db, clock: world.clock, temporal: { client: world.temporal.client, namespace: 'default', taskQueue: 'unused' } });
    const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
    const ids = new Set<string>();
    for (const route of routes) {
      const operation = paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.url}`).toBeDefined();
      if (route.access !== 'public') {
        expect(operation!['x-roles']).toEqual(route.access);
        expect(operation!.description).toContain(`Who: ${(route.access as string[]).join(', ')}`);
        expect(Object.keys(operation!.responses as object)).toEqual(expect.arrayContaining(['401', '403']));
      }
      ids.add(operation!.operationId as string);
    }
    expect(ids.size).toBe(routes.length);
  });

  it("checks answers against the document: a body with a field its schema does not have is caught", () => {
    const violations = world.api.contract.violations('GET', '/api/me', {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'u', name: 'n', role: 'ops', tenant: { id: 't', name: 't', class: 'institute' }, extra: 1 }),
    });
    expect(violations.join()).toMatch(/additional properties/);
    const undocumented = world.api.contract.violations('GET', '/api/me', {
      statusCode: 409,
      headers: { 'content-type': 'application/problem+json' },
      body: JSON.stringify({ type: 'x', title: 'INVALID_STATE', status: 409, code: 'INVALID_STATE' }),
    });
    expect(undocumented.join()).toMatch(/status not documented/);
  });
});
