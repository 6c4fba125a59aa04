import { z } from 'zod';
import type { Tx } from '../../data/db.js';
import { dateOfDay, projectMembers, projectView } from '../../data/project-view.js';
import { recordChange } from '../../data/records.js';
import type { Actor } from '../../domain/actor.js';
import { entityId } from '../../domain/input.js';
import { addMemberSchema, newProjectSchema, projectChangeSchema, projectViewSchema } from '../../domain/project.js';
import { peopleRoles, roles } from '../../domain/roles.js';
import { PilotlineError } from '../../errors.js';
import { invalidField } from '../../validation.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';
import { requireTenantAccess, tenantFilter } from '../tenant-scope.js';
import { refusingDuplicates } from '../unique.js';

const idParams = z.object({ id: z.uuid().describe('Project id') });
const memberParams = z.object({ id: z.uuid().describe('Project id'), userId: entityId() });
const listQuery = z.object({
  tenant: entityId().optional(),
  mine: z.stringbool().optional().describe('Only the projects the caller may charge'),
  active: z.stringbool().optional(),
});

const duplicateCode = 'is already the code of another project of this tenant';

/** Projects and their members: admin for any tenant, a tenant manager for their own; everyone reads their tenant's. */
export function projectRoutes(deps: ApiDeps) {
  const { db } = deps;
  const readProject = (tx: Pick<Tx, 'project'>, id: string) => tx.project.findUnique({ where: { id }, include: projectMembers });

  async function visibleProject(actor: Actor, id: string) {
    const row = await readProject(db, id);
    if (!row) throw new PilotlineError('NOT_FOUND', `No project ${id}`);
    requireTenantAccess(actor, row.tenantId, `project ${id}`);
    return row;
  }

  /** A tenant manager manages their own tenant's projects only; admin any tenant's. */
  const requireManages = (actor: Actor, tenantId: string) => {
    if (actor.role !== 'admin' && actor.tenantId !== tenantId) {
      throw new PilotlineError('FORBIDDEN', "A tenant manager manages their own tenant's projects only");
    }
  };

  /** The people named must be of the project's tenant. */
  async function requireMembersOf(tx: Pick<Tx, 'user'>, tenantId: string, userIds: readonly string[], field: string) {
    const found = await tx.user.findMany({ where: { id: { in: [...userIds] }, tenantId }, select: { id: true } });
    const missing = userIds.filter((id) => !found.some((u) => u.id === id));
    if (missing.length) throw invalidField(field, `not people of tenant ${tenantId}: ${missing.join(', ')}`);
  }

  return [
    defineRoute({
      method: 'GET',
      url: '/api/projects',
      summary: "Projects (grants, cost centres) with their members; a tenant's people see their own tenant's",
      tag: 'projects',
      access: roles,
      query: listQuery,
      response: z.object({ projects: z.array(projectViewSchema) }),
      async handler({ query, actor }) {
        const rows = await db.project.findMany({
          where: {
            tenantId: tenantFilter(actor, query.tenant),
            active: query.active,
            ...(query.mine ? { members: { some: { userId: actor.userId } } } : {}),
          },
          include: projectMembers,
          orderBy: [{ tenantId: 'asc' }, { code: 'asc' }],
          take: 500,
        });
        return { projects: rows.map(projectView) };
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/projects/:id',
      summary: 'One project and its members',
      tag: 'projects',
      access: roles,
      params: idParams,
      response: projectViewSchema,
      errors: ['NOT_FOUND'],
      handler: async ({ params, actor }) => projectView(await visibleProject(actor, params.id)),
    }),

    defineRoute({
      method: 'POST',
      url: '/api/projects',
      summary: "Open a project under a tenant (admin: any tenant; tenant manager: their own), with the people who may charge it",
      tag: 'projects',
      access: peopleRoles,
      body: newProjectSchema,
      status: 201,
      response: projectViewSchema,
      errors: ['FORBIDDEN'],
      async handler({ body, actor }) {
        requireManages(actor, body.tenantId);
        if (!(await db.tenant.findUnique({ where: { id: body.tenantId }, select: { id: true } }))) {
          throw invalidField('body.tenantId', 'is not a tenant');
        }
        const memberIds = [...new Set(body.memberIds ?? [])];
        await requireMembersOf(db, body.tenantId, memberIds, 'body.memberIds');
        if (await db.project.findUnique({ where: { tenantId_code: { tenantId: body.tenantId, code: body.code } } })) {
          throw invalidField('body.code', duplicateCode);
        }
        const id = await refusingDuplicates(
          () =>
            db.$transaction(async (tx) => {
              const row = await tx.project.create({
                data: {
                  tenantId: body.tenantId,
                  code: body.code,
                  name: body.name,
                  kind: body.kind,
                  validFrom: dateOfDay(body.validFrom) ?? null,
                  validTo: dateOfDay(body.validTo) ?? null,
                },
              });
              if (memberIds.length) {
                await tx.projectMember.createMany({ data: memberIds.map((userId) => ({ projectId: row.id, userId, tenantId: body.tenantId })) });
              }
              await recordChange(tx, {
                actor,
                action: 'project.created',
                entityType: 'project',
                entityId: row.id,
                data: { tenantId: body.tenantId, code: body.code, name: body.name, kind: body.kind, memberIds },
              });
              return row.id;
            }),
          'body.code',
          duplicateCode,
        );
        return projectView((await readProject(db, id))!);
      },
    }),

    defineRoute({
      method: 'PATCH',
      url: '/api/projects/:id',
      summary: 'Edit a project: code, name, kind, validity; close it (active false) so nobody charges it any more',
      tag: 'projects',
      access: peopleRoles,
      params: idParams,
      body: projectChangeSchema,
      response: projectViewSchema,
      errors: ['NOT_FOUND', 'FORBIDDEN'],
      async handler({ params, body, actor }) {
        const before = await visibleProject(actor, params.id);
        requireManages(actor, before.tenantId);
        const validFrom = body.validFrom === undefined ? before.validFrom?.toISOString().slice(0, 10) : body.validFrom;
        const validTo = body.validTo === undefined ? before.validTo?.toISOString().slice(0, 10) : body.validTo;
        if (validFrom && validTo && validTo < validFrom) throw invalidField('body.validTo', 'must not be before validFrom');
        await refusingDuplicates(
          () =>
            db.$transaction(async (tx) => {
              await tx.project.update({
                where: { id: params.id },
                data: {
                  code: body.code,
                  name: body.name,
                  kind: body.kind,
                  active: body.active,
                  validFrom: dateOfDay(body.validFrom),
                  validTo: dateOfDay(body.validTo),
                },
              });
              await recordChange(tx, { actor, action: 'project.changed', entityType: 'project', entityId: params.id, data: { ...body } });
            }),
          'body.code',
          duplicateCode,
        );
        return projectView((await readProject(db, params.id))!);
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/projects/:id/members',
      summary: "Let a person of the project's tenant charge the project",
      tag: 'projects',
      access: peopleRoles,
      params: idParams,
      body: addMemberSchema,
      response: projectViewSchema,
      errors: ['NOT_FOUND', 'FORBIDDEN'],
      async handler({ params, body, actor }) {
        const project = await visibleProject(actor, params.id);
        requireManages(actor, project.tenantId);
        await requireMembersOf(db, project.tenantId, [body.userId], 'body.userId');
        if (!project.members.some((m) => m.userId === body.userId)) {
          await db.$transaction(async (tx) => {
            await tx.projectMember.create({ data: { projectId: project.id, userId: body.userId, tenantId: project.tenantId } });
            await recordChange(tx, { actor, action: 'project.member_added', entityType: 'project', entityId: project.id, data: { userId: body.userId } });
          });
        }
        return projectView((await readProject(db, params.id))!);
      },
    }),

    defineRoute({
      method: 'DELETE',
      url: '/api/projects/:id/members/:userId',
      summary: 'Stop a person charging the project (their bookings already charged to it stay so)',
      tag: 'projects',
      access: peopleRoles,
      params: memberParams,
      response: projectViewSchema,
      errors: ['NOT_FOUND', 'FORBIDDEN'],
      async handler({ params, actor }) {
        const project = await visibleProject(actor, params.id);
        requireManages(actor, project.tenantId);
        if (!project.members.some((m) => m.userId === params.userId)) {
          throw new PilotlineError('NOT_FOUND', `${params.userId} is not a member of project ${project.code}`);
        }
        await db.$transaction(async (tx) => {
          await tx.projectMember.delete({ where: { projectId_userId: { projectId: project.id, userId: params.userId } } });
          await recordChange(tx, { actor, action: 'project.member_removed', entityType: 'project', entityId: project.id, data: { userId: params.userId } });
        });
        return projectView((await readProject(db, params.id))!);
      },
    }),
  ];
}
