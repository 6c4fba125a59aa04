import type { Actor } from '../domain/actor.js';
import { facilityDay } from '../domain/time.js';
import { PilotlineError } from '../errors.js';
import type { Db, Tx } from './db.js';

type Reader = Pick<Db | Tx, 'projectMember' | 'tenant'>;

const invalid = (message: string) =>
  new PilotlineError('VALIDATION_FAILED', `Invalid body: body.projectId: ${message}`, { issues: [{ field: 'body.projectId', message }] });

/** A project may be charged on `day` when it is active and the day lies in its validity. */
function chargeableOn(project: { active: boolean; validFrom: Date | null; validTo: Date | null }, day: string): boolean {
  const from = project.validFrom?.toISOString().slice(0, 10);
  const to = project.validTo?.toISOString().slice(0, 10);
  return project.active && (from === undefined || from <= day) && (to === undefined || day <= to);
}

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
  if (tenant?.status === 'suspended') {
    throw new PilotlineError('FORBIDDEN', `${tenant.name} is suspended: it makes no new requests until an administrator reactivates it`);
  }
  const day = facilityDay(now);
  const open = memberships.map((m) => m.project).filter((p) => chargeableOn(p, day));
  if (projectId !== undefined) {
    const project = memberships.find((m) => m.project.id === projectId)?.project;
    if (!project) throw invalid('is not a project you belong to');
    if (!chargeableOn(project, day)) throw invalid(`project ${project.code} is closed or outside its validity`);
    return project.id;
  }
  if (memberships.length === 0) return null;
  if (open.length === 1) return open[0]!.id;
  if (open.length === 0) throw invalid('none of your projects can be charged today; ask your tenant manager');
  throw invalid(`required: you belong to several projects (${open.map((p) => p.code).join(', ')})`);
}
