import { z } from 'zod';
import { entityId } from '../../domain/input.js';
import { roles } from '../../domain/roles.js';
import { toolViewSchema } from '../../domain/tool.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';


const listQuery = z.object({
  type: entityId().optional().describe('Only tools of this tool type id'),
  area: entityId().optional().describe('Only tools of this area, e.g. epitaxy'),
});

export function toolRoutes(deps: ApiDeps) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/tools',
      summary: 'Tools with their capabilities and current status',
      tag: 'tools',
      access: roles,
      query: listQuery,
      response: z.object({ tools: z.array(toolViewSchema) }),
      async handler({ query }) {
        const now = deps.clock.now();
        const tools = await deps.db.tool.findMany({
          where: { toolTypeId: query.type, toolType: query.area ? { area: query.area } : undefined },
          orderBy: [{ toolType: { area: 'asc' } }, { id: 'asc' }],
          include: {
            toolType: true,
            maintenanceWindows: {
              where: { active: true, startsAt: { lte: now }, endsAt: { gt: now } },
              include: { maintenance: { select: { kind: true } } },
              take: 1,
            },
          },
        });
        return {
          tools: tools.map((tool) => {
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
                ? {
                    maintenanceId: window.maintenanceId,
                    startsAt: window.startsAt.toISOString(),
                    endsAt: window.endsAt.toISOString(),
                    kind: window.maintenance.kind,
                  }
                : null,
            };
          }),
        };
      },
    }),
  ];
}
