import { z } from 'zod';
import { ContaminationGroupSchema, MaterialSchema } from '../solver/materials.js';
import { actorSchema } from './actor.js';
import { entityId, instant, noteSchema, text } from './input.js';
import { trainingBookingSchema } from './training-booking.js';

export const bookingStates = [
  'requested',
  'held',
  'confirmed',
  'in_use',
  'completed',
  'rejected',
  'cancelled',
  'expired',
  'no_show',
] as const;
export const bookingStateSchema = z.enum(bookingStates);
export type BookingState = z.infer<typeof bookingStateSchema>;

/** States that hold a claim on the tool's time. */
export const activeBookingStates = ['held', 'confirmed', 'in_use'] as const satisfies readonly BookingState[];
export const terminalBookingStates = ['completed', 'rejected', 'cancelled', 'expired', 'no_show'] as const;

export function isTerminal(state: BookingState): boolean {
  return (terminalBookingStates as readonly string[]).includes(state);
}

const isoInstant = z.iso.datetime({ offset: true }).describe('ISO-8601 instant with offset, e.g. 2027-03-01T09:00:00+08:00');

export const waferSizeSchema = z.union([z.literal(100), z.literal(150), z.literal(200)]).describe('Wafer diameter in mm');

/** The longest window a request may give placement to search (a year and a day). */
export const maxWishWindowDays = 366;

/** The window and shape of tool time asked for; placement picks the slot inside it. */
export const slotWishSchema = z
  .object({
    toolTypeId: entityId().optional().describe('Any tool of this type'),
    toolIds: z.array(entityId()).min(1).max(20).optional().describe('Only these tools'),
    preferredToolId: entityId().optional(),
    durationMin: z.number().int().min(1).max(14 * 24 * 60),
    earliestStart: instant(),
    latestEnd: instant(),
  })
  .refine((w) => w.toolTypeId !== undefined || w.toolIds !== undefined, {
    message: 'give toolTypeId or toolIds',
    path: ['toolTypeId'],
  })
  .refine((w) => Date.parse(w.latestEnd) - Date.parse(w.earliestStart) >= w.durationMin * 60_000, {
    message: 'must leave at least durationMin after earliestStart',
    path: ['latestEnd'],
  })
  .refine((w) => Date.parse(w.latestEnd) - Date.parse(w.earliestStart) <= maxWishWindowDays * 86_400_000, {
    message: `must be at most ${maxWishWindowDays} days after earliestStart`,
    path: ['latestEnd'],
  });
export type SlotWish = z.infer<typeof slotWishSchema>;

/** On a batch tool (furnace): what goes into the run. */
export const batchLoadSchema = z.object({
  recipe: entityId()
    .optional()
    .describe('On a batch tool (furnace): the recipe (temperature profile) to run; a planned run of the same recipe with room left is joined'),
  waferCount: z.number().int().min(1).max(200).optional().describe('Wafers loaded into a batch tool’s run (default 1)'),
});

/** What a tenant asks for; `requestId` is the idempotency key: sending it twice books once. */
export const bookingRequestSchema = z
  .object({
    requestId: z.uuid().describe('Client-chosen UUID; a retry with the same id returns the same booking'),
    material: MaterialSchema,
    waferSize: waferSizeSchema,
    contaminationGroup: ContaminationGroupSchema.default('standard').describe(
      'What the wafers carry: cmos-clean, standard, or au-metal (gold-contaminated)',
    ),
    purpose: text({ max: 500, multiline: true }).optional(),
    projectId: z
      .uuid()
      .optional()
      .describe('The project charged: one the requester belongs to; may be left out when they belong to exactly one, or to none'),
  })
  .extend(batchLoadSchema.shape)
  .and(slotWishSchema);
export type BookingRequest = z.infer<typeof bookingRequestSchema>;

/** Durations of a booking's life in milliseconds, resolved from policy (tests pass seconds). */
export const bookingTimingSchema = z.object({
  approvalTimeoutMs: z.number().int().min(0),
  checkInGraceMs: z.number().int().min(0),
  /** Check-in opens this long before the start. */
  earlyCheckInMs: z.number().int().min(0),
  /** Without a check-out this long after the end, the booking is closed at its planned end. */
  overrunGraceMs: z.number().int().min(0),
  lateCancelMs: z.number().int().min(0),
  reminderOffsetsMs: z.array(z.number().int().min(0)).max(10),
});
export type BookingTiming = z.infer<typeof bookingTimingSchema>;

/** A shared furnace run: its loads' wafers; whose they are only for the viewer's tenant or staff. */
export const runViewSchema = z
  .object({
    holderBookingId: z.string().describe('The booking that holds the run’s time'),
    recipe: z.string(),
    capacityWafers: z.number().int(),
    runWafers: z.number().int().describe('Wafers in the run, every load together'),
    loads: z.array(
      z.object({
        waferCount: z.number().int(),
        mine: z.boolean().describe('This booking’s own load'),
        bookingId: z.string().optional().describe('Only for the viewer’s own tenant or staff'),
        tenantId: z.string().optional().describe('Only for the viewer’s own tenant or staff'),
      }),
    ),
  })
  .meta({ id: 'SharedRun' });
export type RunView = z.infer<typeof runViewSchema>;

export const bookingViewSchema = z
  .object({
    id: z.string(),
    requestId: z.string(),
    tenantId: z.string(),
    userId: z.string(),
    toolId: z.string(),
    startsAt: isoInstant,
    endsAt: isoInstant,
    state: bookingStateSchema,
    material: z.string(),
    waferSize: z.number().int(),
    contaminationGroup: z.string(),
    purpose: z.string().nullable(),
    approvalDeadline: isoInstant.nullable(),
    checkedInAt: isoInstant.nullable(),
    checkedOutAt: isoInstant.nullable(),
    cancelReason: z.string().nullable().describe("Why it was cancelled, or the lab manager's reason for rejecting it"),
    lateCancel: z.boolean(),
    lotStepId: z.string().nullable(),
    movedByMaintenance: z.boolean().describe('Maintenance moved this booking: its tenant may decline the move without penalty'),
    projectId: z.string().nullable().describe('The project charged'),
    trainerId: z.string().nullable().describe('A training booking: the trainer who supervises the booking user'),
    flag: z
      .object({ at: isoInstant, reason: z.string(), qualificationId: z.string().nullable() })
      .nullable()
      .describe("For the lab managers: the user's qualification for the tool lapsed or was revoked before this booking"),
    primaryBookingId: z.string().optional().describe("A linked tool's booking: the booking it is held with (act on that one)"),
    linkedToolIds: z.array(z.string()).optional().describe('The linked tools held alongside for the same interval, moved, cancelled and charged with it'),
    recipe: z.string().optional().describe('On a batch tool: the recipe of its run'),
    waferCount: z.number().int().optional().describe('On a batch tool: wafers this booking loads'),
    run: runViewSchema.optional().describe('On a batch tool: the shared run and its loads (GET /api/bookings/:id)'),
  })
  .meta({ id: 'Booking' });
export type BookingView = z.infer<typeof bookingViewSchema>;

/** The answer to a booking request. */
export const placedBookingSchema = z.object({
  booking: bookingViewSchema,
  approvalRequired: z.boolean().describe('True when the booking is held until a lab manager decides'),
});
export type PlacedBooking = z.infer<typeof placedBookingSchema>;

/**
 * A booking as an activity saw it, with its start and end as offsets from the activity's clock:
 * workflows anchor their timers on these, so an injected clock drives them in tests.
 */
export const bookingSnapshotSchema = z.object({
  booking: bookingViewSchema,
  startsInMs: z.number(),
  endsInMs: z.number(),
  approvalDeadlineInMs: z.number().nullable(),
});
export type BookingSnapshot = z.infer<typeof bookingSnapshotSchema>;

export const bookingWorkflowInputSchema = z.object({
  request: bookingRequestSchema,
  actor: actorSchema,
  /** A training booking made by a lab manager for the trainee (its user), with the trainer named. */
  training: trainingBookingSchema.optional(),
  /** Overrides of the policy's durations (tests run in seconds). */
  timing: bookingTimingSchema.partial().optional(),
});
export type BookingWorkflowInput = z.infer<typeof bookingWorkflowInputSchema>;

export const decisionInputSchema = z.object({ actor: actorSchema, note: noteSchema.optional() });
export type DecisionInput = z.infer<typeof decisionInputSchema>;

export const cancelInputSchema = z.object({
  actor: actorSchema,
  reason: noteSchema.optional(),
  /** Set by ops flows (a tenant declining a maintenance move): never counted as late. */
  penaltyFree: z.boolean().optional(),
});
export type CancelInput = z.infer<typeof cancelInputSchema>;

export const rescheduleInputSchema = z.object({ actor: actorSchema, wish: slotWishSchema });
export type RescheduleInput = z.infer<typeof rescheduleInputSchema>;

export const usageInputSchema = z.object({ actor: actorSchema });
export type UsageInput = z.infer<typeof usageInputSchema>;

/** What a booking workflow ends with: the booking's last state, or why it was never placed. */
export type BookingOutcome =
  | { kind: 'closed'; booking: BookingView }
  | { kind: 'unplaced'; explanation: unknown[] };
