import { ScheduleNotFoundError, type Client, type ScheduleDescription } from '@temporalio/client';
import { MONTHS } from '@temporalio/client';
import type { recurringMaintenanceWorkflow } from '../../workflows/recurring-maintenance.js';
import type { PmScheduleView, RecurringMaintenanceInput } from '../domain/maintenance.js';

// Recurring preventive maintenance through Temporal Schedules: one Schedule per plan × tool, firing
// every N days at 00:00 UTC (08:00 Hong Kong), the tools of a plan staggered a day apart so a
// family of tools is never all down at once. Each firing books the window `leadDays` ahead.

const dayMs = 86_400_000;

export interface PlanTool {
  toolId: string;
}

export interface PmPlan {
  id: string;
  everyDays: number;
  durationMin: number;
  requiresRequalification: boolean;
}

export function pmScheduleId(planId: string, toolId: string): string {
  return `pm-${planId}-${toolId}`;
}

/** How many days ahead a firing books its window, unless ops chose otherwise. */
export const defaultPmLeadDays = 14;

/**
 * Creates the plan's Schedules that do not exist yet; existing ones are left as they are.
 * Returns the tools whose Schedule was created now.
 */
export async function ensurePmSchedules(
  client: Client,
  options: { plan: PmPlan; tools: readonly PlanTool[]; taskQueue: string; leadDays: number },
): Promise<string[]> {
  const { plan, tools } = options;
  const created: string[] = [];
  for (const [index, { toolId }] of tools.entries()) {
    const args: RecurringMaintenanceInput = {
      planId: plan.id,
      toolId,
      everyDays: plan.everyDays,
      durationMin: plan.durationMin,
      requiresRequalification: plan.requiresRequalification,
      leadDays: options.leadDays,
    };
    try {
      await client.schedule.create<typeof recurringMaintenanceWorkflow>({
        scheduleId: pmScheduleId(plan.id, toolId),
        spec: { intervals: [{ every: plan.everyDays * dayMs, offset: (index % plan.everyDays) * dayMs }] },
        action: {
          type: 'startWorkflow',
          workflowType: 'recurringMaintenanceWorkflow',
          args: [args],
          taskQueue: options.taskQueue,
        },
        memo: { leadDays: options.leadDays },
      });
      created.push(toolId);
    } catch (err) {
      if (!(err instanceof Error && /already (exists|registered|running)/i.test(err.message))) throw err;
    }
  }
  return created;
}

function leadDaysOf(description: ScheduleDescription): number {
  const lead = (description.memo as { leadDays?: unknown } | undefined)?.leadDays;
  return typeof lead === 'number' ? lead : 0;
}

export async function describePmSchedule(client: Client, planId: string, toolId: string): Promise<PmScheduleView | null> {
  const scheduleId = pmScheduleId(planId, toolId);
  let description: ScheduleDescription;
  try {
    description = await client.schedule.getHandle(scheduleId).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return null;
    throw err;
  }
  const lead = leadDaysOf(description) * dayMs;
  return {
    scheduleId,
    toolId,
    paused: description.state.paused,
    note: description.state.note ?? null,
    nextWindows: description.info.nextActionTimes.map((t) => new Date(t.getTime() + lead).toISOString()),
    skippedDays: (description.spec.skip ?? []).map((c) => {
      const fired = Date.UTC(Number(first(c.year)), MONTHS.indexOf(String(first(c.month)) as (typeof MONTHS)[number]), Number(first(c.dayOfMonth)));
      return new Date(fired + lead).toISOString().slice(0, 10);
    }),
  };
}

function first(range: unknown): unknown {
  if (Array.isArray(range)) return first(range[0]);
  if (range && typeof range === 'object' && 'start' in range) return (range as { start: unknown }).start;
  return range;
}

export async function setPmSchedulePaused(client: Client, planId: string, toolId: string, paused: boolean, note: string): Promise<void> {
  const handle = client.schedule.getHandle(pmScheduleId(planId, toolId));
  if (paused) await handle.pause(note);
  else await handle.unpause(note);
}

/** Skips the occurrence whose maintenance window starts on `day` (YYYY-MM-DD). */
export async function skipPmOccurrence(client: Client, planId: string, toolId: string, day: string): Promise<void> {
  const handle = client.schedule.getHandle(pmScheduleId(planId, toolId));
  await handle.update((previous) => {
    const fires = new Date(Date.parse(`${day}T00:00:00Z`) - leadDaysOf(previous) * dayMs);
    const skip = {
      year: fires.getUTCFullYear(),
      month: MONTHS[fires.getUTCMonth()]!,
      dayOfMonth: fires.getUTCDate(),
      hour: 0,
      minute: 0,
      second: 0,
      comment: `skip maintenance on ${day}`,
    };
    return { ...previous, spec: { ...previous.spec, skip: [...(previous.spec.skip ?? []), skip] } } as never;
  });
}
