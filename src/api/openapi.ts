import { z } from 'zod';
import { problemSchema, httpStatusOf } from './problem.js';
import type { RouteSpec } from './route.js';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
  return rest as JsonSchema;
}

/** Path and query parameters from an object schema, one entry per property. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument(routes: readonly RouteSpec[], info: { version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const errorStatuses = new Set<number>((route.errors ?? []).map((code) => httpStatusOf[code]));
    if (route.access !== 'public') {
      errorStatuses.add(401);
      errorStatuses.add(403);
    }
    if (route.params || route.query || route.body) errorStatuses.add(422);
    const responses: Record<string, JsonSchema> = {
      [String(route.status ?? 200)]: {
        description: 'Success',
        content: { [route.produces ?? 'application/json']: { schema: jsonSchema(route.response, 'output') } },
      },
    };
    for (const status of [...errorStatuses].sort()) {
      responses[String(status)] = {
        description: 'Problem',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
    }
    (paths[path] ??= {})[route.method.toLowerCase()] = {
      summary: route.summary,
      tags: [route.tag],
      ...(route.access === 'public' ? { security: [] } : { 'x-roles': route.access }),
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      ...(route.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pilotline API',
      version: info.version,
      description: 'Books the tools of a shared SiC/GaN pilot line. Errors are application/problem+json with a stable `code`.',
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
      schemas: { Problem: jsonSchema(problemSchema, 'output') },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
  };
}
