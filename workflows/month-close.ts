// Started by the monthly Temporal Schedule (src/schedules/month-close.ts) just after a Hong Kong
// month ends: drafts every tenant's statements of that month for a lab manager to review and
// issue. Running it again re-drafts the drafts and never touches an issued statement.
import { proxyActivities } from '@temporalio/workflow';
import type { StatementActivities } from '../activities/index.js';
import { monthCloseInputSchema, type MonthCloseInput, type MonthCloseReport } from '../src/domain/statement.js';
import { parseMessage } from './validate.js';

const { closeMonth } = proxyActivities<StatementActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: ['VALIDATION_FAILED'] },
});

export async function monthCloseWorkflow(rawInput: MonthCloseInput = {}): Promise<MonthCloseReport> {
  const input = parseMessage(monthCloseInputSchema, rawInput ?? {}, 'input');
  return closeMonth(input);
}
