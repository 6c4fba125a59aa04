import { z } from 'zod';
import { entityId } from './input.js';

/** What a training booking carries through the booking workflow: the trainee owns it, the trainer supervises. */
export const trainingBookingSchema = z.object({
  trainingRequestId: z.uuid(),
  traineeId: entityId(),
  traineeTenantId: entityId(),
  trainerId: entityId(),
});
export type TrainingBooking = z.infer<typeof trainingBookingSchema>;
