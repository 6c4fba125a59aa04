import { routeTemplateStepsSchema, routeTemplateViewSchema, type RouteTemplateView } from '../domain/route-template.js';
import type { RouteTemplate } from '../generated/prisma/client.js';

/** A route template row as the API shows it; a row that breaks the step shape is a corrupt row, not a 4xx. */
export function routeTemplateView(row: RouteTemplate): RouteTemplateView {
  const steps = routeTemplateStepsSchema.parse(row.steps);
  return routeTemplateViewSchema.parse({
    id: row.id,
    name: row.name,
    description: row.description,
    material: row.material,
    waferSize: row.waferSize,
    contaminationGroup: row.contaminationGroup,
    steps,
    processMin: steps.reduce((sum, s) => sum + s.durationMin, 0),
  });
}
