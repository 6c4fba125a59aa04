import type { Actor } from '../domain/actor.js';
import { facilityDay } from '../domain/time.js';
import { PilotlineError } from '../errors.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Db, Tx } from './db.js';

type Reader = Pick<Db | Tx, 'projectMember' | 'tenant'>;

const invalid = (message: string) =>
  new PilotlineError('VALIDATION_FAILED', `Invalid body: body.projectId: ${message}`, { issues: [{ field: 'body.projectId', message }] });

/** A project the booker belongs to, as charging judges it; validity as calendar days (YYYY-MM-DD). */
export interface MemberProject {
  id: string;
  code: string;
  active: boolean;
  validFrom: string | null;
  validTo: string | null;
}

/** The booker's tenant and projects (by code), as `projectToCharge` reads them or a caller read them itself. */
export interface BookerCharging {
  tenant: { status: 'active' | 'suspended'; name: string } | null;
  projects: MemberProject[];
}

/** A project may be charged on `day` when it is active and the day lies in its validity. */
function chargeableOn(project: MemberProject, day: string): boolean {
  const { validFrom: from, validTo: to } = project;
  return project.active && (from === null || from <= day) && (to === null || day <= to);
}

const dayOf = (date: Date | null) => date?.toISOString().slice(0, 10) ?? null;

/**
 * The project a new request of `booker` is charged to: the one asked for, which must be one of the
 * projects they belong to and chargeable today; else the only one they belong to; else none when
 * they belong to none (people who predate projects, staff). A suspended tenant requests nothing.
 */
export async function projectToCharge(db: Reader, booker: Pick<Actor, 'userId' | 'tenantId'>, projectId: string | undefined, now: Date): Promise<string | null> {
  const [tenant, memberships] = await Promise.all([
    db.tenant.findUnique({ where: { id: booker.tenantId }, select: { status: true, name: true } }),
    db.projectMember.findMany({
      where: { userId: booker.userId, tenantId: booker.tenantId },
      select: { project: { select: { id: true, code: true, active: true, validFrom: true, validTo: true } } },
      orderBy: { project: { code: 'asc' } },
    }),
  ]);
  const projects = memberships.map(({ project: p }) => ({ id: p.id, code: p.code, active: p.active, validFrom: dayOf(p.validFrom), validTo: dayOf(p.validTo) }));
  return chooseProjectToCharge({ tenant, projects }, projectId, now);
}

/** `projectToCharge` on what was read already (the placement reads it with the calendar, in one statement). */
export function chooseProjectToCharge({ tenant, projects }: BookerCharging, projectId: string | undefined, now: Date): string | null {
  if (tenant?.status === 'suspended') {
    throw new PilotlineError('FORBIDDEN', `${tenant.name} is suspended: it makes no new requests until an administrator reactivates it`);
  }
  const day = facilityDay(now);
  const open = projects.filter((p) => chargeableOn(p, day));
  if (projectId !== undefined) {
    const project = projects.find((p) => p.id === projectId);
    if (!project) throw invalid('is not a project you belong to');
    if (!chargeableOn(project, day)) throw invalid(`project ${project.code} is closed or outside its validity`);
    return project.id;
  }
  if (projects.length === 0) return null;
  if (open.length === 1) return open[0]!.id;
  if (open.length === 0) throw invalid('none of your projects can be charged today; ask your tenant manager');
  throw invalid(`required: you belong to several projects (${open.map((p) => p.code).join(', ')})`);
}

/** `BookerCharging` as two json columns of a statement (`tenant`, `projects`), for readers that fold it into theirs. */
export function bookerChargingColumns(booker: Pick<Actor, 'userId' | 'tenantId'> | undefined): Prisma.Sql {
  return Prisma.sql`
    (SELECT json_build_object('status', n.status, 'name', n.name) FROM tenants n WHERE n.id = ${booker?.tenantId ?? null}::text) AS "bookerTenant",
    (SELECT coalesce(json_agg(json_build_object('id', p.id, 'code', p.code, 'active', p.active,
        'validFrom', to_char(p.valid_from, 'YYYY-MM-DD'), 'validTo', to_char(p.valid_to, 'YYYY-MM-DD')) ORDER BY p.code), '[]'::json)
      FROM project_members pm JOIN projects p ON p.id = pm.project_id
      WHERE pm.user_id = ${booker?.userId ?? null}::text AND pm.tenant_id = ${booker?.tenantId ?? null}::text) AS "bookerProjects"`;
}
