import { z } from 'zod';
import { ContaminationGroupSchema, MaterialSchema, WaferSizeSchema } from '../solver/materials.js';
import { entityId, name, text } from './input.js';

// Tools and tool types as admins and lab managers add, edit and retire them. A change takes
// effect for new requests; the bookings it would break are listed (src/domain/affected.ts).

const distinct = <T>(values: readonly T[]) => new Set(values).size === values.length;

export const newToolTypeSchema = z.object({
  id: entityId().describe('A short stable id, e.g. gan-mocvd'),
  name: name(120),
  area: entityId().describe('The area of the line, e.g. epitaxy, metrology'),
  description: text({ max: 1000, multiline: true }).optional(),
});

export const toolTypeChangeSchema = z
  .object({ name: name(120), area: entityId(), description: text({ max: 1000, multiline: true }).nullable() })
  .partial()
  .refine((change) => Object.keys(change).length > 0, { message: 'send at least one field to change' });

export const toolTypeViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    area: z.string(),
    description: z.string().nullable(),
    tools: z.number().int().describe('Tools of the type in service (not retired)'),
  })
  .meta({ id: 'ToolType' });
export type ToolTypeView = z.infer<typeof toolTypeViewSchema>;

/** What a tool can take: the solver reads these when it places a booking. */
const capabilities = {
  materials: z.array(MaterialSchema).min(1).max(4).refine(distinct, { message: 'must not repeat a material' }),
  waferSizes: z.array(WaferSizeSchema).min(1).max(3).refine(distinct, { message: 'must not repeat a size' }),
  contaminationClass: ContaminationGroupSchema.describe('The dirtiest wafers the chamber accepts'),
  batchCapacity: z.number().int().min(1).max(200).describe('1, or how many lots a batch tool takes at once'),
  requiresRequalification: z.boolean().describe('After maintenance, the tool waits for a requalification run'),
  location: text({ max: 120 }).nullable(),
};

export const newToolSchema = z.object({
  id: entityId().describe('A short stable id, e.g. MOCVD-3'),
  name: name(120),
  toolTypeId: entityId(),
  materials: capabilities.materials,
  waferSizes: capabilities.waferSizes,
  contaminationClass: capabilities.contaminationClass,
  batchCapacity: capabilities.batchCapacity.default(1),
  requiresRequalification: capabilities.requiresRequalification.default(false),
  location: capabilities.location.optional(),
});
export type NewTool = z.infer<typeof newToolSchema>;

export const toolChangeSchema = z
  .object({ name: name(120), ...capabilities })
  .partial()
  .refine((change) => Object.keys(change).length > 0, { message: 'send at least one field to change' });
export type ToolChange = z.infer<typeof toolChangeSchema>;

export const retireToolSchema = z.object({ reason: text({ max: 500, multiline: true }).optional() });
