import type { Db, Tx } from '../data/db.js';
import type { Month } from '../domain/month.js';
import type { AdjustmentView, StatementLine, StatementSummary, StatementView } from '../domain/statement.js';
import type { Statement, StatementAdjustment } from '../generated/prisma/client.js';

// Statements as the API, the CLI and the documents show them: with the tenant's name and the
// project's code, and in detail every line (from its booking's times) and adjustment.

export interface StatementFilter {
  from?: Month | undefined;
  to?: Month | undefined;
  tenantId?: string | undefined;
  state?: 'draft' | 'issued' | undefined;
}

export async function listStatements(db: Db | Tx, filter: StatementFilter): Promise<StatementSummary[]> {
  const rows = await db.statement.findMany({
    where: {
      tenantId: filter.tenantId,
      state: filter.state,
      month: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lte: filter.to } : {}) },
    },
    orderBy: [{ month: 'asc' }, { tenantId: 'asc' }, { currency: 'asc' }, { id: 'asc' }],
  });
  return summarise(db, rows);
}

export async function statementById(db: Db | Tx, id: string): Promise<StatementView | null> {
  const row = await db.statement.findUnique({ where: { id }, include: { adjustments: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } } });
  if (!row) return null;
  // A statement's lines: its tenant's, project's, month's and currency's (an issued month takes no new one).
  const lines = await db.usageLine.findMany({
    where: { tenantId: row.tenantId, projectId: row.projectId, month: row.month, currency: row.currency },
    include: { booking: { select: { startsAt: true, endsAt: true, checkedInAt: true, checkedOutAt: true } } },
    orderBy: [{ chargedAt: 'asc' }, { id: 'asc' }],
  });
  const [summary] = await summarise(db, [row]);
  return {
    ...summary!,
    lines: lines.map(
      (l): StatementLine => ({
        bookingId: l.bookingId,
        kind: l.kind,
        toolId: l.toolId,
        chargedAt: l.chargedAt.toISOString(),
        bookedFrom: l.booking.startsAt.toISOString(),
        bookedTo: l.booking.endsAt.toISOString(),
        checkedInAt: l.booking.checkedInAt?.toISOString() ?? null,
        checkedOutAt: l.booking.checkedOutAt?.toISOString() ?? null,
        minutes: l.minutes,
        rateCents: l.rateCents,
        chargePercent: l.chargePercent,
        loadWafers: l.loadWafers,
        runWafers: l.runWafers,
        amountCents: l.amountCents,
      }),
    ),
    adjustments: row.adjustments.map(adjustmentView),
  };
}

export function adjustmentView(a: StatementAdjustment): AdjustmentView {
  return {
    id: a.id,
    statementId: a.statementId,
    amountCents: a.amountCents,
    reason: a.reason,
    correctsStatementId: a.correctsStatementId,
    createdById: a.createdById,
    createdAt: a.createdAt.toISOString(),
  };
}

async function summarise(db: Db | Tx, rows: readonly Statement[]): Promise<StatementSummary[]> {
  const tenantIds = [...new Set(rows.map((r) => r.tenantId))];
  const projectIds = [...new Set(rows.flatMap((r) => (r.projectId ? [r.projectId] : [])))];
  const [tenants, projects] = await Promise.all([
    db.tenant.findMany({ where: { id: { in: tenantIds } }, select: { id: true, name: true } }),
    db.project.findMany({ where: { id: { in: projectIds } }, select: { id: true, code: true } }),
  ]);
  const tenantName = new Map(tenants.map((t) => [t.id, t.name]));
  const projectCode = new Map(projects.map((p) => [p.id, p.code]));
  return rows.map((r) => ({
    id: r.id,
    tenantId: r.tenantId,
    tenantName: tenantName.get(r.tenantId) ?? r.tenantId,
    projectId: r.projectId,
    projectCode: r.projectId ? (projectCode.get(r.projectId) ?? null) : null,
    month: r.month,
    currency: r.currency,
    state: r.state,
    usageCents: r.usageCents,
    adjustmentsCents: r.adjustmentsCents,
    totalCents: r.totalCents,
    lineCount: r.lineCount,
    draftedAt: r.draftedAt.toISOString(),
    issuedAt: r.issuedAt?.toISOString() ?? null,
    issuedById: r.issuedById,
  }));
}
