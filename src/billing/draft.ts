import type { Db, Tx } from '../data/db.js';
import { recordChange } from '../data/records.js';
import type { Actor } from '../domain/actor.js';
import type { Month } from '../domain/month.js';
import { lockStatements } from './lock.js';

export interface DraftOutcome {
  month: Month;
  /** Draft statements of the month after drafting (issued ones are left as they were). */
  statements: number;
  /** Usage lines on them. */
  lines: number;
}

/**
 * Drafts the month's statements, every tenant's or one's, in one set-based pass: the month's usage
 * lines summed per tenant, project and currency into the draft of each (made where missing), then
 * each draft's adjustments summed again. Idempotent: a second run writes the same totals; an issued
 * statement is never touched (a line never joins an issued month: its trigger moves it on).
 */
export async function draftStatements(
  db: Db,
  input: { month: Month; tenantId?: string | undefined; now: Date; actor?: Actor | undefined },
): Promise<DraftOutcome> {
  return db.$transaction((tx) => draftInTransaction(tx, input), { timeout: 120_000 });
}

async function draftInTransaction(
  tx: Tx,
  input: { month: Month; tenantId?: string | undefined; now: Date; actor?: Actor | undefined },
): Promise<DraftOutcome> {
  const { month, now } = input;
  const tenant = input.tenantId ?? null;
  await lockStatements(tx);
  await tx.$executeRaw`
    INSERT INTO "statements" ("id", "tenant_id", "project_id", "month", "currency", "usage_cents", "line_count", "total_cents", "drafted_at")
    SELECT gen_random_uuid(), l."tenant_id", l."project_id", l."month", l."currency", SUM(l."amount_cents")::int, COUNT(*)::int, SUM(l."amount_cents")::int, ${now}
    FROM "usage_lines" l
    WHERE l."month" = ${month} AND (${tenant}::text IS NULL OR l."tenant_id" = ${tenant})
    GROUP BY l."tenant_id", l."project_id", l."month", l."currency"
    ON CONFLICT ("tenant_id", "project_id", "month", "currency") DO UPDATE SET
      "usage_cents" = EXCLUDED."usage_cents", "line_count" = EXCLUDED."line_count",
      "total_cents" = EXCLUDED."usage_cents" + "statements"."adjustments_cents", "drafted_at" = EXCLUDED."drafted_at"
    WHERE "statements"."state" = 'draft'`;
  // The adjustments as they stand, so a draft's total is always its lines plus its adjustments.
  await tx.$executeRaw`
    UPDATE "statements" s SET "adjustments_cents" = a."sum", "total_cents" = s."usage_cents" + a."sum"
    FROM (
      SELECT d."id", COALESCE(SUM(j."amount_cents"), 0)::int AS "sum"
      FROM "statements" d LEFT JOIN "statement_adjustments" j ON j."statement_id" = d."id"
      WHERE d."month" = ${month} AND d."state" = 'draft' AND (${tenant}::text IS NULL OR d."tenant_id" = ${tenant})
      GROUP BY d."id"
    ) a
    WHERE s."id" = a."id" AND s."adjustments_cents" <> a."sum"`;
  const drafts = await tx.statement.aggregate({
    where: { month, state: 'draft', ...(tenant ? { tenantId: tenant } : {}) },
    _count: true,
    _sum: { lineCount: true },
  });
  await recordChange(tx, {
    actor: input.actor,
    action: 'statements.drafted',
    entityType: 'statement-month',
    entityId: tenant ? `${month}/${tenant}` : month,
    data: { month, tenantId: tenant, drafts: drafts._count, lines: drafts._sum.lineCount ?? 0 },
  });
  return { month, statements: drafts._count, lines: drafts._sum.lineCount ?? 0 };
}
