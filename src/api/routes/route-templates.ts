import { z } from 'zod';
import { routeTemplateView } from '../../data/route-template-view.js';
import { routeTemplateViewSchema } from '../../domain/route-template.js';
import { roles } from '../../domain/roles.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';

export function routeTemplateRoutes(deps: ApiDeps) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/route-templates',
      summary: 'The process flows a lot can start from (GaN HEMT, SiC MOSFET…): each step’s tool type, duration and Q-time limit, ready for POST /api/lots',
      tag: 'lots',
      access: roles,
      response: z.object({ templates: z.array(routeTemplateViewSchema) }),
      async handler() {
        const rows = await deps.db.routeTemplate.findMany({ where: { active: true }, orderBy: { name: 'asc' } });
        return { templates: rows.map(routeTemplateView) };
      },
    }),
  ];
}
