import type { MaintenanceSnapshot, MaintenanceView } from '../domain/maintenance.js';
import type { Maintenance } from '../generated/prisma/client.js';

export type MaintenanceRow = Maintenance & { windows: Array<{ toolId: string }> };

/** A maintenance row as the API and workflows see it; `toolIds` when its windows are not written yet. */
export function maintenanceView(row: MaintenanceRow, toolIds?: readonly string[]): MaintenanceView {
  return {
    id: row.id,
    requestId: row.requestId,
    kind: row.kind,
    state: row.state,
    toolIds: toolIds ? [...toolIds] : row.windows.map((w) => w.toolId).sort(),
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    reason: row.reason,
    requiresRequalification: row.requiresRequalification,
    createdById: row.createdById,
  };
}

/** The maintenance with its instants as offsets from `now`, for the workflow's timers. */
export function maintenanceSnapshot(row: MaintenanceRow, now: Date, toolIds?: readonly string[]): MaintenanceSnapshot {
  return {
    maintenance: maintenanceView(row, toolIds),
    startsInMs: row.startsAt.getTime() - now.getTime(),
    endsInMs: row.endsAt.getTime() - now.getTime(),
  };
}
