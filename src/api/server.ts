import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PilotlineError } from '../errors.js';
import type { ApiDeps } from './deps.js';
import { buildOpenApiDocument } from './openapi.js';
import { methodsByPath } from './methods.js';
import { problemErrorHandler, sendProblem } from './problem.js';
import { defineRoute, registerRoutes, type RouteSpec } from './route.js';
import { bookingRoutes } from './routes/bookings.js';
import { healthRoutes } from './routes/health.js';
import { lotRoutes } from './routes/lots.js';
import { maintenancePlanRoutes } from './routes/maintenance-plans.js';
import { maintenanceRoutes } from './routes/maintenance.js';
import { meRoutes } from './routes/me.js';
import { placementRoutes } from './routes/placements.js';
import { scheduleRoutes } from './routes/schedule.js';
import { toolRoutes } from './routes/tools.js';
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
import { registerWebUi } from '../web/register.js';

export interface ApiServerOptions {
  logLevel?: string;
  version?: string;
}

export function apiRoutes(deps: ApiDeps): RouteSpec[] {
  return [
    ...healthRoutes(deps),
    ...toolRoutes(deps),
    ...placementRoutes(deps),
    ...bookingRoutes(deps),
    ...scheduleRoutes(deps),
    ...meRoutes(deps),
    ...maintenancePlanRoutes(deps),
    ...maintenanceRoutes(deps),
    ...lotRoutes(deps),
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
  ];
}

/** The HTTP API: routes, OpenAPI at /openapi.json, every error as application/problem+json. */
export function buildApiServer(deps: ApiDeps, options: ApiServerOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'info',
      // Tokens and cookies never reach the log.
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
    bodyLimit: 256 * 1024,
    // A too long path segment or a badly encoded URL is answered in our shape too.
    frameworkErrors: problemErrorHandler,
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

  const routes = apiRoutes(deps);
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
  registerRoutes(app, deps, routes);
  app.get('/openapi.json', async () => document);
  registerWebUi(app);
  return app;
}
