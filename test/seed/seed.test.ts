import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { seedHistory } from '../../src/seed/history.js';
import { seedCatalogue } from '../../src/seed/seed.js';
import { routeTemplateView } from '../../src/data/route-template-view.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
const clock = fixedClock(new Date('2026-11-23T02:00:00Z'));

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.[Symbol.asyncDispose]();
});

async function tableCounts() {
  const { db } = database;
  return {
    toolTypes: await db.toolType.count(),
    tools: await db.tool.count(),
    tenants: await db.tenant.count(),
    users: await db.user.count(),
    tokens: await db.apiToken.count(),
    qualifications: await db.qualification.count(),
    policies: await db.policy.count(),
    rates: await db.rate.count(),
    setupRules: await db.setupRule.count(),
    plans: await db.maintenancePlan.count(),
    routeTemplates: await db.routeTemplate.count(),
    projects: await db.project.count(),
    memberships: await db.projectMember.count(),
  };
}

describe('seedCatalogue', () => {
  it('writes the pilot line once, with no password or token for anybody; a second run adds nothing', async () => {
    const first = await seedCatalogue(database.db, clock);
    const after = await tableCounts();
    expect(after.tools).toBe(first.tools);
    expect(first.tools).toBeGreaterThanOrEqual(38);
    expect(first.tenants).toBe(13);
    expect(after.users).toBe(first.users);
    expect(after.rates).toBe(after.toolTypes * 3);
    expect(first.projects).toBe(13);
    expect(after.projects).toBe(13);
    expect(after.memberships).toBe(first.users);
    // People sign in with what an administrator or `pilotline user` gives them, not demo secrets.
    expect(after.tokens).toBe(0);
    expect(await database.db.user.count({ where: { passwordHash: { not: null } } })).toBe(0);

    await seedCatalogue(database.db, clock);
    expect(await tableCounts()).toEqual(after);
  });

  it('gives every tenant its contacts and a project that all its people belong to', async () => {
    const { db } = database;
    const tenantsWithout = await db.tenant.count({ where: { OR: [{ contactEmail: null }, { projects: { none: {} } }] } });
    expect(tenantsWithout).toBe(0);
    const users = await db.user.findMany({ include: { memberships: { include: { project: true } } } });
    for (const user of users) {
      expect(user.memberships.map((m) => m.project.tenantId), user.id).toEqual([user.tenantId]);
    }
    expect(users.find((u) => u.role === 'tenant_manager')).toMatchObject({ tenantId: 'uni-harbour' });
  });
});

describe('the seed route templates', () => {
  it('can each be run by a person of the seed: every step on tools that take the wafers, within its policy, on a type they are qualified on', async () => {
    const { db } = database;
    const templates = (await db.routeTemplate.findMany()).map(routeTemplateView);
    expect(templates.map((t) => t.name).sort()).toEqual(['GaN HEMT', 'SiC power MOSFET — front end']);
    const order = ['cmos-clean', 'standard', 'au-metal'];
    for (const template of templates) {
      expect(template.steps.some((s) => s.maxLagToNextMin !== undefined), `${template.id} has Q-time limits`).toBe(true);
      for (const step of template.steps) {
        const group = step.contaminationGroup ?? template.contaminationGroup;
        const tools = await db.tool.findMany({ where: { toolTypeId: step.toolTypeId } });
        const fitting = tools.filter(
          (t) => t.materials.includes(template.material) && t.waferSizes.includes(template.waferSize) && order.indexOf(group) <= order.indexOf(t.contaminationClass),
        );
        expect(fitting.length, `${template.id}: ${step.name}`).toBeGreaterThan(0);
        const policy = await db.policy.findFirstOrThrow({ where: { toolTypeId: step.toolTypeId } });
        expect(step.durationMin, `${template.id}: ${step.name}`).toBeGreaterThanOrEqual(policy.minDurationMin);
        expect(step.durationMin, `${template.id}: ${step.name}`).toBeLessThanOrEqual(policy.maxDurationMin);
      }
      const types = [...new Set(template.steps.map((s) => s.toolTypeId))];
      const runners = await db.user.findMany({ where: { role: 'tenant_user', qualifications: { some: {} } }, include: { qualifications: true } });
      const qualified = runners.filter((u) => types.every((type) => u.qualifications.some((q) => q.toolTypeId === type)));
      expect(qualified.length, `${template.id}: someone qualified on every step`).toBeGreaterThan(0);
    }
  });
});

describe('seedHistory', () => {
  it('adds past use that never overlaps on a tool, bills completed bookings, and is not added twice', async () => {
    const { db } = database;
    const lines: string[] = [];
    const report = await seedHistory(db, clock, { days: 21, seed: 7, onProgress: (_d, line) => lines.push(line) });
    expect(report.skipped).toBe(false);
    expect(report.bookings).toBeGreaterThan(500);
    expect(lines.length).toBeGreaterThanOrEqual(38);

    const rows = await db.booking.findMany({ orderBy: [{ toolId: 'asc' }, { startsAt: 'asc' }] });
    expect(rows.every((b) => b.endsAt <= clock.now())).toBe(true);
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1]!, rows[i]!];
      if (a.toolId === b.toolId) expect(b.startsAt.getTime()).toBeGreaterThanOrEqual(a.endsAt.getTime());
    }
    const projects = new Map((await db.project.findMany()).map((p) => [p.tenantId, p.id]));
    expect(rows.every((b) => b.projectId === projects.get(b.tenantId))).toBe(true);
    const completed = rows.filter((b) => b.state === 'completed').length;
    const noShows = rows.filter((b) => b.state === 'no_show').length;
    const lateCancels = rows.filter((b) => b.state === 'cancelled' && b.lateCancel).length;
    expect(lateCancels).toBeGreaterThan(0);
    // Every completed booking is billed its use, every no-show and late cancellation its policy's charge.
    const kinds = await db.usageLine.groupBy({ by: ['kind'], _count: true, orderBy: { kind: 'asc' } });
    expect(Object.fromEntries(kinds.map((k) => [k.kind, k._count]))).toEqual({ use: completed, no_show: noShows, late_cancel: lateCancels });
    const missed = await db.usageLine.findMany({ where: { kind: { not: 'use' } }, include: { booking: true } });
    for (const line of missed) {
      const booked = (line.booking.endsAt.getTime() - line.booking.startsAt.getTime()) / 60_000;
      expect(line.chargePercent).toBe(line.kind === 'no_show' ? 100 : 50);
      expect(line.amountCents).toBe(Math.round((booked * line.rateCents * line.chargePercent!) / 6_000));
      expect(line.chargedAt).toEqual(line.booking.startsAt);
    }
    expect(new Set(rows.map((b) => b.state))).toEqual(new Set(['completed', 'no_show', 'cancelled']));

    const again = await seedHistory(db, clock, { days: 21, seed: 7 });
    expect(again.skipped).toBe(true);
    expect(await db.booking.count()).toBe(rows.length);
  });
});
