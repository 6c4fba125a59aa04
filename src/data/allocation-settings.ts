import type { Actor } from '../domain/actor.js';
import type { AllocationSettingsView } from '../domain/round.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Db } from './db.js';

/** The standing settings as the API shows them (the defaults before a lab manager set any). */
export async function readAllocationSettings(db: Pick<Db, 'allocationSettings' | 'toolType'>): Promise<AllocationSettingsView> {
  const [row, allocated] = await Promise.all([
    db.allocationSettings.findUnique({ where: { id: 'default' } }),
    db.toolType.findMany({ where: { allocated: true }, select: { id: true }, orderBy: { id: 'asc' } }),
  ]);
  return {
    toolTypeIds: allocated.map((t) => t.id),
    shares: { institute: row?.institutePct ?? 40, university: row?.universityPct ?? 30, industry: row?.industryPct ?? 30 },
    tolerancePts: row?.tolerancePts ?? 1,
  };
}

/** Writes a lab manager's settings (allocated types, shares, tolerance) and the audit entry, in one transaction. */
export async function saveAllocationSettings(db: Db, actor: Actor, settings: AllocationSettingsView): Promise<void> {
  await db.$transaction(async (tx) => {
    const data = {
      institutePct: settings.shares.institute,
      universityPct: settings.shares.university,
      industryPct: settings.shares.industry,
      tolerancePts: settings.tolerancePts,
      updatedById: actor.userId,
    };
    await tx.allocationSettings.upsert({ where: { id: 'default' }, create: { id: 'default', ...data }, update: data });
    await tx.toolType.updateMany({ where: { id: { notIn: settings.toolTypeIds }, allocated: true }, data: { allocated: false } });
    await tx.toolType.updateMany({ where: { id: { in: settings.toolTypeIds } }, data: { allocated: true } });
    await tx.auditLog.create({
      data: {
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'allocation.settings_changed',
        entityType: 'allocation_settings',
        entityId: 'default',
        data: settings as unknown as Prisma.InputJsonValue,
      },
    });
  });
}
