import { isoFromMinute, minuteAtOrAfter, minuteFromDate } from '../domain/time.js';
import { PilotlineError } from '../errors.js';
import type { Db } from '../data/db.js';
import { lotWithSteps, type LotRow } from '../data/lot-view.js';
import type { Impact } from '../domain/maintenance.js';
import { explanationView } from '../domain/placement.js';
import type { Maintenance, RepairPlan, ToolSlot } from '../solver/model.js';
import { repairAfterMaintenance } from '../solver/repair.js';
import { REPAIR_REASON_TEXT } from '../solver/repair/reasons.js';
import { buildSolverState, type SolverState } from '../solver/state.js';
import { MINUTES_PER_DAY } from '../solver/week.js';
import { repairLinkedGroups, withLinkedRepair } from './linked-repair.js';
import { repairLotRoutes, type LotRepair } from './lot-repair.js';
import { loadSolverSnapshot, type DbReader } from './snapshot.js';

/** The repair looks this far around the window for bookings' new slots (their own windows bound them). */
const lookaroundMinutes = 14 * MINUTES_PER_DAY;

export interface MaintenanceWindowScope {
  toolIds: readonly string[];
  startsAt: Date;
  endsAt: Date;
  /** Re-planning an applied maintenance: its own windows are left out of the calendar. */
  maintenanceId?: string;
  /** The plan's id (the maintenance id, or anything for a dry run). */
  id: string;
}

export interface MaintenanceRepairOptions {
  /** The optimizer's budget per lot route in the way. */
  lotPlanTimeLimitMs: number;
  /** An outage: in-use bookings on the tools end now (and the rest of their lot route follows). */
  interruptInUse?: boolean;
}

/** The repair of a window: single bookings by the solver's repair, lot routes each as one route. */
export interface MaintenanceRepair {
  plan: RepairPlan;
  lots: LotRepair[];
}

/**
 * The repair plan of a maintenance window on a fresh calendar: what would move, what could not.
 * Lot routes go first, as whole routes (the harder thing to fit, and a released one costs all its
 * steps), then linked groups, each as one; the single bookings are then repaired around them.
 */
export async function planMaintenanceRepair(
  db: DbReader & Pick<Db, 'maintenanceWindow' | 'lot'>,
  scope: MaintenanceWindowScope,
  now: Date,
  options: MaintenanceRepairOptions,
): Promise<MaintenanceRepair> {
  const tools = await db.tool.findMany({ where: { id: { in: [...scope.toolIds] } }, select: { id: true, toolTypeId: true } });
  const missing = scope.toolIds.filter((id) => !tools.some((t) => t.id === id));
  if (missing.length) throw new PilotlineError('NOT_FOUND', `Unknown tools: ${missing.join(', ')}`);
  const start = minuteFromDate(scope.startsAt);
  const end = Math.max(start + 1, minuteAtOrAfter(scope.endsAt));
  const nowMinute = minuteAtOrAfter(now);
  const calendar = async (toolTypeIds: string[], from: number, to: number) => {
    const state = buildSolverState(
      await loadSolverSnapshot(db, { toolTypeIds: [...new Set(toolTypeIds)], fromMinute: from, toMinute: to, userIds: 'all' }),
    );
    if (scope.maintenanceId) {
      const own = await db.maintenanceWindow.findMany({ where: { maintenanceId: scope.maintenanceId }, select: { id: true } });
      for (const w of own) state.remove(w.id);
    }
    return state;
  };
  const windowTypes = tools.map((t) => t.toolTypeId);
  let state = await calendar(windowTypes, start - lookaroundMinutes, end + lookaroundMinutes);

  const lots = await lotsInTheWay(db, state, scope.toolIds, start, end, options.interruptInUse ?? false);
  const interrupted = new Set<string>();
  if (lots.length) {
    // Their other steps run on other tools, perhaps further out: the calendar of the whole routes.
    state = await calendar(
      [...windowTypes, ...lots.flatMap((l) => l.steps.map((s) => s.toolTypeId))],
      Math.min(start - lookaroundMinutes, ...lots.map((l) => minuteFromDate(l.earliestStart))),
      Math.max(end + lookaroundMinutes, ...lots.map((l) => minuteAtOrAfter(l.latestEnd))),
    );
    for (const step of options.interruptInUse ? lots.flatMap((l) => l.steps) : []) {
      if (step.booking?.state === 'in_use' && scope.toolIds.includes(step.booking.toolId)) interrupted.add(step.booking.id);
    }
  }
  const maintenance: Maintenance[] = scope.toolIds.map((toolId) => ({
    kind: 'maintenance',
    id: `${scope.id}/${toolId}/lots`,
    toolId,
    start,
    end,
    reason: 'planned',
  }));
  const lotRepairs = await repairLotRoutes(lots, state, maintenance, {
    now: nowMinute,
    timeLimitMs: options.lotPlanTimeLimitMs,
    interrupted,
  });
  // Linked groups next, each as one (the single repair would move their bookings apart).
  const linked = repairLinkedGroups(
    state,
    { toolIds: scope.toolIds, start, end },
    maintenance.map((m) => ({ ...m, id: `${scope.id}/${m.toolId}/linked` })),
    { now: nowMinute, flexMinutes: MINUTES_PER_DAY },
  );
  const plan = repairAfterMaintenance({ id: scope.id, toolIds: [...scope.toolIds], start, end, reason: 'planned' }, state, {
    now: nowMinute,
  });
  return { plan: withLinkedRepair(plan, linked), lots: lotRepairs };
}

/**
 * The lots with a step in the window's way (its footprint on one of the tools overlaps it), or,
 * for an outage, a step in use there. Read with their steps, in a stable order.
 */
async function lotsInTheWay(
  db: Pick<Db, 'booking' | 'lot'>,
  state: SolverState,
  toolIds: readonly string[],
  start: number,
  end: number,
  interruptInUse: boolean,
): Promise<LotRow[]> {
  const inTheWay = toolIds.flatMap((id) =>
    state
      .toolContext(id)
      .timeline.overlapping(start, end)
      .map((f) => state.reservation(f.id))
      .filter((r) => r?.kind === 'booking' && (r.state !== 'in_use' || interruptInUse))
      .map((r) => r!.id),
  );
  if (!inTheWay.length) return [];
  const steps = await db.booking.findMany({
    where: { id: { in: inTheWay }, lotStepId: { not: null } },
    select: { lotStep: { select: { lotId: true } } },
  });
  const lotIds = [...new Set(steps.map((s) => s.lotStep!.lotId))];
  if (!lotIds.length) return [];
  return db.lot.findMany({ where: { id: { in: lotIds } }, include: lotWithSteps, orderBy: { id: 'asc' } });
}

export function slotView(slot: ToolSlot) {
  return { toolId: slot.toolId, startsAt: isoFromMinute(slot.start), endsAt: isoFromMinute(slot.end) };
}

export function impactOf({ plan, lots }: MaintenanceRepair): Impact {
  return {
    moves: plan.moves.map((m) => ({
      bookingId: m.bookingId,
      tenantId: m.tenantId,
      from: slotView(m.from),
      to: slotView(m.to),
      reason: m.reason,
      reasonText: REPAIR_REASON_TEXT[m.reason],
    })),
    unplaceable: plan.unplaceable.map((u) => ({
      bookingId: u.bookingId,
      tenantId: u.tenantId,
      from: slotView(u.from),
      reason: u.reason,
      reasonText: REPAIR_REASON_TEXT[u.reason],
      explanation: explanationView(u.explanation),
    })),
    conflicts: plan.conflicts.map((c) => ({ bookingId: c.bookingId, tenantId: c.tenantId, at: slotView(c.at) })),
    lots: lots.map((l) => ({
      lotId: l.lotId,
      tenantId: l.tenantId,
      name: l.name,
      outcome: l.outcome,
      steps: l.steps.map((s) => ({ seq: s.seq, bookingId: s.bookingId, from: slotView(s.from), to: s.to ? slotView(s.to) : null })),
      detail: l.detail,
      qtimeAlert: l.alert,
    })),
    metrics: plan.metrics,
  };
}
