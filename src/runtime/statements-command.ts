import { z } from 'zod';
import { statementCsv } from '../billing/csv.js';
import { draftStatements } from '../billing/draft.js';
import { listStatements, statementById } from '../billing/read.js';
import type { Clock } from '../clock.js';
import type { Db } from '../data/db.js';
import { entityId } from '../domain/input.js';
import { monthOf, monthSchema } from '../domain/month.js';
import { invalidField, parseInput } from '../validation.js';

// pilotline statements --month YYYY-MM [--tenant ID] [--format json|csv] [--draft]

export const statementsUsage = `  statements --month M  the usage statements of a Hong Kong month (YYYY-MM), every tenant's
       [--tenant T]     only this tenant's
       [--format F]     json (default: every statement with its lines) or csv (one table)
       [--draft]        draft the month first (as the month-close Schedule does; issued ones stay)
`;

const flagsSchema = z.object({
  month: monthSchema,
  tenant: entityId().optional(),
  format: z.enum(['json', 'csv']).default('json'),
  draft: z.boolean().default(false),
});

/** The statements of the month as text for stdout. */
export async function runStatementsCommand(db: Db, clock: Clock, rawFlags: Record<string, unknown>): Promise<string> {
  const flags = parseInput(flagsSchema, rawFlags, 'flags');
  if (flags.tenant && !(await db.tenant.findUnique({ where: { id: flags.tenant }, select: { id: true } }))) {
    throw invalidField('flags.tenant', 'is not a tenant');
  }
  if (flags.draft) {
    const now = clock.now();
    if (flags.month > monthOf(now)) throw invalidField('flags.month', `is in the future (this is ${monthOf(now)})`);
    await draftStatements(db, { month: flags.month, tenantId: flags.tenant, now });
  }
  const summaries = await listStatements(db, { from: flags.month, to: flags.month, tenantId: flags.tenant });
  const statements = [];
  for (const s of summaries) statements.push((await statementById(db, s.id))!);
  if (flags.format === 'json') return `${JSON.stringify({ month: flags.month, statements }, null, 2)}\n`;
  // One table: the header once, then every statement's rows.
  return statements.map((s, i) => (i === 0 ? statementCsv(s) : statementCsv(s).split('\n').slice(1).join('\n'))).join('');
}
