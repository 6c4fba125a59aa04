import { z } from 'zod';
import { actorSchema } from './actor.js';
import { affectedListingSchema, type AffectedBooking } from './affected.js';
import { entityId, instant, noteSchema, text } from './input.js';

// Qualifications: a lab manager grants one on a tool or a tool type, with an expiry and the
// training record; renews and revokes it. One workflow per person and scope keeps its timers
// (a reminder before the expiry, the lapse at it) and makes every change.

/** A qualification covers one tool or every tool of a type. */
export const qualificationScopeSchema = z
  .object({
    toolTypeId: entityId().optional().describe('Every tool of this type'),
    toolId: entityId().optional().describe('This tool only'),
  })
  .refine((s) => (s.toolTypeId === undefined) !== (s.toolId === undefined), {
    message: 'give toolTypeId or toolId, not both',
    path: ['toolTypeId'],
  });
export type QualificationScope = z.infer<typeof qualificationScopeSchema>;

export const qualificationStates = ['active', 'expired', 'revoked'] as const;
export const qualificationStateSchema = z.enum(qualificationStates);

/** The training record carried with a grant: who trained the person, and when. */
const trainingRecord = {
  trainerId: entityId().optional().describe('Who trained the person (a qualified person or staff)'),
  trainedAt: instant().optional().describe('When the training took place (not in the future)'),
  trainingRequestId: z.uuid().optional().describe('The training request this grant completes'),
};

export const grantBodySchema = z
  .object({
    userId: entityId(),
    toolTypeId: entityId().optional(),
    toolId: entityId().optional(),
    expiresAt: instant().optional().describe('When it lapses (in the future); none: it does not expire'),
    ...trainingRecord,
  })
  .refine((s) => (s.toolTypeId === undefined) !== (s.toolId === undefined), {
    message: 'give toolTypeId or toolId, not both',
    path: ['toolTypeId'],
  });
export type GrantBody = z.infer<typeof grantBodySchema>;

export const renewBodySchema = z.object({
  expiresAt: instant().nullable().describe('The new expiry (in the future); null: it no longer expires'),
  ...trainingRecord,
});
export type RenewBody = z.infer<typeof renewBodySchema>;

export const revokeBodySchema = z.object({ reason: text({ min: 1, max: 500, multiline: true }) });

export const qualificationViewSchema = z
  .object({
    id: z.uuid(),
    userId: z.string(),
    userName: z.string(),
    tenantId: z.string(),
    toolTypeId: z.string().nullable(),
    toolId: z.string().nullable(),
    state: qualificationStateSchema,
    grantedAt: z.iso.datetime(),
    grantedById: z.string().nullable(),
    expiresAt: z.iso.datetime().nullable(),
    trainerId: z.string().nullable(),
    trainedAt: z.iso.datetime().nullable(),
    remindedAt: z.iso.datetime().nullable(),
    lapsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
    revokedById: z.string().nullable(),
    revokeReason: z.string().nullable(),
  })
  .meta({ id: 'Qualification' });
export type QualificationView = z.infer<typeof qualificationViewSchema>;

/** One event of a qualification's history (granted, renewed, reminded, lapsed, revoked…). */
export const qualificationEventSchema = z
  .object({
    at: z.iso.datetime(),
    action: z.string(),
    actorId: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'QualificationEvent' });

/** A change's answer: the qualification and the later bookings it flagged (revocation). */
export const qualificationAnswerSchema = z.object({
  qualification: qualificationViewSchema,
  affected: affectedListingSchema,
});
export type QualificationAnswer = z.infer<typeof qualificationAnswerSchema>;

/** The qualification as the workflow keeps it, its instants as offsets from the activity's clock. */
export const qualificationSnapshotSchema = z.object({
  qualification: qualificationViewSchema,
  expiresInMs: z.number().nullable(),
});
export type QualificationSnapshot = z.infer<typeof qualificationSnapshotSchema>;

/** What a change of a qualification answers through its workflow: the qualification now, the bookings it flagged. */
export interface QualificationChange {
  snapshot: QualificationSnapshot;
  affected: AffectedBooking[];
}

/** Durations of a qualification's life (tests pass seconds). */
export const qualificationTimingSchema = z.object({
  /** The reminder goes out this long before the expiry. */
  reminderLeadMs: z.number().int().min(0),
});
export type QualificationTiming = z.infer<typeof qualificationTimingSchema>;
export const defaultQualificationTiming: QualificationTiming = { reminderLeadMs: 30 * 86_400_000 };

export const qualificationWorkflowInputSchema = z.object({
  userId: entityId(),
  scope: qualificationScopeSchema,
  /** Started to watch a qualification that exists already (at start-up), not by a change. */
  watch: z.boolean().optional(),
  timing: qualificationTimingSchema.partial().optional(),
});
export type QualificationWorkflowInput = z.infer<typeof qualificationWorkflowInputSchema>;

export const grantInputSchema = z.object({
  actor: actorSchema,
  expiresAt: instant().nullable(),
  trainerId: entityId().nullable(),
  trainedAt: instant().nullable(),
  trainingRequestId: z.uuid().nullable(),
});
export type GrantInput = z.infer<typeof grantInputSchema>;

export const renewInputSchema = z.object({
  actor: actorSchema,
  expiresAt: instant().nullable(),
  trainerId: entityId().nullable(),
  trainedAt: instant().nullable(),
});
export type RenewInput = z.infer<typeof renewInputSchema>;

export const revokeInputSchema = z.object({ actor: actorSchema, reason: noteSchema.min(1) });
export type RevokeInput = z.infer<typeof revokeInputSchema>;
