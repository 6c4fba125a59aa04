import { impactOf, planMaintenanceRepair } from '../../src/calendar/repair-plan.js';
import { maintenanceSnapshot } from '../../src/data/maintenance-view.js';
import type { Actor } from '../../src/domain/actor.js';
import type { Impact, MaintenanceKind, MaintenanceSnapshot } from '../../src/domain/maintenance.js';
import type { ActivityDeps } from '../deps.js';
import { maintenanceOverlapError, overlappingMaintenance } from '../../src/data/maintenance-overlap.js';
import { PilotlineError } from '../../src/errors.js';
import { asActivityFailure } from '../failure.js';
import { defaultLotPlanTimeLimitMs } from '../lots/replan.js';
import { recordChange } from '../records.js';

export interface MaintenanceWindowInput {
  requestId: string;
  workflowId: string;
  kind: MaintenanceKind;
  toolIds: string[];
  startsAt: string;
  endsAt: string;
  reason: string;
  requiresRequalification?: boolean;
  actor: Actor;
  /** Applied at once (outages, recurring PM): refused if another applied window is in the way. */
  exclusive?: boolean;
}

/**
 * Records the proposal and returns its impact; nothing on the calendar changes yet. All or
 * nothing: unknown tools (or, for a window applied at once, one already applied in the way) are
 * refused before anything is written, and a failed repair plan leaves no proposal behind.
 */
export function proposeMaintenanceActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function proposeMaintenance(input: MaintenanceWindowInput): Promise<{ snapshot: MaintenanceSnapshot; impact: Impact }> {
    const repairOptions = { lotPlanTimeLimitMs: deps.lotPlanTimeLimitMs ?? defaultLotPlanTimeLimitMs, interruptInUse: input.kind === 'outage' };
    try {
      const toolIds = [...new Set(input.toolIds)].sort();
      const startsAt = new Date(input.startsAt);
      const endsAt = new Date(input.endsAt);
      const existing = await db.maintenance.findUnique({ where: { requestId: input.requestId }, include: { windows: true } });
      if (existing) {
        const repair = await planMaintenanceRepair(
          db,
          { toolIds, startsAt: existing.startsAt, endsAt: existing.endsAt, id: existing.id },
          clock.now(),
          repairOptions,
        );
        return { snapshot: maintenanceSnapshot(existing, clock.now(), toolIds), impact: impactOf(repair) };
      }
      return await db.$transaction(
        async (tx) => {
          const tools = await tx.tool.findMany({ where: { id: { in: toolIds } }, select: { id: true, requiresRequalification: true } });
          const unknown = toolIds.filter((id) => !tools.some((t) => t.id === id));
          if (unknown.length) throw new PilotlineError('NOT_FOUND', `No tool ${unknown.join(', ')}`);
          if (input.exclusive) {
            const inTheWay = await overlappingMaintenance(tx, { toolIds, startsAt, endsAt });
            if (inTheWay.length) throw maintenanceOverlapError(inTheWay);
          }
          const created = await tx.maintenance.create({
            data: {
              requestId: input.requestId,
              workflowId: input.workflowId,
              kind: input.kind,
              state: 'proposed',
              startsAt,
              endsAt,
              reason: input.reason,
              requiresRequalification: input.requiresRequalification ?? tools.some((t) => t.requiresRequalification),
              createdById: input.actor.userId,
              // Its tools, blocking nothing until it is confirmed.
              windows: { create: toolIds.map((toolId) => ({ toolId, startsAt, endsAt, active: false })) },
            },
            include: { windows: true },
          });
          await recordChange(tx, {
            actor: input.actor,
            action: 'maintenance.proposed',
            entityType: 'maintenance',
            entityId: created.id,
            data: { kind: input.kind, toolIds, startsAt: input.startsAt, endsAt: input.endsAt },
          });
          const repair = await planMaintenanceRepair(tx, { toolIds, startsAt, endsAt, id: created.id }, clock.now(), repairOptions);
          return { snapshot: maintenanceSnapshot(created, clock.now(), toolIds), impact: impactOf(repair) };
        },
        { timeout: 30_000 },
      );
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}
