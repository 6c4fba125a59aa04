import { z } from 'zod';
import { adjustStatement, correctIssuedStatement, issueStatement } from '../../billing/adjust.js';
import { statementCsv } from '../../billing/csv.js';
import { draftStatements } from '../../billing/draft.js';
import { statementPdf } from '../../billing/pdf.js';
import { listStatements, statementById } from '../../billing/read.js';
import { monthOf, monthsBetween } from '../../domain/month.js';
import { statementManagerRoles, statementReaderRoles } from '../../domain/roles.js';
import {
  adjustmentViewSchema,
  draftReportSchema,
  draftRequestSchema,
  newAdjustmentSchema,
  statementListQuerySchema,
  statementSummarySchema,
  statementViewSchema,
  type StatementView,
} from '../../domain/statement.js';
import type { Actor } from '../../domain/actor.js';
import { PilotlineError } from '../../errors.js';
import { invalidField } from '../../validation.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';
import { requireTenantAccess, tenantFilter } from '../tenant-scope.js';

const idParams = z.object({ id: z.uuid({ message: 'must be a statement id (a UUID)' }) });
/** Drafting more than two years at once is a typo. */
const maxDraftMonths = 24;

/**
 * Usage statements per tenant, project and Hong Kong month: lab managers draft (the month-close
 * Schedule does it too), adjust, correct and issue; a tenant's people read their own tenant's.
 */
export function statementRoutes(deps: ApiDeps) {
  const { db, clock } = deps;

  async function visibleStatement(actor: Actor, id: string): Promise<StatementView> {
    const statement = await statementById(db, id);
    if (!statement) throw new PilotlineError('NOT_FOUND', 'No statement');
    requireTenantAccess(actor, statement.tenantId, 'statement');
    return statement;
  }

  async function requireTenant(field: string, tenantId: string | undefined): Promise<void> {
    if (tenantId !== undefined && !(await db.tenant.findUnique({ where: { id: tenantId }, select: { id: true } }))) {
      throw invalidField(field, 'is not a tenant');
    }
  }

  const fileName = (s: StatementView, ext: string) => `statement-${s.month}-${s.tenantId}${s.projectCode ? `-${s.projectCode}` : ''}.${ext}`.replace(/[^\w.-]/g, '_');

  return [
    defineRoute({
      method: 'GET',
      url: '/api/statements',
      summary: "Usage statements by month (a tenant's people see only their own tenant's; lab managers every tenant's)",
      tag: 'statements',
      access: statementReaderRoles,
      query: statementListQuerySchema,
      response: z.object({ statements: z.array(statementSummarySchema) }),
      errors: ['FORBIDDEN'],
      async handler({ actor, query }) {
        const tenantId = tenantFilter(actor, query.tenantId);
        await requireTenant('query.tenantId', tenantId);
        return { statements: await listStatements(db, { ...query, tenantId }) };
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/statements/:id',
      summary: 'One statement with its lines (each charge with its times, rate, share and rounded amount) and adjustments',
      tag: 'statements',
      access: statementReaderRoles,
      params: idParams,
      response: statementViewSchema,
      errors: ['NOT_FOUND'],
      handler: ({ actor, params }) => visibleStatement(actor, params.id),
    }),

    defineRoute({
      method: 'GET',
      url: '/api/statements/:id/csv',
      summary: 'The statement as CSV: a row per line and adjustment, then the totals (minor units and decimals)',
      tag: 'statements',
      access: statementReaderRoles,
      params: idParams,
      response: z.string().describe('text/csv (RFC 4180), UTF-8, with a header row'),
      produces: 'text/csv',
      errors: ['NOT_FOUND'],
      async handler({ actor, params, reply }) {
        const statement = await visibleStatement(actor, params.id);
        reply.header('content-disposition', `attachment; filename="${fileName(statement, 'csv')}"`);
        return statementCsv(statement);
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/statements/:id/pdf',
      summary: 'The statement as a printable A4 PDF',
      tag: 'statements',
      access: statementReaderRoles,
      params: idParams,
      response: z.string().meta({ format: 'binary' }).describe('application/pdf'),
      produces: 'application/pdf',
      errors: ['NOT_FOUND'],
      async handler({ actor, params, reply }) {
        const statement = await visibleStatement(actor, params.id);
        reply.header('content-disposition', `inline; filename="${fileName(statement, 'pdf')}"`);
        return (await statementPdf(statement)) as unknown as string;
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/statements/drafts',
      summary:
        'Draft the statements of a month or a run of months (every tenant, or one): lines not yet on a statement go onto its draft and every draft is summed again; issued statements are left alone. Not for a month in the future.',
      tag: 'statements',
      access: statementManagerRoles,
      body: draftRequestSchema,
      response: draftReportSchema,
      errors: ['VALIDATION_FAILED'],
      async handler({ actor, body }) {
        const now = clock.now();
        const to = body.to ?? body.from;
        if (to > monthOf(now)) throw invalidField(body.to ? 'body.to' : 'body.from', `is in the future (this is ${monthOf(now)})`);
        const months = monthsBetween(body.from, to);
        if (months.length > maxDraftMonths) throw invalidField('body.to', `at most ${maxDraftMonths} months at once`);
        await requireTenant('body.tenantId', body.tenantId);
        for (const month of months) await draftStatements(db, { month, tenantId: body.tenantId, now, actor });
        return { months, statements: await listStatements(db, { from: body.from, to, tenantId: body.tenantId, state: 'draft' }) };
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/statements/:id/adjustments',
      summary: 'Add a credit (negative) or a charge (positive) with its reason to a draft; an issued statement answers 409 STATEMENT_ISSUED',
      tag: 'statements',
      access: statementManagerRoles,
      params: idParams,
      body: newAdjustmentSchema,
      status: 201,
      response: adjustmentViewSchema,
      errors: ['NOT_FOUND', 'STATEMENT_ISSUED'],
      handler: ({ actor, params, body }) => adjustStatement(db, { statementId: params.id, adjustment: body, actor, now: clock.now() }),
    }),

    defineRoute({
      method: 'POST',
      url: '/api/statements/:id/corrections',
      summary:
        "Correct an issued statement: the credit or charge lands on the next month's draft (the first later month not issued) as an adjustment that refers to it",
      tag: 'statements',
      access: statementManagerRoles,
      params: idParams,
      body: newAdjustmentSchema,
      status: 201,
      response: z.object({ adjustment: adjustmentViewSchema, statement: statementViewSchema }),
      errors: ['NOT_FOUND', 'INVALID_STATE'],
      handler: ({ actor, params, body }) => correctIssuedStatement(db, { statementId: params.id, adjustment: body, actor, now: clock.now() }),
    }),

    defineRoute({
      method: 'POST',
      url: '/api/statements/:id/issue',
      summary: 'Issue a reviewed draft whose month has ended; from then on it never changes (409 STATEMENT_ISSUED)',
      tag: 'statements',
      access: statementManagerRoles,
      params: idParams,
      response: statementViewSchema,
      errors: ['NOT_FOUND', 'STATEMENT_ISSUED', 'INVALID_STATE'],
      handler: ({ actor, params }) => issueStatement(db, { statementId: params.id, actor, now: clock.now() }),
    }),
  ];
}
