import { auditPageSchema, auditQuerySchema } from '../../domain/audit.js';
import { auditRoles } from '../../domain/roles.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';

/** The audit log for admins and lab managers: who changed what, when; newest first, a page at a time. */
export function auditRoutes(deps: ApiDeps) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/audit',
      summary: 'The audit log: who changed what, when (newest first; `next` pages on)',
      tag: 'audit',
      access: auditRoles,
      query: auditQuerySchema,
      response: auditPageSchema,
      async handler({ query }) {
        const where: Prisma.AuditLogWhereInput = {
          entityType: query.entityType,
          entityId: query.entityId,
          actorId: query.actorId,
          ...(query.action ? { action: query.action.endsWith('.') ? { startsWith: query.action } : query.action } : {}),
          ...(query.before ? { id: { lt: BigInt(query.before) } } : {}),
          ...(query.from || query.to
            ? { at: { ...(query.from ? { gte: new Date(query.from) } : {}), ...(query.to ? { lt: new Date(query.to) } : {}) } }
            : {}),
        };
        const rows = await deps.db.auditLog.findMany({ where, orderBy: { id: 'desc' }, take: query.limit + 1 });
        const page = rows.slice(0, query.limit);
        return {
          entries: page.map((e) => ({
            id: e.id.toString(),
            at: e.at.toISOString(),
            actorId: e.actorId,
            actorRole: e.actorRole,
            action: e.action,
            entityType: e.entityType,
            entityId: e.entityId,
            data: (e.data && typeof e.data === 'object' && !Array.isArray(e.data) ? e.data : { value: e.data }) as Record<string, unknown>,
          })),
          next: rows.length > query.limit ? page.at(-1)!.id.toString() : null,
        };
      },
    }),
  ];
}
