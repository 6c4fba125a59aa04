import { z } from 'zod';
import { bookingRequestSchema, bookingStateSchema } from './booking.js';
import { entityId, text } from './input.js';

// Training requests: a person asks to be trained on a tool type or tool; a lab manager answers
// with a training booking (trainer and trainee on the tool) or declines; the grant completes it.

export const trainingRequestStatusSchema = z.enum(['requested', 'scheduled', 'completed', 'declined']);

export const newTrainingRequestSchema = z
  .object({
    toolTypeId: entityId().optional(),
    toolId: entityId().optional(),
    note: text({ max: 1000, multiline: true }).optional().describe('What the person wants to do on the tool'),
  })
  .refine((s) => (s.toolTypeId === undefined) !== (s.toolId === undefined), {
    message: 'give toolTypeId or toolId, not both',
    path: ['toolTypeId'],
  });

/** The training booking: the trainee's slot on the tool, with the trainer named. */
export const scheduleTrainingSchema = z.object({ trainerId: entityId() }).and(bookingRequestSchema);
export type ScheduleTraining = z.infer<typeof scheduleTrainingSchema>;

export const declineTrainingSchema = z.object({ reason: text({ min: 1, max: 500, multiline: true }) });

export const trainingRequestViewSchema = z
  .object({
    id: z.uuid(),
    userId: z.string(),
    userName: z.string(),
    tenantId: z.string(),
    toolTypeId: z.string().nullable(),
    toolId: z.string().nullable(),
    note: z.string().nullable(),
    status: trainingRequestStatusSchema,
    booking: z
      .object({
        id: z.string(),
        toolId: z.string(),
        startsAt: z.iso.datetime(),
        endsAt: z.iso.datetime(),
        state: bookingStateSchema,
        trainerId: z.string().nullable(),
      })
      .nullable(),
    decidedById: z.string().nullable(),
    declineReason: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'TrainingRequest' });
export type TrainingRequestView = z.infer<typeof trainingRequestViewSchema>;
