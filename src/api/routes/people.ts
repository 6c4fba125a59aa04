import { z } from 'zod';
import { endSessionsOf } from '../../accounts/sessions.js';
import { upcomingBookings } from '../../calendar/affected.js';
import { personDetails, personView } from '../../data/person-view.js';
import { recordChange } from '../../data/records.js';
import { roleSchema, type Actor } from '../../domain/actor.js';
import { changeAnswerSchema } from '../../domain/affected.js';
import { dryRunQuerySchema, entityId, text } from '../../domain/input.js';
import { newPersonSchema, personChangeSchema, personViewSchema } from '../../domain/person.js';
import { hasRole, peopleRoles, staffRoles, tenantGrantableRoles, type Role } from '../../domain/roles.js';
import { affectedSeenBy } from '../../domain/visibility.js';
import { PilotlineError } from '../../errors.js';
import { invalidField } from '../../validation.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';
import { requireTenantAccess, tenantFilter } from '../tenant-scope.js';
import { refusingDuplicates } from '../unique.js';

const idParams = z.object({ id: entityId().describe('User id') });
const listQuery = z.object({
  tenant: entityId().optional(),
  role: roleSchema.optional(),
  active: z.stringbool().optional(),
  q: text({ min: 1, max: 100 }).optional().describe('Part of the name, e-mail or id'),
});
const deactivateBody = z.object({ reason: text({ max: 500, multiline: true }).optional() });
const duplicateEmail = 'is already the e-mail of another person';
/** Who reads the people list: lab staff (qualifications, hand-overs) and the people managers. */
const readers = [...new Set<Role>([...staffRoles, ...peopleRoles])];

/** People: admin manages everyone; a tenant manager their own tenant's people, with tenant roles only. */
export function peopleRoutes(deps: ApiDeps) {
  const { db, clock } = deps;
  const readPerson = (id: string) => db.user.findUnique({ where: { id }, include: personDetails });

  async function visiblePerson(actor: Actor, id: string) {
    const row = await readPerson(id);
    if (!row) throw new PilotlineError('NOT_FOUND', `No person ${id}`);
    requireTenantAccess(actor, row.tenantId, `person ${id}`);
    return row;
  }

  /** A tenant manager gives and changes tenant roles only: staff roles are admin's to give. */
  const requireMayGive = (actor: Actor, role: Role, field: string) => {
    if (actor.role !== 'admin' && !hasRole(role, tenantGrantableRoles)) {
      throw new PilotlineError('FORBIDDEN', `${field}: a tenant manager may give only the roles ${tenantGrantableRoles.join(', ')}`);
    }
  };

  /**
   * The e-mail address is how the identity provider finds a person on their first sign-in, and where
   * their mail goes: once they sign in, only an administrator changes it (as only one resets a password).
   */
  async function requireCannotSignInYet(id: string) {
    const way = await db.user.findUniqueOrThrow({ where: { id }, select: { passwordHash: true, oidcSubject: true } });
    if (way.passwordHash !== null || way.oidcSubject !== null) {
      throw new PilotlineError('FORBIDDEN', `body.email: ${id} already signs in; only an administrator changes their e-mail address`);
    }
  }

  async function requireEmailFree(email: string, except?: string) {
    const holder = await db.user.findUnique({ where: { email }, select: { id: true } });
    if (holder && holder.id !== except) throw invalidField('body.email', duplicateEmail);
  }

  return [
    defineRoute({
      method: 'GET',
      url: '/api/users',
      summary: "People with their role, tenant, projects and whether they are active (a tenant manager sees their tenant's)",
      tag: 'people',
      access: readers,
      query: listQuery,
      response: z.object({ people: z.array(personViewSchema) }),
      errors: ['FORBIDDEN'],
      async handler({ query, actor }) {
        const rows = await db.user.findMany({
          where: {
            tenantId: tenantFilter(actor, query.tenant),
            role: query.role,
            active: query.active,
            ...(query.q
              ? { OR: ['name', 'email', 'id'].map((key) => ({ [key]: { contains: query.q, mode: 'insensitive' as const } })) }
              : {}),
          },
          include: personDetails,
          orderBy: [{ tenantId: 'asc' }, { name: 'asc' }],
          take: 500,
        });
        return { people: rows.map(personView) };
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/users/:id',
      summary: 'One person',
      tag: 'people',
      access: readers,
      params: idParams,
      response: personViewSchema,
      errors: ['NOT_FOUND'],
      handler: async ({ params, actor }) => personView(await visiblePerson(actor, params.id)),
    }),

    defineRoute({
      method: 'POST',
      url: '/api/users',
      summary: "Add a person to a tenant (admin: anyone; tenant manager: their own tenant, tenant roles), with the projects they may charge",
      tag: 'people',
      access: peopleRoles,
      body: newPersonSchema,
      status: 201,
      response: personViewSchema,
      errors: ['FORBIDDEN'],
      async handler({ body, actor }) {
        if (actor.role !== 'admin' && body.tenantId !== actor.tenantId) {
          throw new PilotlineError('FORBIDDEN', 'A tenant manager adds people to their own tenant only');
        }
        requireMayGive(actor, body.role, 'body.role');
        if (!(await db.tenant.findUnique({ where: { id: body.tenantId }, select: { id: true } }))) {
          throw invalidField('body.tenantId', 'is not a tenant');
        }
        if (await db.user.findUnique({ where: { id: body.id }, select: { id: true } })) throw invalidField('body.id', 'is already the id of another person');
        await requireEmailFree(body.email);
        const projectIds = [...new Set(body.projectIds ?? [])];
        const projects = await db.project.findMany({ where: { id: { in: projectIds }, tenantId: body.tenantId }, select: { id: true } });
        if (projects.length !== projectIds.length) throw invalidField('body.projectIds', `must be projects of tenant ${body.tenantId}`);
        await refusingDuplicates(
          () =>
            db.$transaction(async (tx) => {
              await tx.user.create({ data: { id: body.id, tenantId: body.tenantId, name: body.name, email: body.email, role: body.role } });
              if (projectIds.length) {
                await tx.projectMember.createMany({ data: projectIds.map((projectId) => ({ projectId, userId: body.id, tenantId: body.tenantId })) });
              }
              await recordChange(tx, {
                actor,
                action: 'user.created',
                entityType: 'user',
                entityId: body.id,
                data: { tenantId: body.tenantId, name: body.name, email: body.email, role: body.role, projectIds },
              });
            }),
          'body.email',
          duplicateEmail,
        );
        return personView((await readPerson(body.id))!);
      },
    }),

    defineRoute({
      method: 'PATCH',
      url: '/api/users/:id',
      summary: "Edit a person's name, e-mail or role (a tenant manager: their tenant's people, tenant roles only, and the e-mail address only of someone who does not sign in yet)",
      tag: 'people',
      access: peopleRoles,
      params: idParams,
      body: personChangeSchema,
      response: personViewSchema,
      errors: ['NOT_FOUND', 'FORBIDDEN'],
      async handler({ params, body, actor }) {
        const before = await visiblePerson(actor, params.id);
        requireMayGive(actor, before.role, 'the person');
        if (body.role) requireMayGive(actor, body.role, 'body.role');
        if (body.email) await requireEmailFree(body.email, before.id);
        if (body.email && body.email !== before.email && actor.role !== 'admin') await requireCannotSignInYet(params.id);
        await refusingDuplicates(
          () =>
            db.$transaction(async (tx) => {
              await tx.user.update({ where: { id: params.id }, data: { name: body.name, email: body.email, role: body.role } });
              const changed = Object.fromEntries(Object.entries(body).map(([key, to]) => [key, { from: before[key as keyof typeof body], to }]));
              await recordChange(tx, { actor, action: 'user.changed', entityType: 'user', entityId: params.id, data: changed });
            }),
          'body.email',
          duplicateEmail,
        );
        // A new role takes effect on this node's next request, not after the token cache's seconds.
        deps.tokenHolders?.forgetHolder(params.id);
        return personView((await readPerson(params.id))!);
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/users/:id/deactivate',
      summary:
        'Deactivate a person: they sign in with nothing from now on; their future bookings are listed for a lab manager to cancel or hand over (none is dropped). `dryRun` lists them only',
      tag: 'people',
      access: peopleRoles,
      params: idParams,
      query: dryRunQuerySchema,
      body: deactivateBody,
      response: changeAnswerSchema('person', personViewSchema),
      errors: ['NOT_FOUND', 'FORBIDDEN', 'INVALID_STATE'],
      async handler({ params, query, body, actor }) {
        const person = await visiblePerson(actor, params.id);
        requireMayGive(actor, person.role, 'the person');
        if (person.id === actor.userId) throw new PilotlineError('INVALID_STATE', 'You cannot deactivate yourself; ask another administrator');
        const now = clock.now();
        const affected = await upcomingBookings(db, { userId: person.id }, now, 'user_deactivated', `${person.name} is deactivated`);
        if (query.dryRun || !person.active) {
          return { applied: false, person: personView(person), affected: affectedSeenBy(actor, affected) };
        }
        await db.$transaction(async (tx) => {
          await tx.user.update({ where: { id: person.id }, data: { active: false, deactivatedAt: now } });
          // Signed out now, and not signed in again by an old cookie if they are reactivated.
          await endSessionsOf(tx, person.id);
          await recordChange(tx, {
            actor,
            action: 'user.deactivated',
            entityType: 'user',
            entityId: person.id,
            data: { reason: body.reason ?? null, futureBookings: affected.map((b) => b.bookingId) },
            notify: affected.length
              ? [
                  {
                    audience: 'lab_manager',
                    kind: 'user.deactivated',
                    subject: `${person.name} was deactivated: ${affected.length} future booking(s) to cancel or hand over`,
                    payload: { userId: person.id, bookingIds: affected.map((b) => b.bookingId) },
                  },
                ]
              : [],
          });
        });
        // Their tokens stop working on this node at once (other nodes: within TOKEN_CACHE_SECONDS).
        deps.tokenHolders?.forgetHolder(person.id);
        return { applied: true, person: personView((await readPerson(person.id))!), affected: affectedSeenBy(actor, affected) };
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/users/:id/reactivate',
      summary: 'Reactivate a deactivated person',
      tag: 'people',
      access: peopleRoles,
      params: idParams,
      response: personViewSchema,
      errors: ['NOT_FOUND', 'FORBIDDEN'],
      async handler({ params, actor }) {
        const person = await visiblePerson(actor, params.id);
        requireMayGive(actor, person.role, 'the person');
        if (!person.active) {
          await db.$transaction(async (tx) => {
            await tx.user.update({ where: { id: person.id }, data: { active: true, deactivatedAt: null } });
            await recordChange(tx, { actor, action: 'user.reactivated', entityType: 'user', entityId: person.id });
          });
        }
        return personView((await readPerson(person.id))!);
      },
    }),
  ];
}

