import type { TenantView } from '../domain/tenant.js';
import type { Tenant } from '../generated/prisma/client.js';
import type { Db } from './db.js';

/** Prisma's `include` that counts a tenant's active people and projects. */
export const tenantCounts = {
  _count: { select: { users: { where: { active: true } }, projects: { where: { active: true } } } },
} as const;

export type TenantRow = Tenant & { _count: { users: number; projects: number } };

export function tenantView(row: TenantRow): TenantView {
  return {
    id: row.id,
    name: row.name,
    class: row.class,
    priority: row.priority,
    status: row.status,
    suspendedReason: row.suspendedReason,
    contactName: row.contactName,
    contactEmail: row.contactEmail,
    contactPhone: row.contactPhone,
    billingAddress: row.billingAddress,
    people: row._count.users,
    projects: row._count.projects,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function readTenant(db: Pick<Db, 'tenant'>, id: string): Promise<TenantRow | null> {
  return db.tenant.findUnique({ where: { id }, include: tenantCounts });
}
