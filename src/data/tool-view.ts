import type { ToolView } from '../domain/tool.js';
import type { Db, Tx } from './db.js';

/** Prisma's `include` for a tool as the API shows it: its type and the maintenance covering `now`. */
export function toolDetails(now: Date) {
  return {
    toolType: true,
    maintenanceWindows: {
      where: { active: true, startsAt: { lte: now }, endsAt: { gt: now } },
      include: { maintenance: { select: { kind: true } } },
      take: 1,
    },
  } as const;
}

type ToolRow = NonNullable<Awaited<ReturnType<typeof readTool>>>;

export function readTool(db: Pick<Db | Tx, 'tool'>, id: string, now: Date) {
  return db.tool.findUnique({ where: { id }, include: toolDetails(now) });
}

export function toolView(tool: ToolRow): ToolView {
  const window = tool.maintenanceWindows[0];
  return {
    id: tool.id,
    name: tool.name,
    type: { id: tool.toolType.id, name: tool.toolType.name, area: tool.toolType.area },
    materials: tool.materials,
    waferSizes: tool.waferSizes,
    contaminationClass: tool.contaminationClass,
    batchCapacity: tool.batchCapacity,
    requiresRequalification: tool.requiresRequalification,
    status: tool.status,
    location: tool.location,
    currentMaintenance: window
      ? { maintenanceId: window.maintenanceId, startsAt: window.startsAt.toISOString(), endsAt: window.endsAt.toISOString(), kind: window.maintenance.kind }
      : null,
    retiredAt: tool.retiredAt?.toISOString() ?? null,
  };
}
