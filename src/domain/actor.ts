import { z } from 'zod';
import { entityId } from './input.js';
import { roleActsForAllTenants, roles } from './roles.js';

export const roleSchema = z.enum(roles);

/** Who is acting: resolved from a bearer token at the API, carried into workflow Updates. */
export const actorSchema = z.object({
  userId: entityId(),
  tenantId: entityId(),
  role: roleSchema,
});
export type Actor = z.infer<typeof actorSchema>;

/** Staff roles see and act across tenants; a tenant user or tenant manager only for their own tenant. */
export function actsForAllTenants(actor: Pick<Actor, 'role'>): boolean {
  return roleActsForAllTenants(actor.role);
}

export function mayActForTenant(actor: Actor, tenantId: string): boolean {
  return actsForAllTenants(actor) || actor.tenantId === tenantId;
}

/** Who the caller is, as `GET /api/me` answers. */
export const meSchema = z.object({
  userId: z.string(),
  name: z.string(),
  role: roleSchema,
  tenant: z.object({ id: z.string(), name: z.string(), class: z.string() }),
});
export type Me = z.infer<typeof meSchema>;
