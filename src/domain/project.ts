import { z } from 'zod';
import { calendarDay, entityId, name, text } from './input.js';

// Projects (grants, cost centres) under a tenant: what bookings and lots are charged to, and who
// of the tenant's people may charge them.

export const projectKindSchema = z.enum(['grant', 'cost_centre']);

const validity = {
  validFrom: calendarDay().nullable().describe('First day the project may be charged (none: from its creation)'),
  validTo: calendarDay().nullable().describe('Last day the project may be charged (none: open-ended)'),
};

const validToAfterFrom = (p: { validFrom?: string | null; validTo?: string | null }) =>
  !p.validFrom || !p.validTo || p.validTo >= p.validFrom;

export const newProjectSchema = z
  .object({
    tenantId: entityId(),
    code: text({ min: 1, max: 40 }).describe("The tenant's own reference, e.g. a grant number; unique in the tenant"),
    name: name(200),
    kind: projectKindSchema,
    validFrom: validity.validFrom.optional(),
    validTo: validity.validTo.optional(),
    memberIds: z.array(entityId()).max(200).optional().describe('People of the tenant who may charge it'),
  })
  .refine(validToAfterFrom, { message: 'must not be before validFrom', path: ['validTo'] });
export type NewProject = z.infer<typeof newProjectSchema>;

export const projectChangeSchema = z
  .object({ code: text({ min: 1, max: 40 }), name: name(200), kind: projectKindSchema, active: z.boolean(), ...validity })
  .partial()
  .refine((change) => Object.keys(change).length > 0, { message: 'send at least one field to change' })
  .refine(validToAfterFrom, { message: 'must not be before validFrom', path: ['validTo'] });
export type ProjectChange = z.infer<typeof projectChangeSchema>;

export const projectMemberSchema = z.object({ userId: z.string(), name: z.string(), active: z.boolean() });

export const projectViewSchema = z
  .object({
    id: z.uuid(),
    tenantId: z.string(),
    code: z.string(),
    name: z.string(),
    kind: projectKindSchema,
    active: z.boolean(),
    validFrom: z.iso.date().nullable(),
    validTo: z.iso.date().nullable(),
    members: z.array(projectMemberSchema),
  })
  .meta({ id: 'Project' });
export type ProjectView = z.infer<typeof projectViewSchema>;

export const addMemberSchema = z.object({ userId: entityId() });
