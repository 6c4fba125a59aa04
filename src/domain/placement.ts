import { z } from 'zod';
import type { ToolExplanation } from '../solver/model.js';
import { bookingSnapshotSchema, bookingTimingSchema } from './booking.js';
import { isoFromMinute } from './time.js';

/** One ranked slot offered to a tenant. */
export const slotOptionSchema = z
  .object({
    toolId: z.string(),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    approvalRequired: z.boolean(),
    preferred: z.boolean(),
    fragmentationMinutes: z.number().int(),
    gap: z
      .object({ firstStart: z.iso.datetime({ offset: true }), lastStart: z.iso.datetime({ offset: true }) })
      .optional()
      .describe('With startsPerGap: the earliest and latest start the free gap of this option allows in the window'),
    linkedToolIds: z.array(z.string()).optional().describe('Tools the tool needs alongside it, held for the same interval'),
    joinsRun: z.string().optional().describe('Joins the planned run of this batch tool held by that booking (same recipe, room left)'),
  })
  .meta({ id: 'SlotOption' });
export type SlotOption = z.infer<typeof slotOptionSchema>;

/** Why no slot exists, per candidate tool; instants in the reasons are ISO strings. */
export const explanationSchema = z
  .array(
    z.object({
      toolId: z.string(),
      linkedTo: z.string().optional().describe('This tool is needed alongside that candidate tool (a linked tool)'),
      reasons: z.array(
        z
          .object({
            code: z.enum([
              'NOT_QUALIFIED',
              'QUALIFICATION_EXPIRED',
              'INCOMPATIBLE_MATERIAL',
              'WAFER_SIZE',
              'TOOL_DOWN',
              'FULLY_BOOKED',
              'QUOTA_EXCEEDED',
              'OUTSIDE_POLICY',
              'UNKNOWN_TOOL',
              'BATCH_RUN',
            ]),
          })
          .catchall(z.unknown()),
      ),
    }),
  )
  .meta({ id: 'Explanation' });
export type Explanation = z.infer<typeof explanationSchema>;

const instantFields = new Set(['expiresAt', 'boundary', 'weekStart', 'start', 'end']);

/** The solver's explanation (minutes) as the API shows it (ISO instants). */
export function explanationView(explanation: readonly ToolExplanation[]): Explanation {
  const convert = (value: unknown, key?: string): unknown => {
    if (typeof value === 'number' && key !== undefined && instantFields.has(key)) return isoFromMinute(value);
    if (Array.isArray(value)) return value.map((v) => convert(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v, k)]));
    }
    return value;
  };
  return convert(explanation) as Explanation;
}

/** Ranked slots for a request, or why none fits (`POST /api/placements/preview`). */
export const placementPreviewSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('options'), options: z.array(slotOptionSchema) }),
  z.object({ kind: z.literal('unplaced'), explanation: explanationSchema }),
]);
export type PlacementPreview = z.infer<typeof placementPreviewSchema>;

export const placeAndHoldResultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('placed'),
    snapshot: bookingSnapshotSchema,
    timing: bookingTimingSchema,
    approvalRequired: z.boolean(),
    /** The linked tools held alongside, in id order; absent where the placement did not say (a retry, an older worker). */
    linkedToolIds: z.array(z.string()).optional(),
  }),
  z.object({ kind: z.literal('unplaced'), explanation: explanationSchema }),
]);
export type PlaceAndHoldResult = z.infer<typeof placeAndHoldResultSchema>;
