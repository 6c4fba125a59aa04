import type { Db, Tx } from '../data/db.js';
import { recordChange } from '../data/records.js';
import type { Actor } from '../domain/actor.js';
import { addMonths, monthBounds } from '../domain/month.js';
import type { AdjustmentView, NewAdjustment, StatementView } from '../domain/statement.js';
import type { Statement } from '../generated/prisma/client.js';
import { PilotlineError } from '../errors.js';
import { lockStatements } from './lock.js';
import { adjustmentView, statementById } from './read.js';

// A lab manager's changes to statements, each in one transaction with its audit entry: an
// adjustment on a draft, a correction of an issued statement (into a later draft), issuing.

/** How far ahead a correction looks for a month not issued yet. */
const correctionHorizonMonths = 24;

/** A credit or charge with its reason on a draft; an issued statement refuses it (409 STATEMENT_ISSUED). */
export async function adjustStatement(db: Db, input: { statementId: string; adjustment: NewAdjustment; actor: Actor; now: Date }): Promise<AdjustmentView> {
  return db.$transaction(async (tx) => {
    await lockStatements(tx);
    const statement = await statementOrFail(tx, input.statementId);
    if (statement.state === 'issued') {
      throw new PilotlineError('STATEMENT_ISSUED', `Statement ${statement.id} (${statement.month}) is issued and never changes; correct it with POST /api/statements/${statement.id}/corrections`);
    }
    return addAdjustment(tx, statement, input, null, 'statement.adjusted');
  });
}

/**
 * A correction of an issued statement: an adjustment on the draft of the first later month not
 * issued for the same tenant, project and currency (made if there is none), referring to it.
 */
export async function correctIssuedStatement(
  db: Db,
  input: { statementId: string; adjustment: NewAdjustment; actor: Actor; now: Date },
): Promise<{ adjustment: AdjustmentView; statement: StatementView }> {
  const adjustment = await db.$transaction(async (tx) => {
    await lockStatements(tx);
    const issued = await statementOrFail(tx, input.statementId);
    if (issued.state !== 'issued') {
      throw new PilotlineError('INVALID_STATE', `Statement ${issued.id} is a draft: adjust it with POST /api/statements/${issued.id}/adjustments`);
    }
    const target = await laterDraft(tx, issued, input.now);
    return addAdjustment(tx, target, input, issued.id, 'statement.corrected');
  });
  return { adjustment, statement: (await statementById(db, adjustment.statementId))! };
}

/** Issues a draft whose month has ended: from then on it never changes. */
export async function issueStatement(db: Db, input: { statementId: string; actor: Actor; now: Date }): Promise<StatementView> {
  await db.$transaction(async (tx) => {
    await lockStatements(tx);
    const statement = await statementOrFail(tx, input.statementId);
    if (statement.state === 'issued') throw new PilotlineError('STATEMENT_ISSUED', `Statement ${statement.id} (${statement.month}) was issued already`);
    if (input.now < monthBounds(statement.month).to) {
      throw new PilotlineError('INVALID_STATE', `${statement.month} has not ended yet: its statement is issued after the month closes`);
    }
    await tx.statement.update({ where: { id: statement.id, state: 'draft' }, data: { state: 'issued', issuedAt: input.now, issuedById: input.actor.userId } });
    await recordChange(tx, {
      actor: input.actor,
      action: 'statement.issued',
      entityType: 'statement',
      entityId: statement.id,
      data: { tenantId: statement.tenantId, projectId: statement.projectId, month: statement.month, currency: statement.currency, totalCents: statement.totalCents },
    });
  });
  return (await statementById(db, input.statementId))!;
}

async function statementOrFail(tx: Tx, id: string): Promise<Statement> {
  const statement = await tx.statement.findUnique({ where: { id } });
  if (!statement) throw new PilotlineError('NOT_FOUND', `No statement ${id}`);
  return statement;
}

async function laterDraft(tx: Tx, issued: Statement, now: Date): Promise<Statement> {
  for (let n = 1; n <= correctionHorizonMonths; n++) {
    const month = addMonths(issued.month, n);
    const key = { tenantId: issued.tenantId, projectId: issued.projectId, month, currency: issued.currency };
    const existing = await tx.statement.findFirst({ where: key });
    if (existing?.state === 'draft') return existing;
    if (!existing) return tx.statement.create({ data: { ...key, draftedAt: now } });
  }
  throw new PilotlineError('INVALID_STATE', `Every month of the next ${correctionHorizonMonths} after ${issued.month} is issued`);
}

async function addAdjustment(
  tx: Tx,
  statement: Statement,
  input: { adjustment: NewAdjustment; actor: Actor },
  correctsStatementId: string | null,
  action: string,
): Promise<AdjustmentView> {
  const { amountCents, reason } = input.adjustment;
  const created = await tx.statementAdjustment.create({
    data: { statementId: statement.id, amountCents, reason, correctsStatementId, createdById: input.actor.userId },
  });
  await tx.statement.update({
    where: { id: statement.id, state: 'draft' },
    data: { adjustmentsCents: { increment: amountCents }, totalCents: { increment: amountCents } },
  });
  await recordChange(tx, {
    actor: input.actor,
    action,
    entityType: 'statement',
    entityId: statement.id,
    data: { adjustmentId: created.id, amountCents, reason, month: statement.month, tenantId: statement.tenantId, ...(correctsStatementId ? { corrects: correctsStatementId } : {}) },
  });
  return adjustmentView(created);
}
