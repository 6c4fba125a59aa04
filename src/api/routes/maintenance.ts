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
  maintenanceRequestSchema,
  maintenanceStateSchema,
  maintenanceViewSchema,
  type MaintenanceAnswer,
  type MaintenanceOutcome,
  type MaintenanceRequest,
} from '../../domain/maintenance.js';
import { PilotlineError } from '../../errors.js';
import { maintenanceView } from '../../data/maintenance-view.js';
import type { AuthenticatedActor } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';
import { fromWorkflowFailure } from '../workflow-errors.js';

const isoInstant = z.iso.datetime({ offset: true });
const idParams = z.object({ id: z.uuid().describe('Maintenance id') });
const noteBody = z.object({ note: z.string().max(500).optional() });

const actorOf = (a: AuthenticatedActor): Actor => ({ userId: a.userId, tenantId: a.tenantId, role: a.role });

export function maintenanceRoutes(deps: ApiDeps) {
  const { client, taskQueue } = deps.temporal;

  /** Starts a maintenance workflow (idempotent on requestId) and returns its first answer. */
  async function startMaintenance(request: MaintenanceRequest, actor: Actor, autoConfirm: boolean): Promise<MaintenanceAnswer> {
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof maintenanceWorkflow>('maintenanceWorkflow', {
      workflowId: maintenanceWorkflowId(request.requestId),
      taskQueue,
      args: [{ request, actor, autoConfirm }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    });
    try {
      return await client.workflow.executeUpdateWithStart(previewMaintenanceUpdate, { updateId: 'preview', startWorkflowOperation });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        const outcome = (await client.workflow.getHandle(maintenanceWorkflowId(request.requestId)).result()) as MaintenanceOutcome;
        return outcome;
      }
      throw fromWorkflowFailure(err);
    }
  }

  async function onMaintenance<R>(id: string, send: (handle: WorkflowHandle) => Promise<R>): Promise<R> {
    const row = await deps.db.maintenance.findUnique({ where: { id } });
    if (!row) throw new PilotlineError('NOT_FOUND', `No maintenance ${id}`);
    try {
      return await send(client.workflow.getHandle(row.workflowId));
    } catch (err) {
      throw fromWorkflowFailure(err);
    }
  }

  const action = <B extends z.ZodType>(
    name: string,
    summary: string,
    body: B,
    send: (handle: WorkflowHandle, actor: Actor, body: z.output<B>) => Promise<MaintenanceAnswer>,
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
      errors: ['NOT_FOUND', 'INVALID_STATE'],
      handler: ({ params, actor, body: parsed }) =>
        onMaintenance(params.id, (handle) => send(handle, actorOf(actor), parsed as z.output<B>)),
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
      errors: ['NOT_FOUND'],
      handler: ({ body, actor }) => startMaintenance(body, actorOf(actor), false),
    }),

    defineRoute({
      method: 'POST',
      url: '/api/tools/:id/outage',
      summary: 'Report a breakdown: the tool goes down at once; bookings until the estimated return are repaired or cancelled',
      tag: 'maintenance',
      access: opsRoles,
      params: z.object({ id: z.string().min(1) }),
      body: z.object({
        requestId: z.uuid().optional().describe('Idempotency key; default: a new one'),
        estimatedEnd: isoInstant,
        reason: z.string().min(1).max(500),
        requiresRequalification: z.boolean().optional(),
      }),
      status: 201,
      response: maintenanceAnswerSchema,
      errors: ['NOT_FOUND', 'VALIDATION_FAILED'],
      async handler({ params, body, actor }) {
        const now = deps.clock.now();
        if (Date.parse(body.estimatedEnd) <= now.getTime()) {
          throw new PilotlineError('VALIDATION_FAILED', 'estimatedEnd must be in the future', {
            issues: [{ field: 'body.estimatedEnd', message: 'must be in the future' }],
          });
        }
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
        tool: z.string().optional(),
        from: isoInstant.optional(),
        to: isoInstant.optional(),
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
        return {
          maintenance: rows.map((row) => maintenanceView(row)),
        };
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/maintenance/:id',
      summary: 'One maintenance with its impact',
      tag: 'maintenance',
      access: roles,
      params: idParams,
      response: maintenanceAnswerSchema,
      errors: ['NOT_FOUND'],
      handler: ({ params }) =>
        onMaintenance(params.id, async (handle) => {
          const status = await handle.query(maintenanceStatusQuery);
          if (!status.maintenance) throw new PilotlineError('NOT_FOUND', `No maintenance ${params.id}`);
          return { maintenance: status.maintenance, impact: status.impact };
        }),
    }),

    action('confirm', 'Apply the window and the moves of its current impact, in one transaction', noteBody, (h, actor, b) =>
      h.executeUpdate(confirmMaintenanceUpdate, { args: [{ actor, ...b }] }),
    ),
    action('extend', 'A new end (later or earlier, e.g. an updated outage estimate); the repair runs again', z.object({ endsAt: isoInstant }), (h, actor, b) =>
      h.executeUpdate(extendMaintenanceUpdate, { args: [{ actor, endsAt: b.endsAt }] }),
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
      z.object({ passed: z.boolean(), notes: z.string().max(2000).optional() }),
      (h, actor, b) => h.executeUpdate(requalifiedUpdate, { args: [{ actor, ...b }] }),
    ),
  ];
}
