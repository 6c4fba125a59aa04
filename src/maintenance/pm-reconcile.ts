import type { Client } from '@temporalio/client';
import type { Db } from '../data/db.js';
import { defaultPmLeadDays, ensurePmSchedules, setPmSchedulePaused } from './pm-schedules.js';

export interface PmReconcileReport {
  plans: number;
  /** Schedules created now (one per plan × tool that had none). */
  created: number;
}

/**
 * Puts every preventive-maintenance plan on its Temporal Schedules, at every start: a plan or a
 * tool without its Schedule gets one (paused if the plan is), an existing Schedule is left as ops
 * left it. So the seed's plans are live from the first start, and again after Temporal lost them.
 */
export async function reconcilePmSchedules(
  db: Db,
  client: Client,
  options: { taskQueue: string },
): Promise<PmReconcileReport> {
  const plans = await db.maintenancePlan.findMany({ orderBy: { id: 'asc' } });
  let created = 0;
  for (const plan of plans) {
    const tools = await db.tool.findMany({
      where: plan.toolId ? { id: plan.toolId } : { toolTypeId: plan.toolTypeId ?? '' },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    const made = await ensurePmSchedules(client, {
      plan,
      tools: tools.map((t) => ({ toolId: t.id })),
      taskQueue: options.taskQueue,
      leadDays: defaultPmLeadDays,
    });
    if (plan.paused) {
      for (const toolId of made)
        await setPmSchedulePaused(client, plan.id, toolId, true, 'paused with its plan');
    }
    if (!plan.scheduleId)
      await db.maintenancePlan.update({ where: { id: plan.id }, data: { scheduleId: `pm-${plan.id}` } });
    created += made.length;
  }
  return { plans: plans.length, created };
}
