import type { Client } from '@temporalio/client';
import type { Db } from '../data/db.js';
import { ensurePlansScheduled } from '../maintenance/pm-reconcile.js';

export interface PmReconcileReport {
  plans: number;
  /** Schedules created now (one per plan × tool that had none). */
  created: number;
}

/**
 * At every start, every preventive-maintenance plan in the database is put on its Temporal
 * Schedules (idempotent): the seed's plans are live from the first start, and again after Temporal
 * lost its state; Schedules ops changed are left alone.
 */
export async function reconcilePmSchedules(
  db: Db,
  client: Client,
  options: { taskQueue: string },
): Promise<PmReconcileReport> {
  const plans = await db.maintenancePlan.findMany({ orderBy: { id: 'asc' } });
  const withTools = await Promise.all(
    plans.map(async (plan) => {
      const tools = await db.tool.findMany({
        where: plan.toolId ? { id: plan.toolId } : { toolTypeId: plan.toolTypeId ?? '' },
        select: { id: true },
        orderBy: { id: 'asc' },
      });
      return { plan, tools: tools.map((t) => ({ toolId: t.id })) };
    }),
  );
  const created = await ensurePlansScheduled(client, withTools, options);
  for (const plan of plans.filter((p) => !p.scheduleId)) {
    await db.maintenancePlan.update({ where: { id: plan.id }, data: { scheduleId: `pm-${plan.id}` } });
  }
  return { plans: plans.length, created };
}
