import { z } from 'zod';
import { actorSchema } from './actor.js';
import { bookingRequestSchema, bookingTimingSchema, bookingViewSchema, waferSizeSchema } from './booking.js';
import { noteSchema } from './input.js';

// Wait lists: a request that found no slot waits with its window; time freed on a tool it could
// use is offered to the first compatible waiter in the fair order, as a held booking with a
// response deadline. The order and every offer live in PostgreSQL; each waiter has a workflow.

export const waitListStates = ['waiting', 'offered', 'accepted', 'expired', 'withdrawn'] as const;
export const waitListStateSchema = z.enum(waitListStates);
export type WaitListState = z.infer<typeof waitListStateSchema>;

export function isWaitListClosed(state: WaitListState): boolean {
  return state === 'accepted' || state === 'expired' || state === 'withdrawn';
}

export const offerStates = ['open', 'accepted', 'declined', 'timed_out', 'withdrawn', 'lost'] as const;
export const offerStateSchema = z.enum(offerStates);
export type OfferState = z.infer<typeof offerStateSchema>;

/** How long an offer stays open when nobody says otherwise. */
export const defaultOfferResponseMs = 30 * 60_000;
/** Open offers a tenant may hold at once: while it holds them, its other waiters are passed over. */
export const defaultOpenOffersPerTenant = 1;

const isoInstant = z.iso.datetime({ offset: true });

/** Joining takes the same request as a booking (the UI sends the one that found no slot). */
export const waitListJoinSchema = bookingRequestSchema;
export type WaitListJoin = z.infer<typeof waitListJoinSchema>;

/** The offered slot, as its waiter sees it: their own held time, nothing of anyone else's. */
export const waitListOfferViewSchema = z
  .object({
    id: z.string(),
    state: offerStateSchema,
    toolId: z.string(),
    startsAt: isoInstant,
    endsAt: isoInstant,
    expiresAt: isoInstant.describe('Accept before this instant, or the time goes to the next waiter'),
    bookingId: z.string().describe('The held booking that keeps the slot for you meanwhile'),
  })
  .meta({ id: 'WaitListOffer' });
export type WaitListOfferView = z.infer<typeof waitListOfferViewSchema>;

export const waitListEntryViewSchema = z
  .object({
    id: z.string(),
    requestId: z.string(),
    tenantId: z.string(),
    userId: z.string(),
    state: waitListStateSchema,
    toolTypeId: z.string().nullable(),
    toolIds: z.array(z.string()),
    durationMin: z.number().int(),
    earliestStart: isoInstant,
    latestEnd: isoInstant,
    material: z.string(),
    waferSize: waferSizeSchema,
    contaminationGroup: z.string(),
    purpose: z.string().nullable(),
    joinedAt: isoInstant,
    closedAt: isoInstant.nullable(),
    closeReason: z.string().nullable(),
    bookingId: z.string().nullable().describe('The booking an accepted offer became'),
    offer: waitListOfferViewSchema.nullable().describe('The open offer, if any'),
  })
  .meta({ id: 'WaitListEntry' });
export type WaitListEntryView = z.infer<typeof waitListEntryViewSchema>;

/** An entry as an activity saw it, with its deadlines as offsets from the activity's clock. */
export const waitListSnapshotSchema = z.object({
  entry: waitListEntryViewSchema,
  /** Until the latest start the window allows: then the waiter leaves the list. */
  expiresInMs: z.number(),
  offerExpiresInMs: z.number().nullable(),
  /** The request id of the booking an accepted offer became: the waiter's workflow hands over to its workflow. */
  acceptedBookingRequestId: z.string().nullable(),
});
export type WaitListSnapshot = z.infer<typeof waitListSnapshotSchema>;

export const waitListTimingSchema = z.object({
  /** How long each offer stays open. */
  offerResponseMs: z.number().int().min(1_000).max(7 * 86_400_000),
  /** Passed to the booking workflow an accepted offer starts. */
  booking: bookingTimingSchema.partial(),
});
export type WaitListTiming = z.infer<typeof waitListTimingSchema>;

export const waitListWorkflowInputSchema = z.object({
  request: waitListJoinSchema,
  actor: actorSchema,
  timing: waitListTimingSchema.partial().optional(),
});
export type WaitListWorkflowInput = z.infer<typeof waitListWorkflowInputSchema>;

export const offerAnswerInputSchema = z.object({ actor: actorSchema, note: noteSchema.optional() });
export type OfferAnswerInput = z.infer<typeof offerAnswerInputSchema>;

/** What accepting an offer answers: the entry, closed, and the booking its offer became. */
export const acceptedOfferSchema = z.object({ entry: waitListEntryViewSchema, booking: bookingViewSchema });
export type AcceptedOffer = z.infer<typeof acceptedOfferSchema>;

export type WaitListOutcome = { entry: WaitListEntryView };

/** Time freed on one tool: what the dispatcher offers to waiters. */
export interface FreedInterval {
  toolId: string;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  sourceId?: string;
  /** Waiters who already let this time go. */
  passedOver?: readonly string[];
}

/** The waiter whose workflow must hear of a new offer. */
export interface OfferMade {
  workflowId: string;
  entryId: string;
  offerId: string;
}

/** The dispatcher's workflow type and wake-up signal, named here so activities can signal it by name. */
export const waitListDispatcherWorkflowType = 'waitListDispatcherWorkflow';
export const freedTimeSignalName = 'freedTime';
