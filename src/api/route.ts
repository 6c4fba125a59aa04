import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Role } from '../domain/roles.js';
import type { ErrorCode } from '../errors.js';
import { parseInput } from '../validation.js';
import { authenticate, requireRole, type AuthenticatedActor } from './auth.js';
import type { ApiDeps } from './deps.js';

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  request: FastifyRequest;
  reply: FastifyReply;
}

/** One HTTP endpoint: its schemas are both the validation and the OpenAPI document. */
export interface RouteSpec<
  P extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  B extends Schema | undefined = Schema | undefined,
  R extends Schema = Schema,
  A extends 'public' | readonly Role[] = 'public' | readonly Role[],
> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  summary: string;
  tag: string;
  /** `public`, or the roles allowed. */
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** Success status (default 200). */
  status?: number;
  /** Error codes this endpoint may answer with, for the document. */
  errors?: readonly ErrorCode[];
  /** Content type of the success response (default application/json). */
  produces?: string;
  /** Answers without a body besides success and errors, e.g. `{ 304: 'Not modified…' }`, for the document. */
  bodiless?: Readonly<Record<number, string>>;
  handler(
    ctx: RouteContext<Out<P>, Out<Q>, Out<B>> & {
      actor: A extends 'public' ? undefined : AuthenticatedActor;
    },
  ): Promise<z.input<R>> | z.input<R>;
}

/** Identity helper that keeps each route's types precise. */
export function defineRoute<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
  R extends Schema,
  A extends 'public' | readonly Role[],
>(spec: RouteSpec<P, Q, B, R, A>): RouteSpec {
  return spec as unknown as RouteSpec;
}

/** Registers routes: authenticate → authorise by role → parse params, query, body → handler. */
export function registerRoutes(app: FastifyInstance, deps: ApiDeps, routes: readonly RouteSpec[]): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (request, reply) => {
        let actor: AuthenticatedActor | undefined;
        if (route.access !== 'public') {
          actor = await authenticate(deps.db, request.headers.authorization);
          requireRole(actor, route.access);
        }
        const params = route.params ? parseInput(route.params, request.params, 'params') : undefined;
        const query = route.query ? parseInput(route.query, request.query, 'query') : undefined;
        const body = route.body ? parseInput(route.body, request.body ?? {}, 'body') : undefined;
        const result = await route.handler({ params, query, body, request, reply, actor } as never);
        // A handler may have set its own status (e.g. 503 from /healthz).
        if (route.status && reply.statusCode === 200) reply.status(route.status);
        if (route.produces && reply.statusCode < 300) reply.type(route.produces);
        return result;
      },
    });
  }
}
