import { z } from 'zod';
import { ContaminationGroupSchema, MaterialSchema } from '../solver/materials.js';
import { entityId, minutes } from './input.js';

// Changeovers: a chamber clean or seasoning on a tool (or every tool of a type) between bookings
// whose material or contamination group changes. A change affects new requests; bookings that no
// longer leave room for the changeover are listed.

export const setupDimensionSchema = z.enum(['material', 'contamination']);

const group = z.union([MaterialSchema, ContaminationGroupSchema, z.literal('any')]);

/** The groups a rule names must belong to its dimension (`any` fits both). */
const groupsFit = (r: { dimension?: 'material' | 'contamination'; fromGroup?: string; toGroup?: string }) => {
  if (r.dimension === undefined) return true;
  const vocabulary = r.dimension === 'material' ? MaterialSchema : ContaminationGroupSchema;
  return [r.fromGroup, r.toGroup].every((g) => g === undefined || g === 'any' || vocabulary.safeParse(g).success);
};

export const newSetupRuleSchema = z
  .object({
    toolTypeId: entityId().optional(),
    toolId: entityId().optional(),
    dimension: setupDimensionSchema,
    fromGroup: group.describe('A material or contamination group, or any'),
    toGroup: group,
    minutes: minutes(3 * 24 * 60),
  })
  .refine((s) => (s.toolTypeId === undefined) !== (s.toolId === undefined), {
    message: 'give toolTypeId or toolId, not both',
    path: ['toolTypeId'],
  })
  .refine(groupsFit, { message: 'must be a group of the dimension, or any', path: ['fromGroup'] });
export type NewSetupRule = z.infer<typeof newSetupRuleSchema>;

export const setupRuleChangeSchema = z
  .object({ fromGroup: group, toGroup: group, minutes: minutes(3 * 24 * 60) })
  .partial()
  .refine((change) => Object.keys(change).length > 0, { message: 'send at least one field to change' });
export type SetupRuleChange = z.infer<typeof setupRuleChangeSchema>;

export const setupRuleViewSchema = z
  .object({
    id: z.string(),
    toolTypeId: z.string().nullable(),
    toolId: z.string().nullable(),
    dimension: setupDimensionSchema,
    fromGroup: z.string(),
    toGroup: z.string(),
    minutes: z.number().int(),
  })
  .meta({ id: 'SetupRule' });
export type SetupRuleView = z.infer<typeof setupRuleViewSchema>;

export { groupsFit as setupGroupsFit };
