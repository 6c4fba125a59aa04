// Every message a workflow accepts, defined once and shared by the client (API, activities) and
// the workflows. Inputs are plain data; validators parse them with the same zod schemas.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  BookingSnapshot,
  BookingView,
  CancelInput,
  DecisionInput,
  RescheduleInput,
  UsageInput,
} from '../src/domain/booking.js';
import type { PlaceAndHoldResult } from '../src/domain/placement.js';

/** The first answer of a booking workflow: the held/confirmed booking, or why none exists. */
export const placeUpdate = defineUpdate<PlaceAndHoldResult>('place');
export const approveUpdate = defineUpdate<BookingView, [DecisionInput]>('approve');
export const rejectUpdate = defineUpdate<BookingView, [DecisionInput]>('reject');
export const cancelUpdate = defineUpdate<BookingView, [CancelInput]>('cancel');
export const rescheduleUpdate = defineUpdate<BookingView, [RescheduleInput]>('reschedule');
export const checkInUpdate = defineUpdate<BookingView, [UsageInput]>('checkIn');
export const checkOutUpdate = defineUpdate<BookingView, [UsageInput]>('checkOut');
/** Maintenance moved the booking (already written to the database); reminders follow it. */
export const bookingMovedUpdate = defineUpdate<BookingView, [BookingSnapshot]>('bookingMoved');

export interface BookingStatus {
  booking: BookingView | null;
  /** Set when placement found no slot. */
  unplaced: boolean;
  remindersSent: number;
}
export const bookingStatusQuery = defineQuery<BookingStatus>('status');

/** The id every booking workflow gets: a retried request finds the same workflow. */
export function bookingWorkflowId(requestId: string): string {
  return `booking-${requestId}`;
}

/** Update ids are fixed where a retry must not act twice. */
export const placeUpdateId = 'place';
