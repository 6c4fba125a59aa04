import { impactOf, planMaintenanceRepair } from '../../src/calendar/repair-plan.js';
import { maintenanceSnapshot } from '../../src/data/maintenance-view.js';
import type { Actor } from '../../src/domain/actor.js';
import type { Impact, MaintenanceKind, MaintenanceSnapshot } from '../../src/domain/maintenance.js';
import type { ActivityDeps } from '../deps.js';
import { defaultLotPlanTimeLimitMs } from '../lots/replan.js';
import { asActivityFailure } from '../failure.js';
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
}

/** Records the proposal and returns its impact; nothing on the calendar changes yet. */
export function proposeMaintenanceActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function proposeMaintenance(input: MaintenanceWindowInput): Promise<{ snapshot: MaintenanceSnapshot; impact: Impact }> {
    try {
      const existing = await db.maintenance.findUnique({ where: { requestId: input.requestId }, include: { windows: true } });
      const requiresRequalification =
        input.requiresRequalification ??
        (await db.tool.count({ where: { id: { in: input.toolIds }, requiresRequalification: true } })) > 0;
      const row =
        existing ??
        (await db.$transaction(async (tx) => {
          const created = await tx.maintenance.create({
            data: {
              requestId: input.requestId,
              workflowId: input.workflowId,
              kind: input.kind,
              state: 'proposed',
              startsAt: new Date(input.startsAt),
              endsAt: new Date(input.endsAt),
              reason: input.reason,
              requiresRequalification,
              createdById: input.actor.userId,
            },
            include: { windows: true },
          });
          await recordChange(tx, {
            actor: input.actor,
            action: 'maintenance.proposed',
            entityType: 'maintenance',
            entityId: created.id,
            data: { kind: input.kind, toolIds: input.toolIds, startsAt: input.startsAt, endsAt: input.endsAt },
          });
          return created;
        }));
      const repair = await planMaintenanceRepair(
        db,
        { toolIds: input.toolIds, startsAt: row.startsAt, endsAt: row.endsAt, id: row.id },
        clock.now(),
        { lotPlanTimeLimitMs: deps.lotPlanTimeLimitMs ?? defaultLotPlanTimeLimitMs, interruptInUse: input.kind === 'outage' },
      );
      return { snapshot: maintenanceSnapshot(row, clock.now(), [...input.toolIds].sort()), impact: impactOf(repair) };
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}
