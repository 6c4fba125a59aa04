import { z } from 'zod';
import { ContaminationGroupSchema, MaterialSchema } from '../solver/materials.js';
import { waferSizeSchema } from './booking.js';
import { lotStepRequestSchema } from './lot.js';

/** The steps a template holds, as a lot request asks for them (the stored JSON is read through this). */
export const routeTemplateStepsSchema = z.array(lotStepRequestSchema).min(1);

/** A process flow a lot can start from: the steps in order with their durations and Q-time limits. */
export const routeTemplateViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    material: MaterialSchema,
    waferSize: waferSizeSchema,
    contaminationGroup: ContaminationGroupSchema,
    steps: routeTemplateStepsSchema,
    /** The steps' durations added up (minutes), without waits between them. */
    processMin: z.number().int(),
  })
  .meta({ id: 'RouteTemplate' });
export type RouteTemplateView = z.infer<typeof routeTemplateViewSchema>;
