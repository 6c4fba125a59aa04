import { WithStartWorkflowOperation } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import type { qualificationWorkflow } from '../../../workflows/qualification.js';
import { grantQualificationUpdate, renewQualificationUpdate, revokeQualificationUpdate } from '../../../workflows/messages.js';
import { qualificationHolder, qualificationView } from '../../data/qualification-view.js';
import { actsForAllTenants, type Actor } from '../../domain/actor.js';
import { qualificationWorkflowId } from '../../domain/ids.js';
import { entityId, instant } from '../../domain/input.js';
import {
  grantBodySchema,
  qualificationAnswerSchema,
  qualificationEventSchema,
  qualificationStateSchema,
  qualificationViewSchema,
  renewBodySchema,
  revokeBodySchema,
  type QualificationChange,
  type QualificationScope,
} from '../../domain/qualification.js';
import { managerRoles, roles } from '../../domain/roles.js';
import { affectedSeenBy } from '../../domain/visibility.js';
import { PilotlineError } from '../../errors.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { invalidField } from '../../validation.js';
import type { AuthenticatedActor } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';
import { fromWorkflowFailure } from '../workflow-errors.js';

const idParams = z.object({ id: z.uuid().describe('Qualification id') });
const listQuery = z.object({
  user: entityId().optional(),
  tenant: entityId().optional(),
  toolType: entityId().optional(),
  tool: entityId().optional(),
  state: qualificationStateSchema.optional(),
  expiringBefore: instant().optional().describe('Active ones expiring before this instant'),
});

const actorOf = (a: AuthenticatedActor): Actor => ({ userId: a.userId, tenantId: a.tenantId, role: a.role });

/**
 * Qualifications: everyone reads the ones they may (their own; a tenant manager their tenant's;
 * staff all); lab managers grant, renew and revoke them through each one's workflow.
 */
export function qualificationRoutes(deps: ApiDeps) {
  const { db, clock } = deps;
  const { client, taskQueue } = deps.temporal;

  /** Who a tenant-scoped actor may read the qualifications of: themselves, or their tenant (manager). */
  function readableWhere(actor: Actor): Prisma.QualificationWhereInput {
    if (actsForAllTenants(actor)) return {};
    if (actor.role === 'tenant_manager') return { user: { tenantId: actor.tenantId } };
    return { userId: actor.userId };
  }

  async function visibleQualification(actor: Actor, id: string) {
    const row = await db.qualification.findFirst({ where: { id, ...readableWhere(actor) }, include: qualificationHolder });
    if (!row) throw new PilotlineError('NOT_FOUND', `No qualification ${id}`);
    return row;
  }

  /** Sends a change to the qualification's workflow, starting it if none runs (a seeded or closed one). */
  async function change<A>(userId: string, scope: QualificationScope, update: UpdateDefinition<QualificationChange, [A]>, arg: A) {
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof qualificationWorkflow>('qualificationWorkflow', {
      workflowId: qualificationWorkflowId(userId, scope),
      taskQueue,
      args: [{ userId, scope, ...(deps.timing?.qualification ? { timing: deps.timing.qualification } : {}) }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // A lapsed or revoked qualification's workflow has ended: a new grant starts the next one.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    try {
      return await client.workflow.executeUpdateWithStart(update, { args: [arg], startWorkflowOperation });
    } catch (err) {
      throw fromWorkflowFailure(err);
    }
  }

  const answer = (actor: Actor, result: QualificationChange) => ({
    qualification: result.snapshot.qualification,
    affected: affectedSeenBy(actor, result.affected),
  });

  const scopeOf = (row: { toolId: string | null; toolTypeId: string | null }): QualificationScope =>
    row.toolId ? { toolId: row.toolId } : { toolTypeId: row.toolTypeId ?? '' };

  /** What the body names must exist, before any workflow starts (each refusal names its field). */
  async function checkGrant(body: z.infer<typeof grantBodySchema>, now: Date) {
    const person = await db.user.findUnique({ where: { id: body.userId }, select: { active: true } });
    if (!person?.active) throw invalidField('body.userId', 'is not an active person');
    if (body.toolTypeId && !(await db.toolType.findUnique({ where: { id: body.toolTypeId }, select: { id: true } }))) {
      throw invalidField('body.toolTypeId', 'is not a tool type');
    }
    if (body.toolId && !(await db.tool.findFirst({ where: { id: body.toolId, retiredAt: null }, select: { id: true } }))) {
      throw invalidField('body.toolId', 'is not a tool in service');
    }
    await checkRenewal(body, now);
    if (body.trainingRequestId) {
      const open = await db.trainingRequest.findFirst({
        where: { id: body.trainingRequestId, userId: body.userId, status: { in: ['requested', 'scheduled'] } },
        select: { id: true },
      });
      if (!open) throw invalidField('body.trainingRequestId', 'is not an open training request of this person');
    }
  }

  async function checkRenewal(body: { expiresAt?: string | null; trainerId?: string; trainedAt?: string }, now: Date) {
    if (body.expiresAt && Date.parse(body.expiresAt) <= now.getTime()) throw invalidField('body.expiresAt', 'must be in the future');
    if (body.trainedAt && Date.parse(body.trainedAt) > now.getTime()) throw invalidField('body.trainedAt', 'must not be in the future');
    if (body.trainerId && !(await db.user.findFirst({ where: { id: body.trainerId, active: true }, select: { id: true } }))) {
      throw invalidField('body.trainerId', 'is not an active person');
    }
  }

  return [
    defineRoute({
      method: 'GET',
      url: '/api/qualifications',
      summary: "Qualifications: a person's own; a tenant manager's tenant's; staff everyone's",
      tag: 'qualifications',
      access: roles,
      query: listQuery,
      response: z.object({ qualifications: z.array(qualificationViewSchema) }),
      async handler({ query, actor }) {
        const now = clock.now();
        const state: Prisma.QualificationWhereInput =
          query.state === 'revoked'
            ? { revokedAt: { not: null } }
            : query.state === 'expired'
              ? { revokedAt: null, expiresAt: { lte: now } }
              : query.state === 'active'
                ? { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }
                : {};
        const rows = await db.qualification.findMany({
          where: {
            AND: [
              readableWhere(actor),
              state,
              {
                userId: query.user,
                toolTypeId: query.toolType,
                toolId: query.tool,
                ...(query.tenant ? { user: { tenantId: query.tenant } } : {}),
                ...(query.expiringBefore ? { revokedAt: null, expiresAt: { gt: now, lt: new Date(query.expiringBefore) } } : {}),
              },
            ],
          },
          include: qualificationHolder,
          orderBy: [{ userId: 'asc' }, { toolTypeId: 'asc' }, { toolId: 'asc' }],
          take: 1000,
        });
        return { qualifications: rows.map((row) => qualificationView(row, now)) };
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/qualifications/:id',
      summary: 'One qualification with its training record',
      tag: 'qualifications',
      access: roles,
      params: idParams,
      response: qualificationViewSchema,
      errors: ['NOT_FOUND'],
      handler: async ({ params, actor }) => qualificationView(await visibleQualification(actor, params.id), clock.now()),
    }),

    defineRoute({
      method: 'GET',
      url: '/api/qualifications/:id/history',
      summary: "A qualification's history: granted, reminded, lapsed, renewed, revoked — who and when",
      tag: 'qualifications',
      access: roles,
      params: idParams,
      response: z.object({ events: z.array(qualificationEventSchema) }),
      errors: ['NOT_FOUND'],
      async handler({ params, actor }) {
        const row = await visibleQualification(actor, params.id);
        const entries = await db.auditLog.findMany({
          where: { entityType: 'qualification', entityId: row.id },
          orderBy: { id: 'asc' },
          take: 500,
        });
        return {
          events: entries.map((e) => ({
            at: e.at.toISOString(),
            action: e.action,
            actorId: e.actorId,
            detail: (e.data && typeof e.data === 'object' && !Array.isArray(e.data) ? e.data : {}) as Record<string, unknown>,
          })),
        };
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/qualifications',
      summary: 'Qualify a person on a tool or tool type, with an expiry and the training record (who trained them, when)',
      tag: 'qualifications',
      access: managerRoles,
      body: grantBodySchema,
      status: 201,
      response: qualificationAnswerSchema,
      errors: ['INVALID_STATE'],
      async handler({ body, actor }) {
        await checkGrant(body, clock.now());
        const scope: QualificationScope = body.toolId ? { toolId: body.toolId } : { toolTypeId: body.toolTypeId! };
        const result = await change(body.userId, scope, grantQualificationUpdate, {
          actor: actorOf(actor),
          expiresAt: body.expiresAt ?? null,
          trainerId: body.trainerId ?? null,
          trainedAt: body.trainedAt ?? null,
          trainingRequestId: body.trainingRequestId ?? null,
        });
        return answer(actor, result);
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/qualifications/:id/renew',
      summary: "Renew a qualification: a new expiry (and a refresher's training record); bookings it covers again lose their flags",
      tag: 'qualifications',
      access: managerRoles,
      params: idParams,
      body: renewBodySchema,
      response: qualificationAnswerSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE'],
      async handler({ params, body, actor }) {
        const row = await visibleQualification(actor, params.id);
        if (row.revokedAt) throw new PilotlineError('INVALID_STATE', 'The qualification was revoked: grant it again (with a training record)');
        await checkRenewal(body, clock.now());
        const result = await change(row.userId, scopeOf(row), renewQualificationUpdate, {
          actor: actorOf(actor),
          expiresAt: body.expiresAt,
          trainerId: body.trainerId ?? null,
          trainedAt: body.trainedAt ?? null,
        });
        return answer(actor, result);
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/qualifications/:id/revoke',
      summary: "Revoke a qualification now; the person's later bookings it covered are flagged for the lab managers (and listed)",
      tag: 'qualifications',
      access: managerRoles,
      params: idParams,
      body: revokeBodySchema,
      response: qualificationAnswerSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE'],
      async handler({ params, body, actor }) {
        const row = await visibleQualification(actor, params.id);
        if (row.revokedAt) throw new PilotlineError('INVALID_STATE', 'The qualification is already revoked');
        const result = await change(row.userId, scopeOf(row), revokeQualificationUpdate, { actor: actorOf(actor), reason: body.reason });
        return answer(actor, result);
      },
    }),
  ];
}
