import type { Client } from '@temporalio/client';
import type { roundOpeningWorkflow } from '../../workflows/round-opening.js';
import { roundScheduleId } from '../domain/ids.js';
import type { RoundOpeningInput } from '../domain/round.js';

// Allocation rounds open on a Temporal Schedule: every Monday 00:00 Hong Kong (Sunday 16:00 UTC) a
// firing opens the round for the week two Mondays on; each round closes and lapses on its own timers.

/** Creates the weekly Schedule unless it exists (lab managers may have paused it); true when created now. */
export async function ensureRoundSchedule(
  client: Client,
  options: { taskQueue: string; scheduleId?: string; opening?: RoundOpeningInput },
): Promise<boolean> {
  try {
    await client.schedule.create<typeof roundOpeningWorkflow>({
      scheduleId: options.scheduleId ?? roundScheduleId,
      spec: { calendars: [{ dayOfWeek: 'SUNDAY', hour: 16, minute: 0, comment: 'Monday 00:00 Hong Kong' }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'roundOpeningWorkflow',
        args: [options.opening ?? { weeksAhead: 2 }],
        taskQueue: options.taskQueue,
      },
    });
    return true;
  } catch (err) {
    if (err instanceof Error && /already (exists|registered|running)/i.test(err.message)) return false;
    throw err;
  }
}
