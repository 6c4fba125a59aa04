import { maintenanceSnapshot } from '../../src/data/maintenance-view.js';
import type { Actor } from '../../src/domain/actor.js';
import type { MaintenanceSnapshot, MaintenanceState } from '../../src/domain/maintenance.js';
import type { Prisma } from '../../src/generated/prisma/client.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { recordChange } from '../records.js';
import { maxWishWindowDays } from '../../src/domain/booking.js';
import { announceFreedTime, recordFreedTime } from '../wait-list/freed-time.js';

export interface MaintenanceStateInput {
  maintenanceId: string;
  state: MaintenanceState;
  toolStatus?: 'up' | 'down' | 'requalifying';
  /** Ends the window now (work finished early, or cancelled): frees the rest of it. */
  endNow?: boolean;
  actor?: Actor;
  note?: string;
}

/** Moves the maintenance to `state` and its tools to `toolStatus`, with the audit entry. */
export function setMaintenanceStateActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function setMaintenanceState(input: MaintenanceStateInput): Promise<MaintenanceSnapshot> {
    try {
      const snapshot = await db.$transaction(async (tx) => {
        const current = await tx.maintenance.findUniqueOrThrow({ where: { id: input.maintenanceId }, include: { windows: true } });
        const now = clock.now();
        const data: Prisma.MaintenanceUpdateInput = { state: input.state };
        if (input.endNow && now < current.endsAt) {
          const end = new Date(Math.max(now.getTime(), current.startsAt.getTime() + 60_000));
          data.endsAt = end;
          await tx.maintenanceWindow.updateMany({ where: { maintenanceId: current.id }, data: { endsAt: end } });
          // Done (or repaired) early: the rest of the window is free again — unless requalification keeps the tool out.
          if (input.toolStatus === 'up') {
            for (const w of current.windows.filter((w) => w.active)) {
              await recordFreedTime(tx, { toolId: w.toolId, startsAt: end, endsAt: w.endsAt, reason: 'maintenance_ended_early', sourceId: current.id });
            }
          }
        }
        if (input.state === 'cancelled') {
          await tx.maintenanceWindow.updateMany({ where: { maintenanceId: current.id }, data: { active: false } });
          for (const w of current.windows.filter((w) => w.active)) {
            const from = new Date(Math.max(w.startsAt.getTime(), now.getTime()));
            await recordFreedTime(tx, { toolId: w.toolId, startsAt: from, endsAt: w.endsAt, reason: 'maintenance_cancelled', sourceId: current.id });
          }
        }
        const toolIds = current.windows.map((w) => w.toolId);
        if (input.toolStatus) await tx.tool.updateMany({ where: { id: { in: toolIds } }, data: { status: input.toolStatus } });
        const row = await tx.maintenance.update({ where: { id: current.id }, data, include: { windows: true } });
        await recordChange(tx, {
          actor: input.actor,
          action: `maintenance.${input.state}`,
          entityType: 'maintenance',
          entityId: current.id,
          data: { from: current.state, to: input.state, toolStatus: input.toolStatus ?? null, note: input.note ?? null },
          notify: input.toolStatus
            ? [{ audience: 'ops', kind: `tool.${input.toolStatus}`, subject: `${toolIds.join(', ')} ${input.toolStatus === 'up' ? 'back in service' : input.toolStatus}`, payload: { maintenanceId: current.id, toolIds } }]
            : [],
        });
        return maintenanceSnapshot(row, clock.now());
      });
      if (input.endNow || input.state === 'cancelled') await announceFreedTime(deps);
      return snapshot;
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}

/** A qualification run after the maintenance: recorded either way; a pass brings the tools back. */
export function recordRequalificationActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function recordRequalification(input: {
    maintenanceId: string;
    actor: Actor;
    passed: boolean;
    notes?: string;
  }): Promise<MaintenanceSnapshot> {
    try {
      const snapshot = await db.$transaction(async (tx) => {
        const current = await tx.maintenance.findUniqueOrThrow({ where: { id: input.maintenanceId }, include: { windows: true } });
        const toolIds = current.windows.map((w) => w.toolId);
        await recordChange(tx, {
          actor: input.actor,
          action: input.passed ? 'maintenance.requalification_passed' : 'maintenance.requalification_failed',
          entityType: 'maintenance',
          entityId: current.id,
          data: { toolIds, notes: input.notes ?? null },
        });
        if (!input.passed) return maintenanceSnapshot(current, clock.now());
        await tx.tool.updateMany({ where: { id: { in: toolIds } }, data: { status: 'up' } });
        // Back in service: whatever a waiter could use on these tools is theirs to be offered.
        const now = clock.now();
        for (const toolId of toolIds) {
          await recordFreedTime(tx, { toolId, startsAt: now, endsAt: new Date(now.getTime() + maxWishWindowDays * 86_400_000), reason: 'requalified', sourceId: current.id });
        }
        const row = await tx.maintenance.update({ where: { id: current.id }, data: { state: 'completed' }, include: { windows: true } });
        await recordChange(tx, {
          actor: input.actor,
          action: 'maintenance.completed',
          entityType: 'maintenance',
          entityId: current.id,
          notify: [{ audience: 'ops', kind: 'tool.up', subject: `${toolIds.join(', ')} requalified and back in service`, payload: { maintenanceId: current.id, toolIds } }],
        });
        return maintenanceSnapshot(row, clock.now());
      });
      if (input.passed) await announceFreedTime(deps);
      return snapshot;
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}

/** A preventive-maintenance occurrence's window: `leadDays` from today, 08:00 Hong Kong (00:00 UTC). */
export function pmWindowActivity(deps: ActivityDeps) {
  const { clock } = deps;
  return async function pmWindow(input: { leadDays: number; durationMin: number }): Promise<{ startsAt: string; endsAt: string }> {
    const dayMs = 86_400_000;
    const start = Math.floor(clock.now().getTime() / dayMs) * dayMs + input.leadDays * dayMs;
    return { startsAt: new Date(start).toISOString(), endsAt: new Date(start + input.durationMin * 60_000).toISOString() };
  };
}
