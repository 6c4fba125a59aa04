import { z } from 'zod';

export const roles = ['tenant_user', 'lab_manager', 'ops', 'admin'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/** Who is acting: resolved from a bearer token at the API, carried into workflow Updates. */
export const actorSchema = z.object({
  userId: z.string().min(1),
  tenantId: z.string().min(1),
  role: roleSchema,
});
export type Actor = z.infer<typeof actorSchema>;

/** Staff roles see and act across tenants; a tenant user only for their own tenant. */
export function actsForAllTenants(actor: Actor): boolean {
  return actor.role !== 'tenant_user';
}

export function mayActForTenant(actor: Actor, tenantId: string): boolean {
  return actsForAllTenants(actor) || actor.tenantId === tenantId;
}
