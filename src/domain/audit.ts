import { z } from 'zod';
import { entityId, instant, text } from './input.js';

// The audit log as admins and lab managers read it: who changed what, when. Newest first, in pages.

export const auditQuerySchema = z.object({
  entityType: entityId().optional().describe('e.g. booking, policy, tool, user, qualification'),
  entityId: text({ min: 1, max: 200 }).optional(),
  actorId: entityId().optional(),
  action: text({ min: 1, max: 100 }).optional().describe('An action, or its prefix ending in a dot, e.g. policy.'),
  from: instant().optional(),
  to: instant().optional(),
  before: z.coerce.number<string | undefined>().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().describe('Entries older than this id (the next page)'),
  limit: z.coerce.number<string | undefined>().int().min(1).max(500).default(100),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEntrySchema = z
  .object({
    id: z.string(),
    at: z.iso.datetime(),
    actorId: z.string().nullable(),
    actorRole: z.string().nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  next: z.string().nullable().describe('`before` for the next page, or null at the end'),
});
