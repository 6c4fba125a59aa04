import { z } from 'zod';
import { entityId, text } from './input.js';
import { tenantClassSchema } from './tenant.js';

// Hourly rates per tool type and tenant class. A change applies to bookings requested from then on:
// it adds a rate valid from now; bookings already requested keep the rate they were requested at.

export const newRateSchema = z.object({
  toolTypeId: entityId(),
  tenantClass: tenantClassSchema,
  hourlyRateCents: z.number().int().min(0).max(100_000_000).describe('In cents of the currency, per hour'),
  currency: text({ min: 3, max: 3 }).regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code, e.g. HKD' }).default('HKD'),
});
export type NewRate = z.infer<typeof newRateSchema>;

export const rateViewSchema = z
  .object({
    id: z.string(),
    toolTypeId: z.string(),
    tenantClass: tenantClassSchema,
    hourlyRateCents: z.number().int(),
    currency: z.string(),
    validFrom: z.iso.datetime(),
    current: z.boolean().describe('The rate new requests get now'),
  })
  .meta({ id: 'Rate' });
export type RateView = z.infer<typeof rateViewSchema>;
