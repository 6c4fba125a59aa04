import { z } from 'zod';
import type { MailContext, NotificationFacts, RelatedFacts } from './facts.js';
import { formatDay, formatInstant, formatSlot, localiseInstants } from './time.js';

// The words of the allocation rounds' notifications: the week by its Monday, deadlines and slots
// in Hong Kong time, tools by name. A payload without the fields (older rows) gets the stored summary.

const instant = z.iso.datetime({ offset: true });
const roundPayloadSchema = z.object({
  weekStart: instant,
  closesAt: instant.optional(),
  approvalDeadline: instant.optional(),
  toolTypeIds: z.array(z.string()).optional(),
  revision: z.number().optional(),
  granted: z.number().optional(),
  requests: z.number().optional(),
  toolId: z.string().optional(),
  startsAt: instant.optional(),
  endsAt: instant.optional(),
  toolTypeId: z.string().optional(),
  toolIds: z.array(z.string()).optional(),
  windowStart: instant.optional(),
  windowEnd: instant.optional(),
  detail: z.string().optional(),
});

export function roundNotice(facts: NotificationFacts, related: RelatedFacts, context: MailContext): { subject: string; paragraphs: string[] } | undefined {
  const parsed = roundPayloadSchema.safeParse(facts.payload);
  if (!parsed.success) return undefined;
  const p = parsed.data;
  const { now } = context;
  const tool = (id: string) => related.toolNames.get(id) ?? id;
  const week = `the week of ${formatDay(new Date(p.weekStart), now)}`;
  const at = (iso: string) => formatInstant(new Date(iso), now);
  switch (facts.kind) {
    case 'round.opened':
      if (!p.closesAt) return undefined;
      return {
        subject: `Allocation round open for ${week}: requests until ${at(p.closesAt)}`,
        paragraphs: [
          `Time on ${(p.toolTypeIds ?? []).join(', ') || 'the allocated tools'} in ${week} is given out in an allocation round. Submit your requests on the Rounds page until ${at(p.closesAt)}.`,
          'Nothing is booked until a lab manager approves the schedule as a whole; you will hear then what you got.',
        ],
      };
    case 'round.proposal_ready':
      return {
        subject: `Round proposal${p.revision ? ` ${p.revision}` : ''} for ${week}: ${p.granted ?? 0} of ${p.requests ?? 0} requests granted`,
        paragraphs: [
          `The solver proposed a schedule for ${week}. Review it, pin or drop requests or change the shares and run it again, then approve it${p.approvalDeadline ? ` by ${at(p.approvalDeadline)}` : ''}. Nothing is published until you do.`,
        ],
      };
    case 'round.granted': {
      if (!p.toolId || !p.startsAt || !p.endsAt) return undefined;
      const where = `${tool(p.toolId)}, ${formatSlot(new Date(p.startsAt), new Date(p.endsAt), now)}`;
      return {
        subject: `Granted in the round: ${where}`,
        paragraphs: [`The allocation round for ${week} gave you ${where}. It is a confirmed booking.`],
      };
    }
    case 'round.left_out': {
      const wanted = p.toolIds?.length ? p.toolIds.map(tool).join(' or ') : `any ${p.toolTypeId ?? 'tool'}`;
      const window = p.windowStart && p.windowEnd ? ` within ${formatSlot(new Date(p.windowStart), new Date(p.windowEnd), now)}` : '';
      return {
        subject: `Not granted in the round for ${week}: ${wanted}`,
        paragraphs: [
          `Your request for ${wanted}${window} was left out of the round${p.detail ? `: ${localiseInstants(p.detail, now)}` : '.'}`,
          'Time the round leaves free is open to first come, first served: you may ask for a slot, or wait for one on the wait list.',
        ],
      };
    }
    case 'round.lapsed':
      return {
        subject: `The round for ${week} was not approved: nothing was published`,
        paragraphs: [
          `No lab manager approved the schedule for ${week}${p.approvalDeadline ? ` by ${at(p.approvalDeadline)}` : ''}, so the round published nothing and its requests lapsed. The time returns to first come, first served.`,
        ],
      };
    case 'round.published':
      return {
        subject: `Round for ${week} published: ${p.granted ?? 0} bookings`,
        paragraphs: [`The schedule for ${week} is published: ${p.granted ?? 0} of ${p.requests ?? 0} requests granted, and every requester is told.`],
      };
  }
  return undefined;
}
