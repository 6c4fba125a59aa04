import { z } from 'zod';
import { recordChange } from '../../data/records.js';
import { readTenant, tenantCounts, tenantView } from '../../data/tenant-view.js';
import { entityId } from '../../domain/input.js';
import { roles } from '../../domain/roles.js';
import { newTenantSchema, tenantChangeSchema, tenantStatusSchema, tenantViewSchema } from '../../domain/tenant.js';
import { PilotlineError } from '../../errors.js';
import { invalidField } from '../../validation.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';
import { ownTenantOnly, requireTenantAccess } from '../tenant-scope.js';
import { refusingDuplicates } from '../unique.js';

const idParams = z.object({ id: entityId().describe('Tenant id') });
const listQuery = z.object({ status: tenantStatusSchema.optional() });

/** Tenants: admin creates, edits, suspends; everyone reads their own (staff read all). */
export function tenantRoutes(deps: ApiDeps) {
  const { db } = deps;

  async function visibleTenant(actor: Parameters<typeof requireTenantAccess>[0], id: string) {
    requireTenantAccess(actor, id, `tenant ${id}`);
    const row = await readTenant(db, id);
    if (!row) throw new PilotlineError('NOT_FOUND', `No tenant ${id}`);
    return row;
  }

  return [
    defineRoute({
      method: 'GET',
      url: '/api/tenants',
      summary: "Tenants with their class, contacts and status (a tenant's people see their own only)",
      tag: 'tenants',
      access: roles,
      query: listQuery,
      response: z.object({ tenants: z.array(tenantViewSchema) }),
      async handler({ query, actor }) {
        const rows = await db.tenant.findMany({
          where: { id: ownTenantOnly(actor), status: query.status },
          include: tenantCounts,
          orderBy: [{ class: 'asc' }, { name: 'asc' }],
        });
        return { tenants: rows.map(tenantView) };
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/tenants/:id',
      summary: 'One tenant',
      tag: 'tenants',
      access: roles,
      params: idParams,
      response: tenantViewSchema,
      errors: ['NOT_FOUND'],
      handler: async ({ params, actor }) => tenantView(await visibleTenant(actor, params.id)),
    }),

    defineRoute({
      method: 'POST',
      url: '/api/tenants',
      summary: 'Admit a tenant (an institute team, a university group, a company)',
      tag: 'tenants',
      access: ['admin'],
      body: newTenantSchema,
      status: 201,
      response: tenantViewSchema,
      async handler({ body, actor }) {
        if (await db.tenant.findUnique({ where: { id: body.id }, select: { id: true } })) {
          throw invalidField('body.id', 'is already the id of a tenant');
        }
        await refusingDuplicates(
          () =>
            db.$transaction(async (tx) => {
              await tx.tenant.create({ data: body });
              await recordChange(tx, { actor, action: 'tenant.created', entityType: 'tenant', entityId: body.id, data: { ...body } });
            }),
          'body.id',
          'is already the id of a tenant',
        );
        return tenantView((await readTenant(db, body.id))!);
      },
    }),

    defineRoute({
      method: 'PATCH',
      url: '/api/tenants/:id',
      summary: "Edit a tenant: name, class, priority, contacts; suspend it (no new requests; what it booked stands) or reactivate it",
      tag: 'tenants',
      access: ['admin'],
      params: idParams,
      body: tenantChangeSchema,
      response: tenantViewSchema,
      errors: ['NOT_FOUND'],
      async handler({ params, body, actor }) {
        await db.$transaction(async (tx) => {
          const before = await tx.tenant.findUnique({ where: { id: params.id } });
          if (!before) throw new PilotlineError('NOT_FOUND', `No tenant ${params.id}`);
          const suspending = body.status === 'suspended' && before.status !== 'suspended';
          await tx.tenant.update({
            where: { id: params.id },
            data: { ...body, ...(body.status === 'active' ? { suspendedReason: null } : {}) },
          });
          const changed = Object.fromEntries(
            Object.entries(body).map(([key, value]) => [key, { from: before[key as keyof typeof before] ?? null, to: value }]),
          );
          await recordChange(tx, {
            actor,
            action: suspending ? 'tenant.suspended' : body.status === 'active' && before.status === 'suspended' ? 'tenant.reactivated' : 'tenant.changed',
            entityType: 'tenant',
            entityId: params.id,
            data: changed,
            notify: body.status && body.status !== before.status
              ? [{ tenantId: params.id, audience: 'tenant', kind: `tenant.${body.status}`, subject: `${before.name} is ${body.status}` }]
              : [],
          });
        });
        return tenantView((await readTenant(db, params.id))!);
      },
    }),
  ];
}
