import { z } from 'zod';

const isoInstant = z.iso.datetime({ offset: true });

/** The states drawn on the schedule: what holds the tool now, and what used it (the completed layer). */
export const scheduleBookingStates = ['held', 'confirmed', 'in_use', 'completed', 'no_show'] as const;

/** One block on a tool's row of the schedule; another tenant's booking is only `busy`. */
export const blockSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('booking'),
    id: z.string(),
    startsAt: isoInstant,
    endsAt: isoInstant,
    state: z.string(),
    tenantId: z.string(),
    userId: z.string(),
    material: z.string(),
    /** When use really began and ended (the completed layer draws these). */
    checkedInAt: isoInstant.nullable(),
    checkedOutAt: isoInstant.nullable(),
    lot: z.object({ id: z.string(), name: z.string(), seq: z.number().int() }).nullable().describe('The lot route this booking is a step of'),
  }),
  z.object({ kind: z.literal('busy'), startsAt: isoInstant, endsAt: isoInstant }).describe("Another tenant's booking"),
  z.object({
    kind: z.literal('maintenance'),
    maintenanceId: z.string(),
    startsAt: isoInstant,
    endsAt: isoInstant,
    maintenanceKind: z.string(),
    state: z.string(),
    reason: z.string(),
  }),
]);
export type ScheduleBlock = z.infer<typeof blockSchema>;

export const scheduleSchema = z
  .object({
    from: isoInstant,
    to: isoInstant,
    tools: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        type: z.string(),
        area: z.string(),
        status: z.string(),
        blocks: z.array(blockSchema),
      }),
    ),
    /** Names of the tenants and people whose bookings the caller sees in full (by id): labels, not ids. */
    tenants: z.record(z.string(), z.string()),
    users: z.record(z.string(), z.string()),
  })
  .meta({ id: 'Schedule' });
export type Schedule = z.infer<typeof scheduleSchema>;
