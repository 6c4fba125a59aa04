import { z } from 'zod';

/** A tool with its capabilities and current status, as the API shows it. */
export const toolViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.object({ id: z.string(), name: z.string(), area: z.string() }),
    materials: z.array(z.string()),
    waferSizes: z.array(z.number().int()),
    contaminationClass: z.string(),
    batchCapacity: z.number().int(),
    requiresRequalification: z.boolean(),
    status: z.enum(['up', 'down', 'requalifying']),
    location: z.string().nullable(),
    currentMaintenance: z
      .object({ maintenanceId: z.string(), startsAt: z.iso.datetime(), endsAt: z.iso.datetime(), kind: z.string() })
      .nullable()
      .describe('The maintenance window covering now, if any'),
    retiredAt: z.iso.datetime().nullable().describe('Retired: takes no new bookings; not listed unless asked for'),
  })
  .meta({ id: 'Tool' });
export type ToolView = z.infer<typeof toolViewSchema>;
