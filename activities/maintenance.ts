import type { Maintenance, Prisma } from '../src/generated/prisma/client.js';
import type { Clock } from '../src/clock.js';
import { impactOf, planMaintenanceRepair, slotView } from '../src/calendar/repair-plan.js';
import type { Actor } from '../src/domain/actor.js';
import type { BookingSnapshot } from '../src/domain/booking.js';
import type { Impact, MaintenanceKind, MaintenanceSnapshot, MaintenanceState, MaintenanceView } from '../src/domain/maintenance.js';
import { isoFromMinute } from '../src/domain/time.js';
import { PilotlineError } from '../src/errors.js';
import type { Db } from '../src/runtime/database/prisma.js';
import type { RepairPlan } from '../src/solver/model.js';
import { bookingSnapshot } from './booking-rows.js';
import { asActivityFailure } from './failure.js';
import { lockToolTypes } from './locks.js';
import { recordChange, type NotificationDraft } from './records.js';
import { billUsage } from './usage.js';

type Tx = Prisma.TransactionClient;

export interface MaintenanceActivityDeps {
  db: Db;
  clock: Clock;
}

/** A booking changed by maintenance, for its workflow to adopt. */
export interface BookingRevision {
  workflowId: string;
  snapshot: BookingSnapshot;
}

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

function maintenanceView(row: Maintenance & { windows: Array<{ toolId: string }> }, toolIds?: string[]): MaintenanceView {
  return {
    id: row.id,
    requestId: row.requestId,
    kind: row.kind,
    state: row.state,
    toolIds: toolIds ?? row.windows.map((w) => w.toolId).sort(),
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    reason: row.reason,
    requiresRequalification: row.requiresRequalification,
    createdById: row.createdById,
  };
}

/** Maintenance side effects: the repair under the same locks as placement, applied in one transaction. */
export function createMaintenanceActivities(deps: MaintenanceActivityDeps) {
  const { db, clock } = deps;

  const snapshotOf = (row: Maintenance & { windows: Array<{ toolId: string }> }, toolIds?: string[]): MaintenanceSnapshot => {
    const now = clock.now().getTime();
    return {
      maintenance: maintenanceView(row, toolIds),
      startsInMs: row.startsAt.getTime() - now,
      endsInMs: row.endsAt.getTime() - now,
    };
  };

  /** Moves, cancels and (for outages) interrupts the bookings in the way, as the plan says. */
  async function applyPlan(tx: Tx, plan: RepairPlan, actor: Actor, maintenanceId: string, interruptAt: Date | null) {
    if (plan.conflicts.length && !interruptAt) {
      throw new PilotlineError('INVALID_STATE', 'Bookings in use overlap the window; plan it after they end', {
        details: { conflicts: plan.conflicts.map((c) => ({ bookingId: c.bookingId, at: slotView(c.at) })) },
      });
    }
    const revised: string[] = [];
    const notices: NotificationDraft[] = [];
    // Moves may swap bookings into each other's old slots: check the overlap rule at commit.
    await tx.$executeRaw`SET CONSTRAINTS reservations_no_overlap DEFERRED`;
    for (const move of plan.moves) {
      const row = await tx.booking.update({
        where: { id: move.bookingId, state: { in: ['held', 'confirmed'] } },
        data: {
          toolId: move.to.toolId,
          startsAt: new Date(move.to.start * 60_000),
          endsAt: new Date(move.to.end * 60_000),
          movedByMaintenanceId: maintenanceId,
        },
      });
      revised.push(row.id);
      notices.push({
        recipientId: row.userId,
        tenantId: row.tenantId,
        kind: 'booking.moved_by_maintenance',
        subject: `Maintenance moved your booking to ${move.to.toolId} at ${isoFromMinute(move.to.start)}; you may decline (no penalty)`,
        payload: { bookingId: row.id, maintenanceId, from: slotView(move.from), to: slotView(move.to) },
      });
    }
    for (const stranded of plan.unplaceable) {
      const row = await tx.booking.update({
        where: { id: stranded.bookingId, state: { in: ['held', 'confirmed'] } },
        data: { state: 'cancelled', cancelReason: 'maintenance: no slot left within the booking window', lateCancel: false },
      });
      revised.push(row.id);
      notices.push({
        recipientId: row.userId,
        tenantId: row.tenantId,
        kind: 'booking.cancelled_by_maintenance',
        subject: `Maintenance on ${row.toolId}: your booking was cancelled without penalty (no other slot fits its window)`,
        payload: { bookingId: row.id, maintenanceId },
      });
    }
    for (const conflict of plan.conflicts) {
      // An outage interrupts the run: it ends now and is billed to now.
      const at = interruptAt!;
      const current = await tx.booking.findUniqueOrThrow({ where: { id: conflict.bookingId } });
      const row = await tx.booking.update({
        where: { id: conflict.bookingId, state: 'in_use' },
        data: {
          state: 'completed',
          checkedOutAt: at,
          endsAt: new Date(Math.max(at.getTime(), current.startsAt.getTime() + 60_000)),
        },
      });
      await billUsage(tx, row);
      revised.push(row.id);
      notices.push({
        recipientId: row.userId,
        tenantId: row.tenantId,
        kind: 'booking.interrupted',
        subject: `${row.toolId} went down during your run: the booking ended at ${at.toISOString()} and is billed to then`,
        payload: { bookingId: row.id, maintenanceId },
      });
    }
    await recordChange(tx, {
      actor,
      action: 'maintenance.repair_applied',
      entityType: 'maintenance',
      entityId: maintenanceId,
      data: { metrics: plan.metrics, moved: plan.moves.map((m) => m.bookingId), cancelled: plan.unplaceable.map((u) => u.bookingId) },
      notify: notices,
    });
    return revised;
  }

  const withFailures = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (err) {
        throw asActivityFailure(err);
      }
    };

  return {
    /** A preventive-maintenance occurrence's window: `leadDays` from today, 08:00 Hong Kong (00:00 UTC). */
    async pmWindow(input: { leadDays: number; durationMin: number }): Promise<{ startsAt: string; endsAt: string }> {
      const dayMs = 86_400_000;
      const start = Math.floor(clock.now().getTime() / dayMs) * dayMs + input.leadDays * dayMs;
      return { startsAt: new Date(start).toISOString(), endsAt: new Date(start + input.durationMin * 60_000).toISOString() };
    },

    /** Records the proposal and returns its impact; nothing on the calendar changes yet. */
    proposeMaintenance: withFailures(async (input: MaintenanceWindowInput): Promise<{ snapshot: MaintenanceSnapshot; impact: Impact }> => {
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
      const plan = await planMaintenanceRepair(db, { toolIds: input.toolIds, startsAt: row.startsAt, endsAt: row.endsAt, id: row.id }, clock.now());
      return { snapshot: snapshotOf(row, [...input.toolIds].sort()), impact: impactOf(plan) };
    }),

    /**
     * Puts the window on the calendar and moves the bookings in its way, in one transaction, on a
     * fresh repair (the calendar may have changed since the preview). Also re-applies after an
     * extension. Returns the bookings whose workflows must hear of it.
     */
    applyMaintenance: withFailures(
      async (input: {
        maintenanceId: string;
        toolIds: string[];
        endsAt?: string;
        actor: Actor;
        interruptInUse: boolean;
      }): Promise<{ snapshot: MaintenanceSnapshot; impact: Impact; revisions: BookingRevision[] }> => {
        const applied = await db.$transaction(
          async (tx) => {
            const current = await tx.maintenance.findUniqueOrThrow({ where: { id: input.maintenanceId } });
            if (current.state === 'completed' || current.state === 'cancelled') {
              throw new PilotlineError('INVALID_STATE', `The maintenance is ${current.state}`);
            }
            const types = await tx.tool.findMany({ where: { id: { in: input.toolIds } }, select: { toolTypeId: true } });
            await lockToolTypes(tx, [...new Set(types.map((t) => t.toolTypeId))]);
            const endsAt = input.endsAt ? new Date(input.endsAt) : current.endsAt;
            const now = clock.now();
            const plan = await planMaintenanceRepair(
              tx,
              { toolIds: input.toolIds, startsAt: current.startsAt, endsAt, maintenanceId: current.id, id: current.id },
              now,
            );
            const revised = await applyPlan(tx, plan, input.actor, current.id, input.interruptInUse ? now : null);
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
              notify: [{ audience: 'ops', kind: 'maintenance.applied', subject: `Maintenance on ${input.toolIds.join(', ')} applied`, payload: { maintenanceId: current.id } }],
            });
            return { snapshot: snapshotOf(row), impact: impactOf(plan), revised };
          },
          { timeout: 30_000 },
        );
        // What each booking workflow must hear, with instants relative to now (see BookingSnapshot).
        const rows = await db.booking.findMany({ where: { id: { in: applied.revised } } });
        const now = clock.now();
        return {
          snapshot: applied.snapshot,
          impact: applied.impact,
          revisions: rows.map((row) => ({ workflowId: row.workflowId, snapshot: bookingSnapshot(row, now) })),
        };
      },
    ),

    /** Moves the maintenance to `state` and its tools to `toolStatus`, with the audit entry. */
    setMaintenanceState: withFailures(
      async (input: {
        maintenanceId: string;
        state: MaintenanceState;
        toolStatus?: 'up' | 'down' | 'requalifying';
        /** Ends the window now (work finished early, or cancelled): frees the rest of it. */
        endNow?: boolean;
        actor?: Actor;
        note?: string;
      }): Promise<MaintenanceSnapshot> => {
        return db.$transaction(async (tx) => {
          const current = await tx.maintenance.findUniqueOrThrow({ where: { id: input.maintenanceId }, include: { windows: true } });
          const now = clock.now();
          const data: Prisma.MaintenanceUpdateInput = { state: input.state };
          if (input.endNow && now < current.endsAt) {
            const end = new Date(Math.max(now.getTime(), current.startsAt.getTime() + 60_000));
            data.endsAt = end;
            await tx.maintenanceWindow.updateMany({ where: { maintenanceId: current.id }, data: { endsAt: end } });
          }
          if (input.state === 'cancelled') {
            await tx.maintenanceWindow.updateMany({ where: { maintenanceId: current.id }, data: { active: false } });
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
              ? [{ audience: 'ops', kind: `tool.${input.toolStatus}`, subject: `${toolIds.join(', ')} ${input.toolStatus === 'up' ? 'back in service' : input.toolStatus}` }]
              : [],
          });
          return snapshotOf(row);
        });
      },
    ),

    /** A qualification run after the maintenance: recorded either way; a pass brings the tools back. */
    recordRequalification: withFailures(
      async (input: { maintenanceId: string; actor: Actor; passed: boolean; notes?: string }): Promise<MaintenanceSnapshot> => {
        return db.$transaction(async (tx) => {
          const current = await tx.maintenance.findUniqueOrThrow({ where: { id: input.maintenanceId }, include: { windows: true } });
          const toolIds = current.windows.map((w) => w.toolId);
          await recordChange(tx, {
            actor: input.actor,
            action: input.passed ? 'maintenance.requalification_passed' : 'maintenance.requalification_failed',
            entityType: 'maintenance',
            entityId: current.id,
            data: { toolIds, notes: input.notes ?? null },
          });
          if (!input.passed) return snapshotOf(current);
          await tx.tool.updateMany({ where: { id: { in: toolIds } }, data: { status: 'up' } });
          const row = await tx.maintenance.update({ where: { id: current.id }, data: { state: 'completed' }, include: { windows: true } });
          await recordChange(tx, {
            actor: input.actor,
            action: 'maintenance.completed',
            entityType: 'maintenance',
            entityId: current.id,
            notify: [{ audience: 'ops', kind: 'tool.up', subject: `${toolIds.join(', ')} requalified and back in service` }],
          });
          return snapshotOf(row);
        });
      },
    ),
  };
}

export type MaintenanceActivities = ReturnType<typeof createMaintenanceActivities>;
