import { meSchema } from '../../domain/actor.js';
import { roles } from '../../domain/roles.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';

export function meRoutes(deps: ApiDeps) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/me',
      summary: 'Who the token belongs to: user, role and tenant',
      tag: 'auth',
      access: roles,
      response: meSchema,
      async handler({ actor }) {
        const tenant = await deps.db.tenant.findUniqueOrThrow({ where: { id: actor.tenantId } });
        return {
          userId: actor.userId,
          name: actor.name,
          role: actor.role,
          tenant: { id: tenant.id, name: tenant.name, class: tenant.class },
        };
      },
    }),
  ];
}
