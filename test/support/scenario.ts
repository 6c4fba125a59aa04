import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../src/accounts/passwords.js';
import { newSecret, tokenPrefix } from '../../src/accounts/secrets.js';
import type { Actor } from '../../src/domain/actor.js';
import type { Role } from '../../src/domain/roles.js';
import type { Prisma } from '../../src/generated/prisma/client.js';
import type { Db } from '../../src/data/db.js';

// Builders for a small pilot line in a test database: each returns what it made.

export async function aToolType(db: Db, id: string, extra: Partial<Prisma.ToolTypeUncheckedCreateInput> = {}) {
  return db.toolType.upsert({ where: { id }, update: {}, create: { id, name: id, area: 'test', ...extra } });
}

export async function aTool(db: Db, id: string, toolTypeId: string, extra: Partial<Prisma.ToolUncheckedCreateInput> = {}) {
  await aToolType(db, toolTypeId);
  return db.tool.create({
    data: {
      id,
      name: id,
      toolTypeId,
      materials: ['SiC', 'GaN', 'Si', 'GaN-on-Si'],
      waferSizes: [100, 150, 200],
      contaminationClass: 'au-metal',
      ...extra,
    },
  });
}

export async function aPolicy(db: Db, toolTypeId: string, extra: Partial<Prisma.PolicyUncheckedCreateInput> = {}) {
  return db.policy.create({
    data: {
      id: `policy-${toolTypeId}`,
      toolTypeId,
      minDurationMin: 15,
      maxDurationMin: 12 * 60,
      minNoticeMin: 0,
      maxAdvanceMin: 10 * 365 * 24 * 60,
      ...extra,
    },
  });
}

export async function aTenant(db: Db, id: string, tenantClass: 'institute' | 'university' | 'industry' = 'university') {
  return db.tenant.upsert({ where: { id }, update: {}, create: { id, name: id, class: tenantClass } });
}

export interface TestUser {
  actor: Actor;
  token: string;
  email: string;
  /** Set when the builder was given one (hashing takes ~10 ms, so only where a test signs in). */
  password?: string;
}

/** A user with a bearer token (and a password if given), qualified on the given tool types. */
export async function aUser(
  db: Db,
  id: string,
  tenantId: string,
  role: Role = 'tenant_user',
  qualifiedOn: readonly string[] = [],
  options: { password?: string } = {},
): Promise<TestUser> {
  await aTenant(db, tenantId);
  const email = `${id}@example.org`;
  const passwordHash = options.password === undefined ? null : await hashPassword(options.password);
  await db.user.create({ data: { id, tenantId, name: id, email, role, passwordHash } });
  const { secret: token, hash } = newSecret(tokenPrefix);
  await db.apiToken.create({ data: { userId: id, tokenHash: hash, name: 'test' } });
  for (const toolTypeId of qualifiedOn) {
    await db.qualification.create({ data: { userId: id, toolTypeId, grantedAt: new Date('2020-01-01T00:00:00Z') } });
  }
  return { actor: { userId: id, tenantId, role }, token, email, ...(options.password === undefined ? {} : { password: options.password }) };
}

export async function aRate(db: Db, toolTypeId: string, tenantClass: 'institute' | 'university' | 'industry', hourlyRateCents: number) {
  return db.rate.create({ data: { id: `${toolTypeId}-${tenantClass}`, toolTypeId, tenantClass, hourlyRateCents } });
}

export const newRequestId = () => randomUUID();

/** A lot route template: `steps` as a lot request gives them. */
export async function aRouteTemplate(
  db: Db,
  id: string,
  steps: Array<{ name: string; toolTypeId: string; durationMin: number; minLagToNextMin?: number; maxLagToNextMin?: number }>,
  extra: Partial<Prisma.RouteTemplateUncheckedCreateInput> = {},
) {
  return db.routeTemplate.create({
    data: { id, name: id, material: 'GaN', steps: steps.map((s) => ({ minLagToNextMin: 0, ...s })), ...extra },
  });
}

/** A booking row as a placed one would be written (for tests of what reads or lists bookings, not of placement). */
export async function aBooking(
  db: Db,
  user: { userId: string; tenantId: string },
  toolId: string,
  startsAt: Date,
  extra: Partial<Prisma.BookingUncheckedCreateInput> = {},
) {
  const requestId = randomUUID();
  return db.booking.create({
    data: {
      requestId,
      workflowId: `booking-${requestId}`,
      tenantId: user.tenantId,
      userId: user.userId,
      toolId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
      state: 'confirmed',
      material: 'GaN',
      waferSize: 100,
      ...extra,
    },
  });
}

/** A project of a tenant with these members. */
export async function aProject(db: Db, tenantId: string, code: string, memberIds: readonly string[] = [], extra: Partial<Prisma.ProjectUncheckedCreateInput> = {}) {
  await aTenant(db, tenantId);
  const project = await db.project.create({ data: { tenantId, code, name: code, kind: 'grant', ...extra } });
  if (memberIds.length) await db.projectMember.createMany({ data: memberIds.map((userId) => ({ projectId: project.id, userId, tenantId })) });
  return project;
}
