import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import { z } from 'zod';
import type { maintenanceWorkflow } from '../../../workflows/maintenance.js';
import { cancelMaintenanceUpdate, completeMaintenanceUpdate, confirmMaintenanceUpdate, extendMaintenanceUpdate, maintenanceStatusQuery, previewMaintenanceUpdate, requalifiedUpdate } from '../../../workflows/messages.js';
import { maintenanceWorkflowId } from '../../domain/ids.js';
import { type Actor } from '../../domain/actor.js';
import { opsRoles, roles } from '../../domain/roles.js';
import {
  maintenanceAnswerSchema,
  maintenanceLimits,
  maintenanceRequestSchema,
  maintenanceStateSchema,
  maintenanceViewSchema,
  type MaintenanceAnswer,
  type MaintenanceOutcome,
  type MaintenanceRequest,
} from '../../domain/maintenance.js';
import { PilotlineError, type ErrorCode, type FieldIssue } from '../../errors.js';
import { maintenanceView } from '../../data/maintenance-view.js';
import { entityId, instant, noteSchema, text } from '../../domain/input.js';
import { maintenanceAnswerSeenBy } from '../../domain/visibility.js';
import type { Maintenance } from '../../generated/prisma/client.js';
import type { AuthenticatedActor } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';
import { fromWorkflowFailure } from '../workflow-errors.js';

const idParams = z.object({ id: z.uuid().describe('Maintenance id') });
const noteBody = z.object({ note: noteSchema.optional() });
const outageBody = z.object({
  requestId: z.uuid().optional().describe('Idempotency key; default: a new one'),
  estimatedEnd: instant(),
  reason: text({ min: 1, max: 500, multiline: true }),
  requiresRequalification: z.boolean().optional(),
});

const actorOf = (a: AuthenticatedActor): Actor => ({ userId: a.userId, tenantId: a.tenantId, role: a.role });
const minuteMs = 60_000;
const dayMs = 86_400_000;

/** What a window's times must be relative to now (the schemas check the rest). */
function refuseUntimely(now: Date, window: { startsAt?: string; endsAt: string }, fields: { startsAt?: string; endsAt: string }): void {
  const issues: FieldIssue[] = [];
  const end = Date.parse(window.endsAt);
  if (end <= now.getTime() + maintenanceLimits.minMinutes * minuteMs) {
    issues.push({ field: fields.endsAt, message: `must be at least ${maintenanceLimits.minMinutes} minutes from now` });
  }
  if (window.startsAt && fields.startsAt && Date.parse(window.startsAt) > now.getTime() + maintenanceLimits.maxAdvanceDays * dayMs) {
    issues.push({ field: fields.startsAt, message: `must be at most ${maintenanceLimits.maxAdvanceDays} days from now` });
  }
  if (!window.startsAt && end > now.getTime() + maintenanceLimits.maxDays * dayMs) {
    issues.push({ field: fields.endsAt, message: `must be at most ${maintenanceLimits.maxDays} days from now` });
  }
  if (issues.length) {
    throw new PilotlineError('VALIDATION_FAILED', issues.map((i) => `${i.field}: ${i.message}`).join('; '), { issues });
  }
}

export function maintenanceRoutes(deps: ApiDeps) {
  const { client, taskQueue } = deps.temporal;

  /** Starts a maintenance workflow (idempotent on requestId) and returns its first answer, to its requester only. */
  async function startMaintenance(request: MaintenanceRequest, actor: Actor, autoConfirm: boolean): Promise<MaintenanceAnswer> {
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof maintenanceWorkflow>('maintenanceWorkflow', {
      workflowId: maintenanceWorkflowId(request.requestId),
      taskQueue,
      args: [{ request, actor, autoConfirm }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    });
    let answer: MaintenanceAnswer;
    try {
      answer = await client.workflow.executeUpdateWithStart(previewMaintenanceUpdate, { updateId: 'preview', startWorkflowOperation });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw fromWorkflowFailure(err);
      answer = (await client.workflow
        .getHandle(maintenanceWorkflowId(request.requestId))
        .result()
        .catch((failure: unknown) => {
          throw fromWorkflowFailure(failure);
        })) as MaintenanceOutcome;
    }
    if (answer.maintenance.createdById !== actor.userId) throw new PilotlineError('FORBIDDEN', 'That requestId belongs to another request');
    return maintenanceAnswerSeenBy(actor, answer);
  }

  async function onMaintenance<R>(id: string, send: (handle: WorkflowHandle, row: Maintenance) => Promise<R>): Promise<R> {
    const row = await deps.db.maintenance.findUnique({ where: { id } });
    if (!row) throw new PilotlineError('NOT_FOUND', `No maintenance ${id}`);
    try {
      return await send(client.workflow.getHandle(row.workflowId), row);
    } catch (err) {
      throw fromWorkflowFailure(err);
    }
  }

  const action = <B extends z.ZodType>(
    name: string,
    summary: string,
    body: B,
    send: (handle: WorkflowHandle, actor: Actor, body: z.output<B>, row: Maintenance) => Promise<MaintenanceAnswer>,
    errors: readonly ErrorCode[] = [],
  ) =>
    defineRoute({
      method: 'POST',
      url: `/api/maintenance/:id/${name}`,
      summary,
      tag: 'maintenance',
      access: opsRoles,
      params: idParams,
      body,
      response: maintenanceAnswerSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE', ...errors],
      handler: async ({ params, actor, body: parsed }) =>
        maintenanceAnswerSeenBy(
          actor,
          await onMaintenance(params.id, (handle, row) => send(handle, actorOf(actor), parsed as z.output<B>, row)),
        ),
    });

  return [
    defineRoute({
      method: 'POST',
      url: '/api/maintenance',
      summary: 'Plan maintenance on one or more tools: the impact (moves, cancellations) before anything is applied',
      tag: 'maintenance',
      access: opsRoles,
      body: maintenanceRequestSchema,
      status: 201,
      response: maintenanceAnswerSchema,
      errors: ['NOT_FOUND', 'FORBIDDEN', 'MAINTENANCE_OVERLAP'],
      handler({ body, actor }) {
        refuseUntimely(deps.clock.now(), body, { startsAt: 'body.startsAt', endsAt: 'body.endsAt' });
        return startMaintenance(body, actorOf(actor), false);
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/tools/:id/outage',
      summary:
        'Report a breakdown: the tool goes down at once; bookings until the estimated return are repaired or cancelled. ' +
        'A tool already down answers 409 MAINTENANCE_OVERLAP naming its open outage: extend that one instead',
      tag: 'maintenance',
      access: opsRoles,
      params: z.object({ id: entityId().describe('Tool id') }),
      body: outageBody,
      status: 201,
      response: maintenanceAnswerSchema,
      errors: ['NOT_FOUND', 'FORBIDDEN', 'MAINTENANCE_OVERLAP'],
      async handler({ params, body, actor }) {
        const now = deps.clock.now();
        refuseUntimely(now, { endsAt: body.estimatedEnd }, { endsAt: 'body.estimatedEnd' });
        if (!(await deps.db.tool.findUnique({ where: { id: params.id } }))) throw new PilotlineError('NOT_FOUND', `No tool ${params.id}`);
        return startMaintenance(
          {
            requestId: body.requestId ?? randomUUID(),
            kind: 'outage',
            toolIds: [params.id],
            startsAt: now.toISOString(),
            endsAt: body.estimatedEnd,
            reason: body.reason,
            ...(body.requiresRequalification === undefined ? {} : { requiresRequalification: body.requiresRequalification }),
          },
          actorOf(actor),
          true,
        );
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/maintenance',
      summary: 'Maintenance, filtered',
      tag: 'maintenance',
      access: roles,
      query: z.object({
        state: maintenanceStateSchema.optional(),
        tool: entityId().optional(),
        from: instant().optional(),
        to: instant().optional(),
      }),
      response: z.object({ maintenance: z.array(maintenanceViewSchema) }),
      async handler({ query }) {
        const rows = await deps.db.maintenance.findMany({
          where: {
            state: query.state,
            windows: query.tool ? { some: { toolId: query.tool } } : undefined,
            endsAt: query.from ? { gt: new Date(query.from) } : undefined,
            startsAt: query.to ? { lt: new Date(query.to) } : undefined,
          },
          include: { windows: { select: { toolId: true } } },
          orderBy: { startsAt: 'asc' },
          take: 500,
        });
        return { maintenance: rows.map((row) => maintenanceView(row)) };
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/maintenance/:id',
      summary: "One maintenance with its impact; a tenant user sees other tenants' bookings in it only as busy time",
      tag: 'maintenance',
      access: roles,
      params: idParams,
      response: maintenanceAnswerSchema,
      errors: ['NOT_FOUND'],
      handler: ({ params, actor }) =>
        onMaintenance(params.id, async (handle) => {
          const status = await handle.query(maintenanceStatusQuery);
          if (!status.maintenance) throw new PilotlineError('NOT_FOUND', `No maintenance ${params.id}`);
          return maintenanceAnswerSeenBy(actor, { maintenance: status.maintenance, impact: status.impact });
        }),
    }),

    action(
      'confirm',
      'Apply the window and the moves of its current impact, in one transaction; 409 MAINTENANCE_OVERLAP names an applied window in the way',
      noteBody,
      (h, actor, b) => h.executeUpdate(confirmMaintenanceUpdate, { args: [{ actor, ...b }] }),
      ['MAINTENANCE_OVERLAP'],
    ),
    action(
      'extend',
      'A new end (later or earlier, e.g. an updated outage estimate); the repair runs again',
      z.object({ endsAt: instant() }),
      (h, actor, b, row) => {
        refuseUntimely(deps.clock.now(), b, { endsAt: 'body.endsAt' });
        if (Date.parse(b.endsAt) - row.startsAt.getTime() > maintenanceLimits.maxDays * dayMs) {
          const message = `must be at most ${maintenanceLimits.maxDays} days after the start`;
          throw new PilotlineError('VALIDATION_FAILED', `body.endsAt: ${message}`, { issues: [{ field: 'body.endsAt', message }] });
        }
        return h.executeUpdate(extendMaintenanceUpdate, { args: [{ actor, endsAt: b.endsAt }] });
      },
      ['MAINTENANCE_OVERLAP', 'VALIDATION_FAILED'],
    ),
    action('cancel', 'Cancel before the start (moved bookings stay where they are)', noteBody, (h, actor, b) =>
      h.executeUpdate(cancelMaintenanceUpdate, { args: [{ actor, ...b }] }),
    ),
    action('complete', 'The work is done: the tool comes back, or waits for requalification', noteBody, (h, actor, b) =>
      h.executeUpdate(completeMaintenanceUpdate, { args: [{ actor, ...b }] }),
    ),
    action(
      'requalify',
      'Record a qualification run; a pass brings the tool back into service',
      z.object({ passed: z.boolean(), notes: text({ max: 2000, multiline: true }).optional() }),
      (h, actor, b) => h.executeUpdate(requalifiedUpdate, { args: [{ actor, ...b }] }),
    ),
  ];
}
