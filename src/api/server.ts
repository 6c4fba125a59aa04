import cookie from '@fastify/cookie';
import csrfProtection from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { authSettings, secureCookies, type AuthSettings } from '../accounts/settings.js';
import { TokenHolderCache } from '../accounts/token-holders.js';
import { PilotlineError } from '../errors.js';
import type { ApiDeps } from './deps.js';
import { buildOpenApiDocument } from './openapi.js';
import { methodsByPath } from './methods.js';
import { problemErrorHandler, sendProblem } from './problem.js';
import { defineRoute, registerRoutes, type RouteSpec } from './route.js';
import { approvalRoutes } from './routes/approvals.js';
import { authRoutes } from './routes/auth.js';
import { bookingOptionRoutes } from './routes/booking-options.js';
import { bookingReadRoutes } from './routes/booking-reads.js';
import { bookingRoutes } from './routes/bookings.js';
import { calendarFeedRoutes } from './routes/calendar-feeds.js';
import { healthRoutes } from './routes/health.js';
import { inboxRoutes } from './routes/inbox.js';
import { lotRoutes } from './routes/lots.js';
import { mailRoutes } from './routes/mail.js';
import { maintenancePlanRoutes } from './routes/maintenance-plans.js';
import { maintenanceRoutes } from './routes/maintenance.js';
import { meRoutes } from './routes/me.js';
import { oidcRoutes } from './routes/oidc.js';
import { placementRoutes } from './routes/placements.js';
import { roundRoutes } from './routes/rounds.js';
import { profileRoutes } from './routes/profile.js';
import { routeTemplateRoutes } from './routes/route-templates.js';
import { scheduleRoutes } from './routes/schedule.js';
import { tokenRoutes } from './routes/tokens.js';
import { toolRoutes } from './routes/tools.js';
import { waitListRoutes } from './routes/wait-list.js';
import { attentionRoutes } from './routes/attention.js';
import { auditRoutes } from './routes/audit.js';
import { peopleRoutes } from './routes/people.js';
import { policyRoutes } from './routes/policies.js';
import { projectRoutes } from './routes/projects.js';
import { qualificationRoutes } from './routes/qualifications.js';
import { rateRoutes } from './routes/rates.js';
import { tenantRoutes } from './routes/tenants.js';
import { toolCatalogueRoutes } from './routes/tool-catalogue.js';
import { trainingRoutes } from './routes/training.js';
import { utilisationRoutes } from './routes/utilisation.js';
// usage statements (issue 14)
import { statementRoutes } from './routes/statements.js';
import { registerWebUi } from '../web/register.js';

export interface ApiServerOptions {
  logLevel?: string;
  /** Where the log goes (default stdout): tests read it to check no secret reaches it. */
  logStream?: { write(line: string): void };
  version?: string;
  auth?: AuthSettings;
}

/** A calendar feed's URL is its secret: the log shows only that one was asked for. */
function loggedUrl(url: string): string {
  return url.replace(/\/calendar\/[^/?#]+/, '/calendar/***');
}

export function apiRoutes(deps: ApiDeps, auth: AuthSettings = authSettings()): RouteSpec[] {
  return [
    ...healthRoutes(deps),
    ...authRoutes(deps, auth),
    ...oidcRoutes(deps, auth),
    ...profileRoutes(deps),
    ...tokenRoutes(deps),
    ...toolRoutes(deps),
    ...placementRoutes(deps),
    ...bookingOptionRoutes(deps),
    ...bookingReadRoutes(deps),
    ...bookingRoutes(deps),
    ...approvalRoutes(deps),
    ...scheduleRoutes(deps),
    ...meRoutes(deps),
    ...maintenancePlanRoutes(deps),
    ...maintenanceRoutes(deps),
    ...lotRoutes(deps),
    ...roundRoutes(deps),
    ...waitListRoutes(deps),
    ...attentionRoutes(deps),
    ...tenantRoutes(deps),
    ...projectRoutes(deps),
    ...peopleRoutes(deps),
    ...qualificationRoutes(deps),
    ...trainingRoutes(deps),
    ...toolCatalogueRoutes(deps),
    ...policyRoutes(deps),
    ...rateRoutes(deps),
    ...auditRoutes(deps),
    ...routeTemplateRoutes(deps),
    ...mailRoutes(deps),
    ...calendarFeedRoutes(deps),
    ...utilisationRoutes(deps),
    ...inboxRoutes(deps),
    // usage statements (issue 14)
    ...statementRoutes(deps),
  ];
}

/** The HTTP API: routes, OpenAPI at /openapi.json, every error as application/problem+json. */
export function buildApiServer(given: ApiDeps, options: ApiServerOptions = {}): FastifyInstance {
  const auth = options.auth ?? authSettings();
  // One token cache for the routes that authenticate and the one that revokes.
  const deps: ApiDeps = { ...given, tokenHolders: given.tokenHolders ?? new TokenHolderCache(auth.tokenCacheMs) };
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'info',
      // Tokens, cookies and feed URLs never reach the log.
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      serializers: {
        req: (req: { method: string; url: string; hostname?: string; ip?: string }) => ({ method: req.method, url: loggedUrl(req.url), hostname: req.hostname, remoteAddress: req.ip }),
      },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: 256 * 1024,
    // A too long path segment or a badly encoded URL is answered in our shape too.
    frameworkErrors: problemErrorHandler,
  });
  app.decorateRequest('session', null);
  app.register(cookie);
  // The session's CSRF secret lives in its row (src/accounts/sessions.ts), read as request.session.
  app.register(csrfProtection, {
    sessionPlugin: '@fastify/session',
    sessionKey: 'csrfSecret',
    getToken: (request) => request.headers['x-csrf-token'] as string | undefined,
  });
  app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new PilotlineError('RATE_LIMITED', `Too many attempts; try again in ${context.after}`),
  });
  app.register(helmet, {
    // The UI loads only its own script, style and the API; nothing leaves for another origin.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    // Only where people reach Pilotline over https: a browser would otherwise pin plain http.
    strictTransportSecurity: secureCookies(auth),
  });
  app.setErrorHandler(problemErrorHandler);
  const methods = methodsByPath();
  app.addHook('onRoute', (route) => methods.add(route.url, route.method));
  app.setNotFoundHandler((request, reply) => {
    const allowed = methods.of(request.url);
    if (!allowed.length) return sendProblem(reply, new PilotlineError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`));
    reply.header('allow', allowed.join(', '));
    return sendProblem(reply, new PilotlineError('METHOD_NOT_ALLOWED', `${request.method} is not allowed here; use ${allowed.join(', ')}`));
  });

  const routes = apiRoutes(deps, auth);
  const document = buildOpenApiDocument(
    [
      ...routes,
      defineRoute({
        method: 'GET',
        url: '/openapi.json',
        summary: 'This document',
        tag: 'meta',
        access: 'public',
        response: z.record(z.string(), z.unknown()),
        handler: () => ({}),
      }),
    ],
    { version: options.version ?? '0.0.0' },
  );
  // After the plugins: rate limits and CSRF attach to routes as they are added.
  app.register(async (scope) => {
    registerRoutes(scope, deps, routes, auth);
    scope.get('/openapi.json', async () => document);
    registerWebUi(scope);
  });
  return app;
}

/**
 * A worker node's HTTP: /healthz alone, in the API's shape (problem+json errors), so a worker is
 * watched like an API node.
 */
export function buildHealthServer(deps: ApiDeps, options: Pick<ApiServerOptions, 'logLevel' | 'logStream'> = {}): FastifyInstance {
  const app = Fastify({
    logger: { level: options.logLevel ?? 'info', ...(options.logStream ? { stream: options.logStream } : {}) },
    frameworkErrors: problemErrorHandler,
  });
  app.setErrorHandler(problemErrorHandler);
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new PilotlineError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}: a worker node serves /healthz only`)),
  );
  app.register(async (scope) => registerRoutes(scope, deps, healthRoutes(deps), authSettings()));
  return app;
}

