import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import type { bookingWorkflow } from '../../../workflows/booking.js';
import { placeUpdate, placeUpdateId } from '../../../workflows/messages.js';
import { bookingView } from '../../data/booking-view.js';
import { projectToCharge } from '../../data/project-charge.js';
import { recordChange } from '../../data/records.js';
import { trainingDetails, trainingRequestView } from '../../data/training-view.js';
import { actsForAllTenants, type Actor } from '../../domain/actor.js';
import { bookingViewSchema } from '../../domain/booking.js';
import { bookingWorkflowId } from '../../domain/ids.js';
import { managerRoles, roles, staffRoles, hasRole } from '../../domain/roles.js';
import {
  declineTrainingSchema,
  newTrainingRequestSchema,
  scheduleTrainingSchema,
  trainingRequestStatusSchema,
  trainingRequestViewSchema,
  type ScheduleTraining,
} from '../../domain/training.js';
import { PilotlineError } from '../../errors.js';
import type { Prisma, TrainingRequest } from '../../generated/prisma/client.js';
import { invalidField } from '../../validation.js';
import type { AuthenticatedActor } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';
import { fromWorkflowFailure } from '../workflow-errors.js';

const idParams = z.object({ id: z.uuid().describe('Training request id') });
const listQuery = z.object({
  status: trainingRequestStatusSchema.optional(),
  mine: z.stringbool().optional().describe("Only the caller's own requests"),
});

/** Training requests: anyone asks for training; lab managers answer with a training booking or decline. */
export function trainingRoutes(deps: ApiDeps) {
  const { db, clock } = deps;
  const { client, taskQueue } = deps.temporal;
  const actorOf = (a: AuthenticatedActor): Actor => ({ userId: a.userId, tenantId: a.tenantId, role: a.role });

  function readableWhere(actor: Actor): Prisma.TrainingRequestWhereInput {
    if (actsForAllTenants(actor)) return {};
    return actor.role === 'tenant_manager' ? { tenantId: actor.tenantId } : { userId: actor.userId };
  }

  async function visibleRequest(actor: Actor, id: string) {
    const row = await db.trainingRequest.findFirst({ where: { id, ...readableWhere(actor) }, include: trainingDetails });
    if (!row) throw new PilotlineError('NOT_FOUND', `No training request ${id}`);
    return row;
  }

  const reread = async (id: string) => trainingRequestView((await db.trainingRequest.findUnique({ where: { id }, include: trainingDetails }))!);

  /** The trainer must be lab staff, or hold a valid qualification on what the training is for. */
  async function checkTrainer(trainerId: string, request: TrainingRequest, now: Date) {
    const trainer = await db.user.findFirst({ where: { id: trainerId, active: true }, select: { role: true } });
    if (!trainer) throw invalidField('body.trainerId', 'is not an active person');
    if (hasRole(trainer.role, staffRoles)) return;
    const toolTypeId = request.toolTypeId ?? (await db.tool.findUnique({ where: { id: request.toolId ?? '' }, select: { toolTypeId: true } }))?.toolTypeId;
    const qualified = await db.qualification.findFirst({
      where: {
        userId: trainerId,
        revokedAt: null,
        OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
        AND: [{ OR: [{ toolTypeId: toolTypeId ?? '' }, ...(request.toolId ? [{ toolId: request.toolId }] : [])] }],
      },
      select: { id: true },
    });
    if (!qualified) throw invalidField('body.trainerId', 'must be lab staff or qualified on what the training is for');
  }

  /** The training booking goes on the tool (or a tool of the type) the training was asked for. */
  async function checkTarget(body: ScheduleTraining, request: TrainingRequest) {
    if (body.toolTypeId !== undefined && body.toolTypeId !== request.toolTypeId) {
      throw invalidField('body.toolTypeId', `must be ${request.toolTypeId ?? `left out: the training is on ${request.toolId}`}`);
    }
    if (body.toolIds) {
      const tools = await db.tool.findMany({ where: { id: { in: body.toolIds } }, select: { id: true, toolTypeId: true } });
      const fits = (id: string) => tools.some((t) => t.id === id && (request.toolId ? t.id === request.toolId : t.toolTypeId === request.toolTypeId));
      if (!body.toolIds.every(fits)) throw invalidField('body.toolIds', 'must be the tool, or tools of the type, the training was asked for');
    }
  }

  return [
    defineRoute({
      method: 'GET',
      url: '/api/training-requests',
      summary: "Training requests: a person's own; a tenant manager's tenant's; the lab managers' queue (all)",
      tag: 'qualifications',
      access: roles,
      query: listQuery,
      response: z.object({ trainingRequests: z.array(trainingRequestViewSchema) }),
      async handler({ query, actor }) {
        const rows = await db.trainingRequest.findMany({
          where: { ...readableWhere(actor), status: query.status, ...(query.mine ? { userId: actor.userId } : {}) },
          include: trainingDetails,
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          take: 500,
        });
        return { trainingRequests: rows.map(trainingRequestView) };
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/training-requests',
      summary: 'Ask to be trained (and then qualified) on a tool type or a tool',
      tag: 'qualifications',
      access: roles,
      body: newTrainingRequestSchema,
      status: 201,
      response: trainingRequestViewSchema,
      errors: ['INVALID_STATE'],
      async handler({ body, actor }) {
        if (body.toolTypeId && !(await db.toolType.findUnique({ where: { id: body.toolTypeId }, select: { id: true } }))) {
          throw invalidField('body.toolTypeId', 'is not a tool type');
        }
        if (body.toolId && !(await db.tool.findFirst({ where: { id: body.toolId, retiredAt: null }, select: { id: true } }))) {
          throw invalidField('body.toolId', 'is not a tool in service');
        }
        const scope = { toolTypeId: body.toolTypeId ?? null, toolId: body.toolId ?? null };
        const open = await db.trainingRequest.findFirst({
          where: { userId: actor.userId, ...scope, status: { in: ['requested', 'scheduled'] } },
          select: { id: true },
        });
        if (open) throw new PilotlineError('INVALID_STATE', 'You have asked for this training already', { details: { trainingRequestId: open.id } });
        const row = await db.$transaction(async (tx) => {
          const created = await tx.trainingRequest.create({
            data: { userId: actor.userId, tenantId: actor.tenantId, ...scope, note: body.note ?? null },
          });
          await recordChange(tx, {
            actor,
            action: 'training.requested',
            entityType: 'training_request',
            entityId: created.id,
            data: { ...scope, note: body.note ?? null },
            notify: [
              {
                audience: 'lab_manager',
                kind: 'training.requested',
                subject: `${actor.name} asks for training on ${body.toolId ?? body.toolTypeId}`,
                payload: { trainingRequestId: created.id, userId: actor.userId },
              },
            ],
          });
          return created;
        });
        return reread(row.id);
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/training-requests/:id/schedule',
      summary:
        'Answer a training request with a training booking: the trainee on the tool with the trainer named (the trainee needs no qualification for it; confirmed at once)',
      tag: 'qualifications',
      access: managerRoles,
      params: idParams,
      body: scheduleTrainingSchema,
      status: 201,
      response: z.object({ trainingRequest: trainingRequestViewSchema, booking: bookingViewSchema }),
      errors: ['NOT_FOUND', 'INVALID_STATE', 'NO_FEASIBLE_SLOT', 'SLOT_TAKEN'],
      async handler({ params, body, actor }) {
        const request = await visibleRequest(actor, params.id);
        const existing = await db.booking.findUnique({ where: { requestId: body.requestId } });
        if (existing) {
          if (request.bookingId !== existing.id) throw new PilotlineError('FORBIDDEN', 'That requestId belongs to another request');
          return { trainingRequest: trainingRequestView(request), booking: bookingView(existing) };
        }
        if (request.status !== 'requested') throw new PilotlineError('INVALID_STATE', `The training request is ${request.status}`);
        const now = clock.now();
        await checkTrainer(body.trainerId, request, now);
        await checkTarget(body, request);
        const trainee = { userId: request.userId, tenantId: request.tenantId };
        const projectId = await projectToCharge(db, trainee, body.projectId, now);
        const { trainerId, ...wish } = body;
        const startWorkflowOperation = new WithStartWorkflowOperation<typeof bookingWorkflow>('bookingWorkflow', {
          workflowId: bookingWorkflowId(body.requestId),
          taskQueue,
          args: [
            {
              request: { ...wish, purpose: wish.purpose ?? 'Training', ...(projectId ? { projectId } : {}) },
              actor: actorOf(actor),
              training: { trainingRequestId: request.id, traineeId: request.userId, traineeTenantId: request.tenantId, trainerId },
            },
          ],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        });
        let result;
        try {
          result = await client.workflow.executeUpdateWithStart(placeUpdate, { updateId: placeUpdateId, startWorkflowOperation });
        } catch (err) {
          if (err instanceof WorkflowExecutionAlreadyStartedError) throw new PilotlineError('INVALID_STATE', 'That requestId was used before and has closed');
          throw fromWorkflowFailure(err);
        }
        if (result.kind === 'unplaced') throw new PilotlineError('NO_FEASIBLE_SLOT', 'No slot fits the training', { details: { explanation: result.explanation } });
        return { trainingRequest: await reread(request.id), booking: result.snapshot.booking };
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/training-requests/:id/decline',
      summary: 'Decline a training request, saying why',
      tag: 'qualifications',
      access: managerRoles,
      params: idParams,
      body: declineTrainingSchema,
      response: trainingRequestViewSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE'],
      async handler({ params, body, actor }) {
        const request = await visibleRequest(actor, params.id);
        await db.$transaction(async (tx) => {
          const { count } = await tx.trainingRequest.updateMany({
            where: { id: request.id, status: 'requested' },
            data: { status: 'declined', decidedById: actor.userId, declineReason: body.reason },
          });
          if (count !== 1) throw new PilotlineError('INVALID_STATE', `The training request is ${request.status}`);
          await recordChange(tx, {
            actor,
            action: 'training.declined',
            entityType: 'training_request',
            entityId: request.id,
            data: { reason: body.reason },
            notify: [{ recipientId: request.userId, tenantId: request.tenantId, kind: 'training.declined', subject: 'Your training request was declined', payload: { trainingRequestId: request.id, reason: body.reason } }],
          });
        });
        return reread(request.id);
      },
    }),
  ];
}
