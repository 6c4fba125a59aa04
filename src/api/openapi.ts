import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { problemSchema, httpStatusOf } from './problem.js';
import type { RouteSpec } from './route.js';

type JsonSchema = Record<string, unknown>;

const componentPrefix = '#/components/schemas/';

/**
 * The document's named schemas: zod emits each schema with a `.meta({ id })` into the converted
 * schema's own `$defs`; here they are hoisted into `components.schemas` and every `$ref` points there,
 * so the one document resolves.
 */
class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};

  /** `schema` as JSON Schema whose named parts are references into the components. */
  of(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
    const { $schema: _dialect, $defs, ...root } = converted as JsonSchema & { $defs?: Record<string, JsonSchema> };
    const names = new Map<string, string>();
    // An input and an output form of one named schema may differ (defaults): the input one gets its own name.
    for (const [id, def] of Object.entries($defs ?? {})) {
      const taken = this.schemas[id];
      names.set(id, taken === undefined || isDeepStrictEqual(taken, def) || io === 'output' ? id : `${id}Input`);
    }
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (!value || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.entries(value).map(([key, v]) => {
          if (key === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')) {
            const id = v.slice('#/$defs/'.length);
            return [key, componentPrefix + (names.get(id) ?? id)];
          }
          return [key, rewrite(v)];
        }),
      );
    };
    for (const [id, def] of Object.entries($defs ?? {})) {
      const name = names.get(id)!;
      const hoisted = rewrite(def) as JsonSchema;
      const existing = this.schemas[name];
      if (existing !== undefined && !isDeepStrictEqual(existing, hoisted)) {
        throw new Error(`Two different schemas are both named ${name} (.meta({ id })) in the OpenAPI document`);
      }
      this.schemas[name] = hoisted;
    }
    return rewrite(root) as JsonSchema;
  }
}

/** Path and query parameters from an object schema, one entry per property. */
function parameters(components: SchemaComponents, schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const object = components.of(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

/** `POST /api/bookings/:id/check-in` → `postApiBookingsIdCheckIn`. */
function operationId(route: RouteSpec): string {
  const words = `${route.method} ${route.url}`.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
}

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: `${componentPrefix}Problem` } } },
});

/** Statuses every operation of this shape may answer, besides its own `errors`. */
function genericStatuses(route: RouteSpec): Map<number, string> {
  const statuses = new Map<number, string>();
  if (route.access !== 'public') {
    statuses.set(401, 'UNAUTHENTICATED: no, unknown or revoked bearer token');
    statuses.set(403, `FORBIDDEN: the caller's role is not one of ${(route.access as readonly string[]).join(', ')}, or the thing is not theirs`);
  }
  if (route.params || route.query || route.body) statuses.set(422, 'VALIDATION_FAILED: `issues` names each bad field');
  if (route.params) statuses.set(414, 'URI_TOO_LONG: a path segment over 100 characters');
  // Fastify reads a body sent to any method but GET, before the route runs: one the route does not
  // take is refused as any other (a form body on DELETE /api/setup-rules/{id} was an undocumented 415).
  if (route.body || route.method !== 'GET') {
    statuses.set(413, 'PAYLOAD_TOO_LARGE: the body is over the limit');
    statuses.set(415, 'UNSUPPORTED_MEDIA_TYPE: the body is not application/json');
  }
  return statuses;
}

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument(routes: readonly RouteSpec[], info: { version: string }): JsonSchema {
  const components = new SchemaComponents();
  components.of(problemSchema, 'output');
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const statuses = genericStatuses(route);
    for (const code of route.errors ?? []) {
      const status = httpStatusOf[code];
      statuses.set(status, statuses.has(status) ? `${statuses.get(status)}; ${code}` : code);
    }
    const responses: Record<string, JsonSchema> = {
      [String(route.status ?? 200)]: {
        description: 'Success',
        content: { [route.produces ?? 'application/json']: { schema: components.of(route.response, 'output') } },
      },
    };
    for (const [status, description] of Object.entries(route.bodiless ?? {})) responses[status] = { description };
    for (const [status, description] of [...statuses].sort(([a], [b]) => a - b)) {
      responses[String(status)] = problemResponse(description);
    }
    responses.default = problemResponse('Any other failure, e.g. 503 DEPENDENCY_UNAVAILABLE when the database or Temporal does not answer');
    const who = route.access === 'public' ? 'anyone, without a token' : (route.access as readonly string[]).join(', ');
    (paths[path] ??= {})[route.method.toLowerCase()] = {
      operationId: operationId(route),
      summary: route.summary,
      description: `Who: ${who}.`,
      tags: [route.tag],
      ...(route.access === 'public' ? { security: [] } : { 'x-roles': route.access }),
      parameters: [...parameters(components, route.params, 'path'), ...parameters(components, route.query, 'query')],
      ...(route.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: components.of(route.body, 'input') } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pilotline API',
      version: info.version,
      description:
        'Books the tools of a shared SiC/GaN pilot line. Errors are application/problem+json with a stable `code`; ' +
        'each operation names the roles it allows (`x-roles`).',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token (POST /api/tokens)' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'pilotline_session',
          description: 'The browser session (POST /api/auth/sign-in); changes also need its x-csrf-token header',
        },
      },
      schemas: components.schemas,
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
  };
}
