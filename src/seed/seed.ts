import type { Clock } from '../clock.js';
import type { Db } from '../data/db.js';
import { stableHash } from '../domain/stable-hash.js';
import { commercialFactor, policyTemplates, tenants, toolTypes } from './catalogue.js';
import { routeTemplates } from './route-templates.js';

export interface CatalogueReport {
  toolTypes: number;
  tools: number;
  tenants: number;
  users: number;
  projects: number;
}

const dayMs = 86_400_000;

/** The epitaxy reactors and the implanter: where the tenant classes collide. */
const allocatedAtFirst = new Set(['sic-cvd', 'gan-mocvd', 'implanter']);

/**
 * Writes the pilot line (tool types, tools, policies, setup rules, rates, PM plans, tenants with
 * their contacts and project, users and their memberships, qualifications, lot route templates) with
 * upserts on stable ids: running it again changes nothing and adds nothing.
 */
export async function seedCatalogue(db: Db, clock: Clock): Promise<CatalogueReport> {
  const now = clock.now();

  for (const type of toolTypes) {
    await db.toolType.upsert({
      where: { id: type.id },
      update: { name: type.name, area: type.area },
      // The scarce ones start out allocated in weekly rounds; lab managers change that later.
      create: { id: type.id, name: type.name, area: type.area, allocated: allocatedAtFirst.has(type.id) },
    });
    for (const tool of type.tools) {
      const data = {
        name: tool.name,
        toolTypeId: type.id,
        materials: tool.materials,
        waferSizes: tool.waferSizes,
        contaminationClass: tool.contaminationClass,
        batchCapacity: tool.batchCapacity ?? 1,
        requiresRequalification: type.requiresRequalification ?? false,
      };
      await db.tool.upsert({ where: { id: tool.id }, update: data, create: { id: tool.id, ...data } });
    }
    const policy = policyTemplates[type.policy];
    await db.policy.upsert({
      where: { id: `policy-${type.id}` },
      update: {},
      create: { id: `policy-${type.id}`, toolTypeId: type.id, ...policy },
    });
    for (const [i, setup] of (type.setups ?? []).entries()) {
      const id = `setup-${type.id}-${i}`;
      await db.setupRule.upsert({
        where: { id },
        update: {},
        create: { id, toolTypeId: type.id, dimension: setup.dimension, fromGroup: setup.from, toGroup: setup.to, minutes: setup.minutes },
      });
    }
    for (const tenantClass of ['institute', 'university', 'industry'] as const) {
      const rate = tenantClass === 'industry' ? Math.round(type.researchRateCents * commercialFactor) : type.researchRateCents;
      await db.rate.upsert({
        where: { id: `rate-${type.id}-${tenantClass}` },
        update: {},
        create: { id: `rate-${type.id}-${tenantClass}`, toolTypeId: type.id, tenantClass, hourlyRateCents: rate },
      });
    }
    await db.maintenancePlan.upsert({
      where: { id: `pm-${type.id}` },
      update: {},
      create: {
        id: `pm-${type.id}`,
        toolTypeId: type.id,
        everyDays: type.pm.everyDays,
        durationMin: type.pm.durationMin,
        requiresRequalification: type.requiresRequalification ?? false,
      },
    });
  }

  // Links after every tool exists (a linked tool may come later in the catalogue).
  for (const tool of toolTypes.flatMap((t) => t.tools)) {
    for (const linkedToolId of tool.links ?? []) {
      await db.toolLink.upsert({
        where: { toolId_linkedToolId: { toolId: tool.id, linkedToolId } },
        update: {},
        create: { toolId: tool.id, linkedToolId },
      });
    }
  }

  for (const tenant of tenants) {
    const fields = {
      name: tenant.name,
      class: tenant.class,
      priority: tenant.priority,
      contactName: tenant.contact.name,
      contactEmail: tenant.contact.email,
      contactPhone: tenant.contact.phone,
    };
    await db.tenant.upsert({ where: { id: tenant.id }, update: fields, create: { id: tenant.id, ...fields } });
    const project = await db.project.upsert({
      where: { tenantId_code: { tenantId: tenant.id, code: tenant.project.code } },
      update: {},
      create: { tenantId: tenant.id, ...tenant.project },
    });
    for (const user of tenant.users) {
      await db.user.upsert({
        where: { id: user.id },
        update: { name: user.name, role: user.role },
        create: { id: user.id, tenantId: tenant.id, name: user.name, email: `${user.id}@pilotline.example`, role: user.role },
      });
      await db.projectMember.upsert({
        where: { projectId_userId: { projectId: project.id, userId: user.id } },
        update: {},
        create: { projectId: project.id, userId: user.id, tenantId: tenant.id },
      });
      for (const toolTypeId of user.qualifiedOn) {
        const existing = await db.qualification.findFirst({ where: { userId: user.id, toolTypeId, toolId: null } });
        if (!existing) {
          await db.qualification.create({
            data: {
              userId: user.id,
              toolTypeId,
              grantedAt: new Date(now.getTime() - 180 * dayMs),
              // Staggered expiries, so renewals show up in the demo.
              expiresAt: new Date(now.getTime() + (120 + (stableHash(user.id + toolTypeId) % 480)) * dayMs),
            },
          });
        }
      }
    }
  }

  for (const template of routeTemplates) {
    const { id, steps, ...fields } = template;
    const data = { ...fields, steps: steps.map((s) => ({ minLagToNextMin: 0, ...s })) };
    await db.routeTemplate.upsert({ where: { id }, update: data, create: { id, ...data } });
  }

  return {
    toolTypes: toolTypes.length,
    tools: toolTypes.reduce((n, t) => n + t.tools.length, 0),
    tenants: tenants.length,
    users: tenants.reduce((n, t) => n + t.users.length, 0),
    projects: tenants.length,
  };
}
