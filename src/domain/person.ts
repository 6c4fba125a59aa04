import { z } from 'zod';
import { roleSchema } from './actor.js';
import { email, entityId, name } from './input.js';

// People as admins and tenant managers manage them: profile, role, tenant, active or deactivated.
// Never a password hash or a token: those are the accounts' (src/domain/account.ts) and never leave.

export const newPersonSchema = z.object({
  id: entityId().describe('A short stable id, e.g. vhu-chan'),
  tenantId: entityId(),
  name: name(100),
  email: email(),
  role: roleSchema.default('tenant_user'),
  projectIds: z.array(z.uuid()).max(50).optional().describe("Projects of the person's tenant they may charge"),
});
export type NewPerson = z.infer<typeof newPersonSchema>;

export const personChangeSchema = z
  .object({ name: name(100), email: email(), role: roleSchema })
  .partial()
  .refine((change) => Object.keys(change).length > 0, { message: 'send at least one field to change' });
export type PersonChange = z.infer<typeof personChangeSchema>;

export const personViewSchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    tenantName: z.string(),
    name: z.string(),
    email: z.string(),
    role: roleSchema,
    active: z.boolean(),
    deactivatedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    projects: z.array(z.object({ id: z.uuid(), code: z.string(), name: z.string() })),
  })
  .meta({ id: 'Person' });
export type PersonView = z.infer<typeof personViewSchema>;
