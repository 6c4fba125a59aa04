import type { PersonView } from '../domain/person.js';
import type { User } from '../generated/prisma/client.js';

/** Prisma's `include` for a person: their tenant's name and the projects they belong to. */
export const personDetails = {
  tenant: { select: { name: true } },
  memberships: { include: { project: { select: { id: true, code: true, name: true } } }, orderBy: { project: { code: 'asc' } } },
} as const;

export type PersonRow = User & {
  tenant: { name: string };
  memberships: Array<{ project: { id: string; code: string; name: string } }>;
};

/** A person as the people pages see them: never a password hash, never a token. */
export function personView(row: PersonRow): PersonView {
  return {
    id: row.id,
    tenantId: row.tenantId,
    tenantName: row.tenant.name,
    name: row.name,
    email: row.email,
    role: row.role,
    active: row.active,
    deactivatedAt: row.deactivatedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    projects: row.memberships.map((m) => m.project),
  };
}
