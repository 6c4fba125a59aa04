import type { Client } from '@temporalio/client';
import {
  defaultPmLeadDays,
  ensurePmSchedules,
  setPmSchedulePaused,
  type PlanTool,
  type PmPlan,
} from './pm-schedules.js';

export interface PlanOnTools {
  plan: PmPlan & { paused: boolean };
  tools: readonly PlanTool[];
}

/**
 * Puts each plan on its Temporal Schedules: a tool without its Schedule gets one (paused if the
 * plan is), an existing Schedule is left as ops left it. Returns how many were created now.
 */
export async function ensurePlansScheduled(
  client: Client,
  plans: readonly PlanOnTools[],
  options: { taskQueue: string },
): Promise<number> {
  let created = 0;
  for (const { plan, tools } of plans) {
    const made = await ensurePmSchedules(client, {
      plan,
      tools,
      taskQueue: options.taskQueue,
      leadDays: defaultPmLeadDays,
    });
    if (plan.paused) {
      for (const toolId of made)
        await setPmSchedulePaused(client, plan.id, toolId, true, 'paused with its plan');
    }
    created += made.length;
  }
  return created;
}
