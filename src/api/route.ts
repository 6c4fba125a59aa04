import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { z } from 'zod';
import { sessionCookieName, type AuthSettings } from '../accounts/settings.js';
import { TokenHolderCache } from '../accounts/token-holders.js';
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
  /** Guesses a password: limited per client address (AuthSettings.signInAttemptsPerMinute). */
  rateLimited?: boolean;
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

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Registers routes: authenticate (token or session) → CSRF check for a change made with the session
 * cookie → authorise by role → parse params, query, body → handler. Register after the cookie,
 * CSRF and rate-limit plugins: they act on routes as they are added.
 */
export function registerRoutes(app: FastifyInstance, deps: ApiDeps, routes: readonly RouteSpec[], auth: AuthSettings): void {
  const cookieName = sessionCookieName(auth);
  const tokenHolders = deps.tokenHolders ?? new TokenHolderCache(auth.tokenCacheMs);
  const actors = new WeakMap<FastifyRequest, AuthenticatedActor>();
  for (const route of routes) {
    const guards: onRequestHookHandler[] = [];
    if (route.access !== 'public') {
      const allowed = route.access;
      // Before the body is read: an unknown caller costs one lookup, not a parse.
      guards.push(async (request) => {
        actors.set(request, await authenticate(deps.db, deps.clock, request, cookieName, tokenHolders));
      });
      // Bearer-token calls need none: a browser never adds that header to a forged request.
      if (unsafeMethods.has(route.method)) {
        guards.push((request, reply, done) => (request.session ? app.csrfProtection(request, reply, done) : done()));
      }
      guards.push(async (request) => requireRole(actors.get(request)!, allowed));
    }
    app.route({
      method: route.method,
      url: route.url,
      ...(guards.length ? { onRequest: guards } : {}),
      ...(route.rateLimited ? { config: { rateLimit: { max: auth.signInAttemptsPerMinute, timeWindow: 60_000 } } } : {}),
      handler: async (request, reply) => {
        const actor = actors.get(request);
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
