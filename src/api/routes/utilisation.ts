import { z } from 'zod';
import { utilisationReport } from '../../data/utilisation-report.js';
import type { Actor } from '../../domain/actor.js';
import { roles } from '../../domain/roles.js';
import { utilisationQuerySchema, utilisationReportSchema, type UtilisationQuery } from '../../domain/utilisation.js';
import { PilotlineError } from '../../errors.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';
import { ownTenantOnly, tenantFilter } from '../tenant-scope.js';
import { utilisationCsv } from '../utilisation-csv.js';

// Utilisation of the line over a period, as JSON and as CSV. Everyone may ask; a tenant's people
// see the tools' figures (everyone's use, no names) and their own tenant's row, never another's.

export function utilisationRoutes(deps: ApiDeps) {
  const { db, clock } = deps;

  function report(actor: Actor, query: UtilisationQuery) {
    const onlyTenant = ownTenantOnly(actor);
    tenantFilter(actor, query.tenant);
    if (onlyTenant !== undefined && query.tenantClass !== undefined) {
      throw new PilotlineError('FORBIDDEN', 'You see only your own tenant, not a tenant class');
    }
    return utilisationReport(db, { query, now: clock.now(), onlyTenant });
  }

  return [
    defineRoute({
      method: 'GET',
      url: '/api/utilisation',
      summary: 'Utilisation over a period of Hong Kong days: available, booked, used and idle hours, no-shows, maintenance, wait from request to slot; per tool, tool type, tenant and tenant class',
      tag: 'reports',
      access: roles,
      query: utilisationQuerySchema,
      response: utilisationReportSchema,
      errors: ['FORBIDDEN'],
      handler: ({ actor, query }) => report(actor, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/utilisation.csv',
      summary: 'The same report as CSV: one row per tool type, tool, tenant class and tenant, and the whole line',
      tag: 'reports',
      access: roles,
      query: utilisationQuerySchema,
      response: z.string().describe('text/csv with a header row'),
      produces: 'text/csv',
      errors: ['FORBIDDEN'],
      async handler({ actor, query, reply }) {
        const csv = utilisationCsv(await report(actor, query));
        reply.header('content-disposition', `attachment; filename="utilisation-${query.from}-to-${query.to}.csv"`);
        return csv;
      },
    }),
  ];
}
