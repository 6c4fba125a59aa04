import { z } from 'zod';
import { maintenancePlanViewSchema, type PmScheduleView } from '../../domain/maintenance.js';
import { calendarDay, entityId, noteSchema } from '../../domain/input.js';
import { opsRoles, roles } from '../../domain/roles.js';
import { PilotlineError } from '../../errors.js';
import {
  describePmSchedule,
  ensurePmSchedules,
  setPmSchedulePaused,
  skipPmOccurrence,
} from '../../maintenance/pm-schedules.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';

const planParams = z.object({ id: entityId().describe('Plan id, e.g. pm-gan-mocvd') });

export function maintenancePlanRoutes(deps: ApiDeps) {
  const { client, taskQueue } = deps.temporal;

  async function loadPlan(id: string) {
    const plan = await deps.db.maintenancePlan.findUnique({ where: { id } });
    if (!plan) throw new PilotlineError('NOT_FOUND', `No maintenance plan ${id}`);
    const tools = await deps.db.tool.findMany({
      where: plan.toolId ? { id: plan.toolId } : { toolTypeId: plan.toolTypeId ?? '' },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    return { plan, tools: tools.map((t) => ({ toolId: t.id })) };
  }

  async function view(id: string) {
    const { plan, tools } = await loadPlan(id);
    const schedules: PmScheduleView[] = [];
    if (plan.scheduleId) {
      for (const { toolId } of tools) {
        const described = await describePmSchedule(client, plan.id, toolId);
        if (described) schedules.push(described);
      }
    }
    return {
      id: plan.id,
      toolTypeId: plan.toolTypeId,
      toolIds: tools.map((t) => t.toolId),
      everyDays: plan.everyDays,
      durationMin: plan.durationMin,
      requiresRequalification: plan.requiresRequalification,
      scheduled: plan.scheduleId !== null,
      paused: plan.paused,
      schedules,
    };
  }

  return [
    defineRoute({
      method: 'GET',
      url: '/api/maintenance/plans',
      summary: 'Preventive-maintenance plans (every N days for M minutes) and their schedules',
      tag: 'maintenance',
      access: roles,
      response: z.object({ plans: z.array(maintenancePlanViewSchema) }),
      async handler() {
        const plans = await deps.db.maintenancePlan.findMany({ orderBy: { id: 'asc' }, select: { id: true } });
        return { plans: await Promise.all(plans.map((p) => view(p.id))) };
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/maintenance/plans/:id/schedule',
      summary: "Create the plan's Temporal Schedules (one per tool, staggered a day apart); each firing books the window leadDays ahead",
      tag: 'maintenance',
      access: opsRoles,
      params: planParams,
      body: z.object({ leadDays: z.number().int().min(0).max(90).default(14) }),
      response: maintenancePlanViewSchema,
      errors: ['NOT_FOUND'],
      async handler({ params, body }) {
        const { plan, tools } = await loadPlan(params.id);
        await ensurePmSchedules(client, { plan, tools, taskQueue, leadDays: body.leadDays });
        await deps.db.maintenancePlan.update({ where: { id: plan.id }, data: { scheduleId: `pm-${plan.id}` } });
        return view(plan.id);
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/maintenance/plans/:id/pause',
      summary: "Pause (or resume) the plan's schedules",
      tag: 'maintenance',
      access: opsRoles,
      params: planParams,
      body: z.object({ paused: z.boolean(), note: noteSchema.optional() }),
      response: maintenancePlanViewSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE'],
      async handler({ params, body, actor }) {
        const { plan, tools } = await loadPlan(params.id);
        if (!plan.scheduleId) throw new PilotlineError('INVALID_STATE', 'The plan has no schedules yet');
        const note = body.note ?? `${body.paused ? 'paused' : 'resumed'} by ${actor.userId}`;
        for (const { toolId } of tools) await setPmSchedulePaused(client, plan.id, toolId, body.paused, note);
        await deps.db.maintenancePlan.update({ where: { id: plan.id }, data: { paused: body.paused } });
        return view(plan.id);
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/maintenance/plans/:id/skip',
      summary: 'Skip one occurrence: the maintenance that would start on `day` (on one tool, or all of the plan)',
      tag: 'maintenance',
      access: opsRoles,
      params: planParams,
      body: z.object({
        day: calendarDay().describe('YYYY-MM-DD, the day the maintenance window would start'),
        toolId: entityId().optional(),
      }),
      response: maintenancePlanViewSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE'],
      async handler({ params, body }) {
        const { plan, tools } = await loadPlan(params.id);
        if (!plan.scheduleId) throw new PilotlineError('INVALID_STATE', 'The plan has no schedules yet');
        const targets = body.toolId ? tools.filter((t) => t.toolId === body.toolId) : tools;
        if (!targets.length) throw new PilotlineError('NOT_FOUND', `Tool ${body.toolId} is not in plan ${plan.id}`);
        for (const { toolId } of targets) await skipPmOccurrence(client, plan.id, toolId, body.day);
        return view(plan.id);
      },
    }),
  ];
}
