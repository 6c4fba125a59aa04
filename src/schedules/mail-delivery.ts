import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { mailDeliveryWorkflow } from '../../workflows/mail.js';

// The outbox is drained by a Temporal Schedule: every 30 s one `mailDeliveryWorkflow`, never two
// at once, and no burst of runs to catch up after an outage (the next run sends everything due).

export const mailDeliveryScheduleId = 'mail-delivery';
export const mailDeliveryEverySeconds = 30;

/** Creates the Schedule unless it exists (ops may have paused it: left as it is). Returns whether it was created. */
export async function ensureMailDeliverySchedule(
  client: Client,
  options: { taskQueue: string; scheduleId?: string; everySeconds?: number },
): Promise<boolean> {
  try {
    await client.schedule.create<typeof mailDeliveryWorkflow>({
      scheduleId: options.scheduleId ?? mailDeliveryScheduleId,
      spec: { intervals: [{ every: `${options.everySeconds ?? mailDeliveryEverySeconds} seconds` }] },
      action: { type: 'startWorkflow', workflowType: 'mailDeliveryWorkflow', args: [{}], taskQueue: options.taskQueue },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    });
    return true;
  } catch (err) {
    if (err instanceof Error && /already (exists|registered|running)/i.test(err.message)) return false;
    throw err;
  }
}
