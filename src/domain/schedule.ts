import { z } from 'zod';

const isoInstant = z.iso.datetime({ offset: true });

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
  }),
  z.object({ kind: z.literal('busy'), startsAt: isoInstant, endsAt: isoInstant }).describe("Another tenant's booking"),
  z.object({
    kind: z.literal('maintenance'),
    maintenanceId: z.string(),
    startsAt: isoInstant,
    endsAt: isoInstant,
    maintenanceKind: z.string(),
    state: z.string(),
  }),
]);

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
  })
  .meta({ id: 'Schedule' });
export type Schedule = z.infer<typeof scheduleSchema>;
