import type { ProjectView } from '../domain/project.js';
import type { Project } from '../generated/prisma/client.js';

/** Prisma's `include` for a project: its members by name. */
export const projectMembers = {
  members: { include: { user: { select: { name: true, active: true } } }, orderBy: { userId: 'asc' } },
} as const;

export type ProjectRow = Project & { members: Array<{ userId: string; user: { name: string; active: boolean } }> };

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

export function projectView(row: ProjectRow): ProjectView {
  return {
    id: row.id,
    tenantId: row.tenantId,
    code: row.code,
    name: row.name,
    kind: row.kind,
    active: row.active,
    validFrom: day(row.validFrom),
    validTo: day(row.validTo),
    members: row.members.map((m) => ({ userId: m.userId, name: m.user.name, active: m.user.active })),
  };
}

/** A `YYYY-MM-DD` day as the DATE column takes it. */
export const dateOfDay = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null ? null : new Date(`${value}T00:00:00Z`);
