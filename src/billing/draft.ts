import { Prisma } from '../generated/prisma/client.js';
import type { Db, Tx } from '../data/db.js';
import { recordChange } from '../data/records.js';
import type { Actor } from '../domain/actor.js';
import { monthBounds, type Month } from '../domain/month.js';
import { lockStatements } from './lock.js';

export interface DraftOutcome {
  month: Month;
  /** Draft statements of the month after drafting (issued ones are left as they were). */
  statements: number;
  /** Usage lines newly put on them. */
  attached: number;
}

/**
 * Drafts the month's statements, every tenant's or one's, in a few set-based statements: the
 * month's usage lines not yet on a statement (and lines that arrived after their own month was
 * issued) go onto the draft of their tenant, project and currency; each draft's totals are summed
 * again from its lines and adjustments; empty drafts go. Idempotent: a second run finds nothing new
 * and the same totals; issued statements are never touched.
 */
export async function draftStatements(
  db: Db,
  input: { month: Month; tenantId?: string | undefined; now: Date; actor?: Actor | undefined },
): Promise<DraftOutcome> {
  return db.$transaction((tx) => draftInTransaction(tx, input), { timeout: 120_000 });
}

export async function draftInTransaction(
  tx: Tx,
  input: { month: Month; tenantId?: string | undefined; now: Date; actor?: Actor | undefined },
): Promise<DraftOutcome> {
  const { month, now } = input;
  const tenant = input.tenantId ?? null;
  const { from, to } = monthBounds(month);
  await lockStatements(tx);
  // Lines for this month: unbilled ones dated in it, and unbilled ones whose own month was issued
  // before they were written (a check-out after the month was issued): they are carried in.
  const candidates = Prisma.sql`
    SELECT l."id", l."tenant_id", l."project_id", l."currency"
    FROM "usage_lines" l
    WHERE l."statement_id" IS NULL AND l."charged_at" < ${to}
      AND (${tenant}::text IS NULL OR l."tenant_id" = ${tenant})
      AND (l."charged_at" >= ${from} OR EXISTS (
        SELECT 1 FROM "statements" i
        WHERE i."state" = 'issued' AND i."tenant_id" = l."tenant_id" AND i."project_id" IS NOT DISTINCT FROM l."project_id"
          AND i."currency" = l."currency" AND i."month" = to_char((l."charged_at" AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM')))`;
  await tx.$executeRaw`
    INSERT INTO "statements" ("id", "tenant_id", "project_id", "month", "currency", "drafted_at")
    SELECT gen_random_uuid(), c."tenant_id", c."project_id", ${month}, c."currency", ${now}
    FROM (${candidates}) c
    GROUP BY c."tenant_id", c."project_id", c."currency"
    ON CONFLICT ("tenant_id", "project_id", "month", "currency") DO NOTHING`;
  const attached = await tx.$executeRaw`
    UPDATE "usage_lines" l SET "statement_id" = s."id"
    FROM (${candidates}) c
    JOIN "statements" s ON s."tenant_id" = c."tenant_id" AND s."project_id" IS NOT DISTINCT FROM c."project_id"
      AND s."currency" = c."currency" AND s."month" = ${month} AND s."state" = 'draft'
    WHERE l."id" = c."id"`;
  // Totals from what the draft holds: the sum of its rounded lines plus its adjustments.
  await tx.$executeRaw`
    UPDATE "statements" s SET
      "usage_cents" = t."usage", "line_count" = t."lines", "adjustments_cents" = t."adjustments",
      "total_cents" = t."usage" + t."adjustments", "drafted_at" = ${now}
    FROM (
      SELECT d."id",
        (SELECT COALESCE(SUM(l."amount_cents"), 0)::int FROM "usage_lines" l WHERE l."statement_id" = d."id") AS "usage",
        (SELECT COUNT(*)::int FROM "usage_lines" l WHERE l."statement_id" = d."id") AS "lines",
        (SELECT COALESCE(SUM(a."amount_cents"), 0)::int FROM "statement_adjustments" a WHERE a."statement_id" = d."id") AS "adjustments"
      FROM "statements" d
      WHERE d."month" = ${month} AND d."state" = 'draft' AND (${tenant}::text IS NULL OR d."tenant_id" = ${tenant})
    ) t
    WHERE s."id" = t."id"`;
  await tx.$executeRaw`
    DELETE FROM "statements" s
    WHERE s."month" = ${month} AND s."state" = 'draft' AND s."line_count" = 0
      AND (${tenant}::text IS NULL OR s."tenant_id" = ${tenant})
      AND NOT EXISTS (SELECT 1 FROM "statement_adjustments" a WHERE a."statement_id" = s."id")`;
  const statements = await tx.statement.count({ where: { month, state: 'draft', ...(tenant ? { tenantId: tenant } : {}) } });
  await recordChange(tx, {
    actor: input.actor,
    action: 'statements.drafted',
    entityType: 'statement-month',
    entityId: tenant ? `${month}/${tenant}` : month,
    data: { month, tenantId: tenant, drafts: statements, linesAttached: attached },
  });
  return { month, statements, attached };
}
