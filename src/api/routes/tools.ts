import { z } from 'zod';
import { toolDetails, toolView } from '../../data/tool-view.js';
import { entityId } from '../../domain/input.js';
import { roles } from '../../domain/roles.js';
import { toolViewSchema } from '../../domain/tool.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';

const listQuery = z.object({
  type: entityId().optional().describe('Only tools of this tool type id'),
  area: entityId().optional().describe('Only tools of this area, e.g. epitaxy'),
  retired: z.stringbool().optional().describe('Also list retired tools (not offered for new requests)'),
});

export function toolRoutes(deps: ApiDeps) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/tools',
      summary: 'Tools with their capabilities and current status; retired ones only when asked for',
      tag: 'tools',
      access: roles,
      query: listQuery,
      response: z.object({ tools: z.array(toolViewSchema) }),
      async handler({ query }) {
        const tools = await deps.db.tool.findMany({
          where: {
            toolTypeId: query.type,
            toolType: query.area ? { area: query.area } : undefined,
            ...(query.retired ? {} : { retiredAt: null }),
          },
          orderBy: [{ toolType: { area: 'asc' } }, { id: 'asc' }],
          include: toolDetails(deps.clock.now()),
        });
        return { tools: tools.map(toolView) };
      },
    }),
  ];
}
