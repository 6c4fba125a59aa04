import { PilotlineError } from '../errors.js';
import type { Db, Tx } from './db.js';

/** An applied maintenance window on a tool: it blocks any other maintenance on that tool at the same time. */
export interface MaintenanceWindowOnTool {
  maintenanceId: string;
  kind: string;
  state: string;
  toolId: string;
  startsAt: string;
  endsAt: string;
}

/** Applied (active) windows of other maintenance on these tools that overlap `[startsAt, endsAt)`. */
export async function overlappingMaintenance(
  db: Db | Tx,
  scope: { toolIds: readonly string[]; startsAt: Date; endsAt: Date; exceptMaintenanceId?: string },
): Promise<MaintenanceWindowOnTool[]> {
  const windows = await db.maintenanceWindow.findMany({
    where: {
      toolId: { in: [...scope.toolIds] },
      active: true,
      startsAt: { lt: scope.endsAt },
      endsAt: { gt: scope.startsAt },
      ...(scope.exceptMaintenanceId ? { maintenanceId: { not: scope.exceptMaintenanceId } } : {}),
    },
    include: { maintenance: { select: { kind: true, state: true } } },
    orderBy: [{ startsAt: 'asc' }, { toolId: 'asc' }],
  });
  return windows.map((w) => ({
    maintenanceId: w.maintenanceId,
    kind: w.maintenance.kind,
    state: w.maintenance.state,
    toolId: w.toolId,
    startsAt: w.startsAt.toISOString(),
    endsAt: w.endsAt.toISOString(),
  }));
}

/** The refusal that names the windows in the way, with what to do instead. */
export function maintenanceOverlapError(windows: readonly MaintenanceWindowOnTool[]): PilotlineError {
  const [first] = windows;
  const named = windows.map((w) => `${w.toolId}: ${w.kind} maintenance ${w.maintenanceId} (${w.state}) ${w.startsAt} – ${w.endsAt}`);
  const hint =
    first && first.state === 'in_progress'
      ? ` ${first.toolId} is already down: to change when it comes back, POST /api/maintenance/${first.maintenanceId}/extend.`
      : ' Move or cancel one of them first.';
  return new PilotlineError('MAINTENANCE_OVERLAP', `The window overlaps maintenance already applied — ${named.join('; ')}.${hint}`, {
    details: { overlapping: windows },
  });
}
