import { z } from 'zod';
import { email, entityId, name, text } from './input.js';

// Tenants (organisations) as admin manages them: class, priority, contacts, active or suspended.

export const tenantClasses = ['institute', 'university', 'industry'] as const;
export const tenantClassSchema = z.enum(tenantClasses);
export const tenantStatusSchema = z.enum(['active', 'suspended']);

const contactFields = {
  contactName: name(200).nullable(),
  contactEmail: email().nullable(),
  contactPhone: text({ max: 50 }).nullable(),
  billingAddress: text({ max: 500, multiline: true }).nullable(),
};

export const newTenantSchema = z.object({
  id: entityId().describe('A short stable id, e.g. uni-harbour'),
  name: name(200),
  class: tenantClassSchema.describe('Sets the rates and the share in allocation'),
  priority: z.number().int().min(0).max(10).default(0).describe('Higher wins ties in contention and repair'),
  contactName: contactFields.contactName.optional(),
  contactEmail: contactFields.contactEmail.optional(),
  contactPhone: contactFields.contactPhone.optional(),
  billingAddress: contactFields.billingAddress.optional(),
});
export type NewTenant = z.infer<typeof newTenantSchema>;

export const tenantChangeSchema = z
  .object({
    name: name(200),
    class: tenantClassSchema,
    priority: z.number().int().min(0).max(10),
    status: tenantStatusSchema.describe("suspended: the tenant's people make no new requests; their bookings stand"),
    suspendedReason: text({ max: 500, multiline: true }).nullable(),
    ...contactFields,
  })
  .partial()
  .refine((change) => Object.keys(change).length > 0, { message: 'send at least one field to change' });
export type TenantChange = z.infer<typeof tenantChangeSchema>;

export const tenantViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    class: tenantClassSchema,
    priority: z.number().int(),
    status: tenantStatusSchema,
    suspendedReason: z.string().nullable(),
    contactName: z.string().nullable(),
    contactEmail: z.string().nullable(),
    contactPhone: z.string().nullable(),
    billingAddress: z.string().nullable(),
    people: z.number().int().describe('Active people of the tenant'),
    projects: z.number().int().describe('Active projects of the tenant'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Tenant' });
export type TenantView = z.infer<typeof tenantViewSchema>;
