// Every message a workflow accepts, defined once and shared by the client (API, activities) and
// the workflows. Inputs are plain data; validators parse them with the same zod schemas.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  BookingSnapshot,
  BookingView,
  CancelInput,
  DecisionInput,
  RescheduleInput,
  UsageInput,
} from '../src/domain/booking.js';
import type {
  ExtendInput,
  MaintenanceStatus,
  MaintenanceAnswer,
  OpsInput,
  RequalificationInput,
} from '../src/domain/maintenance.js';
import type {
  LotRevisionNotice,
  LotStatus,
  LotStepInput,
  LotView,
  PlaceLotResult,
} from '../src/domain/lot.js';
import type { PlaceAndHoldResult } from '../src/domain/placement.js';
import type { ApproveRoundInput, CloseRoundInput, RerunRoundInput, RoundView } from '../src/domain/round.js';
import { freedTimeSignalName, type AcceptedOffer, type OfferAnswerInput, type WaitListEntryView } from '../src/domain/wait-list.js';
import type { GrantInput, QualificationChange, QualificationView, RenewInput, RevokeInput } from '../src/domain/qualification.js';

/** The first answer of a booking workflow: the held/confirmed booking, or why none exists. */
export const placeUpdate = defineUpdate<PlaceAndHoldResult>('place');
export const approveUpdate = defineUpdate<BookingView, [DecisionInput]>('approve');
export const rejectUpdate = defineUpdate<BookingView, [DecisionInput]>('reject');
export const cancelUpdate = defineUpdate<BookingView, [CancelInput]>('cancel');
export const rescheduleUpdate = defineUpdate<BookingView, [RescheduleInput]>('reschedule');
export const checkInUpdate = defineUpdate<BookingView, [UsageInput]>('checkIn');
export const checkOutUpdate = defineUpdate<BookingView, [UsageInput]>('checkOut');
/**
 * Maintenance moved, cancelled or interrupted the booking (already in the database); its timers
 * follow. A Signal, sent by the maintenance workflow itself: nothing waits on the booking's worker.
 */
export const bookingRevisedSignal = defineSignal<[BookingSnapshot]>('bookingRevised');

export interface BookingStatus {
  booking: BookingView | null;
  /** Set when placement found no slot. */
  unplaced: boolean;
  remindersSent: number;
  movedByMaintenance: boolean;
}
export const bookingStatusQuery = defineQuery<BookingStatus>('status');

/** Update ids are fixed where a retry must not act twice. */
export const placeUpdateId = 'place';

/** The proposal and its impact on the calendar (the repair plan), before anything is applied. */
export const previewMaintenanceUpdate = defineUpdate<MaintenanceAnswer>('preview');
export const confirmMaintenanceUpdate = defineUpdate<MaintenanceAnswer, [OpsInput]>('confirm');
/** A new end (later or earlier): the repair runs again and its moves are applied. */
export const extendMaintenanceUpdate = defineUpdate<MaintenanceAnswer, [ExtendInput]>('extend');
export const cancelMaintenanceUpdate = defineUpdate<MaintenanceAnswer, [OpsInput]>('cancelMaintenance');
export const completeMaintenanceUpdate = defineUpdate<MaintenanceAnswer, [OpsInput]>('complete');
export const requalifiedUpdate = defineUpdate<MaintenanceAnswer, [RequalificationInput]>('requalified');
export const maintenanceStatusQuery = defineQuery<MaintenanceStatus>('maintenanceStatus');

/** The first answer of a lot workflow: every step held (or confirmed), or why the route does not fit. */
export const placeLotUpdate = defineUpdate<PlaceLotResult>('placeLot');
export const approveLotUpdate = defineUpdate<LotView, [DecisionInput]>('approveLot');
export const rejectLotUpdate = defineUpdate<LotView, [DecisionInput]>('rejectLot');
export const cancelLotUpdate = defineUpdate<LotView, [CancelInput]>('cancelLot');
export const checkInLotStepUpdate = defineUpdate<LotView, [LotStepInput]>('checkInStep');
/** Ends a step; a late end re-plans the rest of the route (and may raise a Q-time alert). */
export const checkOutLotStepUpdate = defineUpdate<LotView, [LotStepInput]>('checkOutStep');
export const lotStatusQuery = defineQuery<LotStatus>('lotStatus');
/**
 * Maintenance moved or released the lot's route as a whole (already in the database); the
 * workflow re-reads its lot. A Signal from the maintenance workflow, like `bookingRevised`.
 */
export const lotRevisedSignal = defineSignal<[LotRevisionNotice]>('lotRevised');

/** The first answer of a round workflow: the round it opened (or found), for Update-with-Start. */
export const roundOpenedUpdate = defineUpdate<RoundView>('roundOpened');
/** A lab manager closes the round before its deadline (every tenant has submitted); answers once it is proposed. */
export const closeRoundUpdate = defineUpdate<RoundView, [CloseRoundInput]>('closeRound');
/** A lab manager's pins, drops and shares; the solver runs again and the answer is the new revision. */
export const rerunRoundUpdate = defineUpdate<RoundView, [RerunRoundInput]>('rerunRound');
/** Approves the named revision as a whole: its bookings are written and their workflows started. */
export const approveRoundUpdate = defineUpdate<RoundView, [ApproveRoundInput]>('approveRound');

export interface RoundStatus {
  round: RoundView | null;
  /** Booking workflows started for the published bookings. */
  bookingsStarted: number;
}
export const roundStatusQuery = defineQuery<RoundStatus>('roundStatus');
/** The first answer of a waiter's workflow: the entry on the list (possibly offered at once). */
export const joinWaitListUpdate = defineUpdate<WaitListEntryView>('joinWaitList');
export const joinWaitListUpdateId = 'join';
/** The dispatcher made this waiter an offer (already in the database): the workflow re-reads its entry. */
export const offerMadeSignal = defineSignal<[{ offerId: string }]>('offerMade');
export const acceptOfferUpdate = defineUpdate<AcceptedOffer, [OfferAnswerInput]>('acceptOffer');
export const declineOfferUpdate = defineUpdate<WaitListEntryView, [OfferAnswerInput]>('declineOffer');
export const withdrawFromWaitListUpdate = defineUpdate<WaitListEntryView, [OfferAnswerInput]>('withdrawFromWaitList');
export const waitListStatusQuery = defineQuery<{ entry: WaitListEntryView | null }>('waitListStatus');
/** Freed time was written to the outbox: the dispatcher drains it. Sent by activities after their commit. */
export const freedTimeSignal = defineSignal(freedTimeSignalName);
/** A qualification's changes, each made by its workflow (which keeps its reminder and lapse timers). */
export const grantQualificationUpdate = defineUpdate<QualificationChange, [GrantInput]>('grantQualification');
export const renewQualificationUpdate = defineUpdate<QualificationChange, [RenewInput]>('renewQualification');
export const revokeQualificationUpdate = defineUpdate<QualificationChange, [RevokeInput]>('revokeQualification');
export interface QualificationStatus {
  qualification: QualificationView | null;
  /** Workflow time of the next timer: the reminder or the lapse; null when nothing is timed. */
  nextTimerAt: string | null;
}
export const qualificationStatusQuery = defineQuery<QualificationStatus>('qualificationStatus');
