import { meSchema, type Me } from '../../domain/actor.js';
import { roles } from '../../domain/roles.js';
import type { Db } from '../../data/db.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';

/** Who a user is, as the app shows it: name, role and tenant. */
export async function meOf(db: Db, userId: string): Promise<Me> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, name: true, role: true, tenant: { select: { id: true, name: true, class: true } } },
  });
  return { userId: user.id, name: user.name, role: user.role, tenant: user.tenant };
}

export function meRoutes(deps: ApiDeps) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/me',
      summary: 'Who is calling (token or session): user, role and tenant',
      tag: 'auth',
      access: roles,
      response: meSchema,
      handler: ({ actor }) => meOf(deps.db, actor.userId),
    }),
  ];
}
