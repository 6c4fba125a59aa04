import { z } from 'zod';
import { LEFT_OUT_REASONS } from '../solver/allocate/reasons.js';
import { explanationSchema } from './placement.js';
import { shareFactsSchema } from './round.js';

// A round's proposed schedule as the lab manager reviews it: what it grants, what it leaves out and
// why, the fairness figures beside first come first served, and the difference to the calendar.

const isoInstant = z.iso.datetime({ offset: true });

const classFiguresSchema = z.object({
  tenantClass: z.string(),
  targetPct: z.number(),
  effectiveTargetPct: z.number().describe('The target after unused share was passed on'),
  requestedMinutes: z.number().int(),
  grantedMinutes: z.number().int(),
  grantedPct: z.number(),
  satisfied: z.boolean().describe('Every request of the class that could fit was granted'),
});

export const roundFiguresSchema = z.object({
  requestedMinutes: z.number().int(),
  grantedMinutes: z.number().int(),
  requests: z.number().int(),
  granted: z.number().int(),
  shareDeviationPts: z.number(),
  maxPoolDeviationPts: z.number(),
  jainIndex: z.number(),
  classes: z.array(classFiguresSchema),
  pools: z.array(
    z.object({
      toolType: z.string(),
      freeMinutes: z.number().int(),
      grantedMinutes: z.number().int(),
      deviationPts: z.number(),
      classes: z.array(classFiguresSchema),
    }),
  ),
  tenants: z.array(
    z.object({
      tenantId: z.string(),
      tenantClass: z.string(),
      requestedMinutes: z.number().int(),
      grantedMinutes: z.number().int(),
      fairMinutes: z.number().int(),
    }),
  ),
});
export type RoundFigures = z.infer<typeof roundFiguresSchema>;

const slotSchema = z.object({ startsAt: isoInstant, endsAt: isoInstant });

export const roundProposalSchema = z
  .object({
    revision: z.number().int(),
    proposedAt: isoInstant,
    shares: z.object({ institute: z.number(), university: z.number(), industry: z.number() }),
    tolerancePts: z.number(),
    iterations: z.number().int(),
    grants: z.array(
      z.object({
        requestId: z.string().describe('The round request'),
        tenantId: z.string(),
        toolId: z.string(),
        startsAt: isoInstant,
        endsAt: isoInstant,
        pinned: z.boolean(),
      }),
    ),
    leftOut: z.array(
      z.object({
        requestId: z.string(),
        tenantId: z.string(),
        reason: z.enum(LEFT_OUT_REASONS),
        words: z.string(),
        share: shareFactsSchema.optional(),
        explanation: explanationSchema,
      }),
    ),
    figures: roundFiguresSchema,
    /** The same requests first come first served, in submission order, on the same calendar. */
    firstComeFirstServed: z.object({
      grantedMinutes: z.number().int(),
      shareDeviationPts: z.number(),
      jainIndex: z.number(),
      classes: z.array(z.object({ tenantClass: z.string(), grantedPct: z.number() })),
    }),
    /** Per tool: the calendar's claims in the week (unchanged by the round), what the round adds, the free time. */
    diff: z.array(
      z.object({
        toolId: z.string(),
        toolTypeId: z.string(),
        existing: z.array(slotSchema.extend({ kind: z.enum(['booking', 'maintenance']) })),
        added: z.array(slotSchema.extend({ requestId: z.string(), tenantId: z.string() })),
        freeMinutesBefore: z.number().int(),
        freeMinutesAfter: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'RoundProposal' });
export type RoundProposal = z.infer<typeof roundProposalSchema>;
