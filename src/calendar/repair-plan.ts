import { isoFromMinute, minuteAtOrAfter, minuteFromDate } from '../domain/time.js';
import { PilotlineError } from '../errors.js';
import type { Db } from '../data/db.js';
import type { Impact } from '../domain/maintenance.js';
import { explanationView } from '../domain/placement.js';
import type { RepairPlan, ToolSlot } from '../solver/model.js';
import { repairAfterMaintenance } from '../solver/repair.js';
import { buildSolverState } from '../solver/state.js';
import { MINUTES_PER_DAY } from '../solver/week.js';
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

/** The repair plan of a maintenance window on a fresh calendar: what would move, what could not. */
export async function planMaintenanceRepair(
  db: DbReader & Pick<Db, 'maintenanceWindow'>,
  scope: MaintenanceWindowScope,
  now: Date,
): Promise<RepairPlan> {
  const tools = await db.tool.findMany({ where: { id: { in: [...scope.toolIds] } }, select: { id: true, toolTypeId: true } });
  const missing = scope.toolIds.filter((id) => !tools.some((t) => t.id === id));
  if (missing.length) throw new PilotlineError('NOT_FOUND', `Unknown tools: ${missing.join(', ')}`);
  const start = minuteFromDate(scope.startsAt);
  const end = Math.max(start + 1, minuteAtOrAfter(scope.endsAt));
  const snapshot = await loadSolverSnapshot(db, {
    toolTypeIds: [...new Set(tools.map((t) => t.toolTypeId))],
    fromMinute: start - lookaroundMinutes,
    toMinute: end + lookaroundMinutes,
    userIds: 'all',
  });
  const state = buildSolverState(snapshot);
  if (scope.maintenanceId) {
    const own = await db.maintenanceWindow.findMany({ where: { maintenanceId: scope.maintenanceId }, select: { id: true } });
    for (const w of own) state.remove(w.id);
  }
  return repairAfterMaintenance({ id: scope.id, toolIds: [...scope.toolIds], start, end, reason: 'planned' }, state, {
    now: minuteAtOrAfter(now),
  });
}

export function slotView(slot: ToolSlot) {
  return { toolId: slot.toolId, startsAt: isoFromMinute(slot.start), endsAt: isoFromMinute(slot.end) };
}

export function impactOf(plan: RepairPlan): Impact {
  return {
    moves: plan.moves.map((m) => ({ bookingId: m.bookingId, tenantId: m.tenantId, from: slotView(m.from), to: slotView(m.to) })),
    unplaceable: plan.unplaceable.map((u) => ({
      bookingId: u.bookingId,
      tenantId: u.tenantId,
      from: slotView(u.from),
      explanation: explanationView(u.explanation),
    })),
    conflicts: plan.conflicts.map((c) => ({ bookingId: c.bookingId, tenantId: c.tenantId, at: slotView(c.at) })),
    metrics: plan.metrics,
  };
}
