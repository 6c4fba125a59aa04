import { impactOf, planMaintenanceRepair } from '../../src/calendar/repair-plan.js';
import { bookingSnapshot } from '../../src/data/booking-view.js';
import { maintenanceSnapshot } from '../../src/data/maintenance-view.js';
import type { Tx } from '../../src/data/db.js';
import type { Actor } from '../../src/domain/actor.js';
import type { BookingSnapshot } from '../../src/domain/booking.js';
import type { Impact, MaintenanceSnapshot, MaintenanceState } from '../../src/domain/maintenance.js';
import { maintenanceOverlapError, overlappingMaintenance } from '../../src/data/maintenance-overlap.js';
import { PilotlineError } from '../../src/errors.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { lockToolTypes } from '../locks.js';
import { recordChange } from '../records.js';
import type { LotRevision } from './apply-lot-repairs.js';
import { applyRepairPlan } from './apply-plan.js';
import { defaultLotPlanTimeLimitMs } from '../lots/replan.js';
import { announceFreedTime, recordFreedTime } from '../wait-list/freed-time.js';
import { timeFreedByRepair } from './freed-by-repair.js';

/** A booking changed by maintenance, for its workflow to adopt. */
export interface BookingRevision {
  kind?: 'booking';
  workflowId: string;
  snapshot: BookingSnapshot;
}

/** What a workflow must hear of after maintenance changed the calendar: a booking, or a lot route. */
export type Revision = BookingRevision | LotRevision;

export interface ApplyMaintenanceInput {
  maintenanceId: string;
  toolIds: string[];
  endsAt?: string;
  actor: Actor;
  interruptInUse: boolean;
}

/**
 * Puts the window on the calendar and moves the bookings in its way, in one transaction, on a
 * fresh repair (the calendar may have changed since the preview). Also re-applies after an
 * extension. Returns the bookings whose workflows must hear of it.
 */
export function applyMaintenanceActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function applyMaintenance(
    input: ApplyMaintenanceInput,
  ): Promise<{ snapshot: MaintenanceSnapshot; impact: Impact; revisions: Revision[] }> {
    try {
      const applied = await db.$transaction(
        async (tx) => {
          const current = await tx.maintenance.findUniqueOrThrow({ where: { id: input.maintenanceId } });
          if (current.state === 'completed' || current.state === 'cancelled') {
            throw new PilotlineError('INVALID_STATE', `The maintenance is ${current.state}`);
          }
          const endsAt = input.endsAt ? new Date(input.endsAt) : current.endsAt;
          await lockToolTypes(tx, await toolTypesInTheWay(tx, input.toolIds, current.startsAt, endsAt));
          // Under the tool types' lock: another maintenance applied on these tools at the same time is named, not a 500.
          const inTheWay = await overlappingMaintenance(tx, { toolIds: input.toolIds, startsAt: current.startsAt, endsAt, exceptMaintenanceId: current.id });
          if (inTheWay.length) throw maintenanceOverlapError(inTheWay);
          const now = clock.now();
          const repair = await planMaintenanceRepair(
            tx,
            { toolIds: input.toolIds, startsAt: current.startsAt, endsAt, maintenanceId: current.id, id: current.id },
            now,
            { lotPlanTimeLimitMs: deps.lotPlanTimeLimitMs ?? defaultLotPlanTimeLimitMs, interruptInUse: input.interruptInUse },
          );
          const revised = await applyRepairPlan(tx, repair, input.actor, current.id, input.interruptInUse ? now : null);
          const window = { toolIds: input.toolIds, startsAt: current.startsAt, endsAt };
          for (const freed of timeFreedByRepair(impactOf(repair), window, now)) await recordFreedTime(tx, freed);
          // A shorter window gives its tail back.
          if (current.state !== 'proposed' && endsAt < current.endsAt) {
            for (const toolId of input.toolIds) {
              const from = new Date(Math.max(endsAt.getTime(), now.getTime()));
              await recordFreedTime(tx, { toolId, startsAt: from, endsAt: current.endsAt, reason: 'maintenance_shortened', sourceId: current.id });
            }
          }
          for (const toolId of input.toolIds) {
            await tx.maintenanceWindow.upsert({
              where: { maintenanceId_toolId: { maintenanceId: current.id, toolId } },
              update: { startsAt: current.startsAt, endsAt, active: true },
              create: { maintenanceId: current.id, toolId, startsAt: current.startsAt, endsAt, active: true },
            });
          }
          const state: MaintenanceState = current.state === 'proposed' ? (current.startsAt <= now ? 'in_progress' : 'scheduled') : current.state;
          const row = await tx.maintenance.update({ where: { id: current.id }, data: { endsAt, state }, include: { windows: true } });
          await recordChange(tx, {
            actor: input.actor,
            action: current.state === 'proposed' ? 'maintenance.confirmed' : 'maintenance.rescheduled',
            entityType: 'maintenance',
            entityId: current.id,
            data: { endsAt: endsAt.toISOString(), state },
            notify: [
              { audience: 'ops', kind: 'maintenance.applied', subject: `Maintenance on ${input.toolIds.join(', ')} applied`, payload: { maintenanceId: current.id } },
            ],
          });
          return { snapshot: maintenanceSnapshot(row, clock.now()), impact: impactOf(repair), revised };
        },
        { timeout: 30_000 },
      );
      await announceFreedTime(deps);
      // What each booking workflow must hear, with instants relative to now (see BookingSnapshot).
      const rows = await db.booking.findMany({ where: { id: { in: applied.revised.bookingIds } } });
      const now = clock.now();
      return {
        snapshot: applied.snapshot,
        impact: applied.impact,
        revisions: [
          ...rows.map((row): BookingRevision => ({ workflowId: row.workflowId, snapshot: bookingSnapshot(row, now) })),
          ...applied.revised.lots,
        ],
      };
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}

/**
 * The tool types the repair may write on: the window's, and every type on the routes of lots with
 * a step on its tools around it, locked together in one sorted pass (two writers never deadlock).
 */
async function toolTypesInTheWay(tx: Tx, toolIds: readonly string[], startsAt: Date, endsAt: Date): Promise<string[]> {
  const margin = 2 * 86_400_000;
  const [tools, steps] = await Promise.all([
    tx.tool.findMany({ where: { id: { in: [...toolIds] } }, select: { toolTypeId: true } }),
    tx.booking.findMany({
      where: {
        toolId: { in: [...toolIds] },
        lotStepId: { not: null },
        state: { in: ['held', 'confirmed', 'in_use'] },
        startsAt: { lt: new Date(endsAt.getTime() + margin) },
        endsAt: { gt: new Date(startsAt.getTime() - margin) },
      },
      select: { lotStep: { select: { lot: { select: { steps: { select: { toolTypeId: true } } } } } } },
    }),
  ]);
  const types = [...tools.map((t) => t.toolTypeId), ...steps.flatMap((b) => b.lotStep!.lot.steps.map((s) => s.toolTypeId))];
  return [...new Set(types)];
}
