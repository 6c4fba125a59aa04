import type { Client } from '@temporalio/client';
import type { monthCloseWorkflow } from '../../workflows/month-close.js';
import { monthCloseScheduleId, type MonthCloseInput } from '../domain/statement.js';

// Each month closes on a Temporal Schedule: on the 1st at 00:30 Hong Kong time a firing drafts the
// statements of the month just ended (lab managers then review and issue them).

/** Creates the monthly Schedule unless it exists (a lab manager may have paused it); true when created now. */
export async function ensureMonthCloseSchedule(
  client: Client,
  options: { taskQueue: string; scheduleId?: string; input?: MonthCloseInput },
): Promise<boolean> {
  try {
    await client.schedule.create<typeof monthCloseWorkflow>({
      scheduleId: options.scheduleId ?? monthCloseScheduleId,
      spec: { calendars: [{ dayOfMonth: 1, hour: 0, minute: 30, comment: 'the 1st, 00:30 Hong Kong' }], timezone: 'Asia/Hong_Kong' },
      action: {
        type: 'startWorkflow',
        workflowType: 'monthCloseWorkflow',
        args: [options.input ?? {}],
        taskQueue: options.taskQueue,
      },
    });
    return true;
  } catch (err) {
    if (err instanceof Error && /already (exists|registered|running)/i.test(err.message)) return false;
    throw err;
  }
}
