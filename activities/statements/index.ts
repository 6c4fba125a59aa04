import { draftStatements } from '../../src/billing/draft.js';
import { addMonths, monthOf } from '../../src/domain/month.js';
import { monthCloseInputSchema, type MonthCloseInput, type MonthCloseReport } from '../../src/domain/statement.js';
import { parseInput } from '../../src/validation.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';

/** Closing a month: its statements drafted for a lab manager to review and issue. */
export function createStatementActivities(deps: ActivityDeps) {
  return {
    /** Drafts every tenant's statements of the month (default: the Hong Kong month just ended); safe to run again. */
    async closeMonth(raw: MonthCloseInput): Promise<MonthCloseReport> {
      try {
        const input = parseInput(monthCloseInputSchema, raw ?? {}, 'input');
        const now = deps.clock.now();
        const month = input.month ?? addMonths(monthOf(now), -1);
        const outcome = await draftStatements(deps.db, { month, now });
        return { month, statements: outcome.statements, lines: outcome.lines };
      } catch (err) {
        throw asActivityFailure(err);
      }
    },
  };
}

export type StatementActivities = ReturnType<typeof createStatementActivities>;
