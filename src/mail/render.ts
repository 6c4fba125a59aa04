import { z } from 'zod';
import type { BookingFacts, MailContext, NotificationFacts, RelatedFacts, Slot } from './facts.js';
import { roundNotice } from './round-words.js';
import { formatInstant, formatSlot, localiseInstants } from './time.js';

// The words of each notification kind: a subject and a few sentences, in Hong Kong time. Times come
// from the notification (as they were when it happened), else from the rows it names.

export interface Notice {
  subject: string;
  paragraphs: string[];
}

const slotSchema = z.object({ toolId: z.string(), startsAt: z.iso.datetime({ offset: true }), endsAt: z.iso.datetime({ offset: true }) });
const stepSchema = z.object({ seq: z.number(), to: slotSchema.nullable().optional() });
const payloadSchema = z
  .object({
    toolId: z.string(),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    from: slotSchema,
    to: slotSchema,
    minutesBefore: z.number(),
    note: z.string().nullable(),
    lateCancel: z.boolean(),
    detail: z.string(),
    steps: z.array(stepSchema),
    toolIds: z.array(z.string()),
    expiresAt: z.iso.datetime({ offset: true }),
    toolTypeId: z.string(),
  })
  .partial();

/** What the payload says, each field only when it has the right shape (old rows may lack some). */
function readPayload(payload: Record<string, unknown>) {
  const shape = payloadSchema.shape;
  const read = <K extends keyof typeof shape>(key: K): z.infer<(typeof shape)[K]> | undefined => {
    const parsed = shape[key].safeParse(payload[key]);
    return parsed.success ? (parsed.data as z.infer<(typeof shape)[K]>) : undefined;
  };
  return {
    toolId: read('toolId'),
    startsAt: read('startsAt'),
    endsAt: read('endsAt'),
    from: read('from'),
    to: read('to'),
    minutesBefore: read('minutesBefore'),
    note: read('note'),
    lateCancel: read('lateCancel'),
    detail: read('detail'),
    steps: read('steps'),
    toolIds: read('toolIds'),
    expiresAt: read('expiresAt'),
    toolTypeId: read('toolTypeId'),
  };
}

const asSlot = (s: z.infer<typeof slotSchema>): Slot => ({ toolId: s.toolId, startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt) });

function lead(minutes: number): string {
  if (minutes >= 1440 && minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes >= 60 && minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return `${minutes} minutes`;
}

/** Renders one notification for one reader. */
export function renderNotice(facts: NotificationFacts, related: RelatedFacts, context: MailContext): Notice {
  if (facts.kind.startsWith('round.')) {
    const words = roundNotice(facts, related, context);
    if (words) return words;
  }
  const p = readPayload(facts.payload);
  const { now } = context;
  const tool = (id: string) => related.toolNames.get(id) ?? id;
  const booking = related.booking;
  // The booking's slot when the notification was written, else as it is now.
  const slot: Slot | undefined =
    p.startsAt && p.endsAt && booking
      ? { toolId: p.toolId ?? booking.toolId, startsAt: new Date(p.startsAt), endsAt: new Date(p.endsAt) }
      : booking;
  const where = (s: Slot) => `${tool(s.toolId)}, ${formatSlot(s.startsAt, s.endsAt, now)}`;
  const note = p.note ? [`Note: ${p.note}`] : [];
  const purpose = (b: BookingFacts | undefined) => (b?.purpose ? [`Purpose: ${b.purpose}`] : []);
  const lotName = related.lot?.name ?? 'Your lot route';
  const steps = () =>
    (p.steps ?? [])
      .filter((s) => s.to)
      .map((s) => `Step ${s.seq}: ${where(asSlot(s.to!))}`);
  const lotSteps = () =>
    (related.lot?.steps ?? []).filter((s) => s.slot).map((s) => `Step ${s.seq} ${s.name}: ${where(s.slot!)}`);

  if (slot) {
    const at = where(slot);
    switch (facts.kind) {
      case 'booking.held':
        return { subject: `Held: ${at}, waiting for approval`, paragraphs: [`Your booking of ${at} is held while a lab manager decides. You will hear when it is approved or rejected.`, ...purpose(booking)] };
      case 'booking.confirmed':
        return { subject: `Confirmed: ${at}`, paragraphs: [`Your booking of ${at} is confirmed.`, ...purpose(booking)] };
      case 'booking.approved':
        return { subject: `Approved: ${at}`, paragraphs: [`A lab manager approved your booking of ${at}.`, ...note] };
      case 'booking.rejected':
        return { subject: `Rejected: ${at}`, paragraphs: [`A lab manager rejected your booking of ${at}; the slot is free again.`, ...note] };
      case 'booking.expired':
        return { subject: `Hold released: ${at}`, paragraphs: [`No lab manager decided on your booking of ${at} in time, so its hold was released.`] };
      case 'booking.rescheduled':
        return { subject: `Rescheduled: ${at}`, paragraphs: [`Your booking now has the slot ${at}.`] };
      case 'booking.cancelled':
        return {
          subject: `Cancelled: ${at}`,
          paragraphs: [`Your booking of ${at} is cancelled.`, ...(p.lateCancel ? ['It was cancelled late: the tool\u2019s late-cancellation charge applies.'] : [])],
        };
      case 'booking.reminder':
        return {
          subject: `Reminder: ${at}${p.minutesBefore ? ` (in ${lead(p.minutesBefore)})` : ''}`,
          paragraphs: [`Your booking of ${at} starts ${p.minutesBefore ? `in ${lead(p.minutesBefore)}` : 'soon'}. Check in at the tool when you start.`, ...purpose(booking)],
        };
      case 'booking.no_show':
        return { subject: `No check-in: ${at} released`, paragraphs: [`Nobody checked in for your booking of ${at}, so the slot was released and counts as a no-show.`] };
      case 'booking.completed':
        return { subject: `Completed: ${at}`, paragraphs: [`Your booking of ${at} is completed; usage is billed from check-in to check-out.`] };
      case 'booking.cancelled_by_maintenance':
        return {
          subject: `Cancelled by maintenance: ${at}`,
          paragraphs: [`Maintenance needs ${tool(slot.toolId)} and no other slot fits your booking\u2019s window, so your booking of ${at} was cancelled without penalty. Please request a new slot.`],
        };
      case 'booking.interrupted': {
        const ended = booking?.checkedOutAt ?? booking?.endsAt;
        return {
          subject: `${tool(slot.toolId)} went down during your run`,
          paragraphs: [`${tool(slot.toolId)} went down during your booking${ended ? `; the run ended at ${formatInstant(ended, now)} and is billed to then` : ''}.`],
        };
      }
      case 'booking.moved_by_maintenance': {
        const to = p.to ? asSlot(p.to) : slot;
        const from = p.from ? ` of ${where(asSlot(p.from))}` : '';
        const m = related.maintenance;
        const on = m ? `on ${m.toolIds.map(tool).join(', ')} (${formatSlot(m.startsAt, m.endsAt, now)}) ` : '';
        return {
          subject: `Moved by maintenance: ${where(to)}`,
          paragraphs: [
            `Maintenance ${on}moved your booking${from} to ${where(to)}.`,
            'If the new time does not suit you, decline the move in Pilotline: the booking is then cancelled without penalty.',
          ],
        };
      }
      case 'wait_list.offer':
        return {
          subject: `Time came free for you: ${at}${p.expiresAt ? `; answer by ${formatInstant(new Date(p.expiresAt), now)}` : ''}`,
          paragraphs: [
            `${at} came free in the window you are waiting for. It is held for you${p.expiresAt ? ` until ${formatInstant(new Date(p.expiresAt), now)}` : ''}: accept it on your wait list, or it goes to the next waiter.`,
          ],
        };
      case 'wait_list.accepted':
        return { subject: `Offer accepted: ${at}`, paragraphs: [`You accepted the offer of ${at}; it is your booking now.`] };
      case 'wait_list.offer_declined':
        return { subject: `Offer declined: ${at}`, paragraphs: [`You declined ${at}; it goes to the next waiter. You stay on the wait list.`] };
      case 'wait_list.offer_timed_out':
        return { subject: `Offer lapsed: ${at}`, paragraphs: [`The offer of ${at} was not answered in time and went to the next waiter. You stay on the wait list.`] };
      case 'wait_list.offer_withdrawn':
        return { subject: `Offer released: ${at}`, paragraphs: [`The offer of ${at} was released to the next waiter.`] };
      case 'wait_list.offer_lost':
        return { subject: `Offer taken back: ${at}`, paragraphs: [`Maintenance needs ${at}, so the offer could not stand. You stay on the wait list.`] };
      case 'approval.needed':
        if (booking) {
          return {
            subject: `Approval needed: ${at} for ${booking.requester.name} (${booking.requester.tenantName})`,
            paragraphs: [`${booking.requester.name} of ${booking.requester.tenantName} asks for ${at}. The slot is held until you approve or reject it.`, ...purpose(booking)],
          };
        }
    }
  }
  const lot = related.lot;
  switch (facts.kind) {
    case 'approval.needed':
      if (lot) {
        return {
          subject: `Approval needed: lot route ${lot.name} for ${lot.requester.name} (${lot.requester.tenantName})`,
          paragraphs: [`${lot.requester.name} of ${lot.requester.tenantName} asks for a route of ${lot.steps.length} steps, held until you decide:`, ...lotSteps()],
        };
      }
      break;
    case 'lot.held':
      return { subject: `Held: lot route ${lotName}, waiting for approval`, paragraphs: [`${lotName} is held while a lab manager decides:`, ...lotSteps()] };
    case 'lot.confirmed':
      return { subject: `Confirmed: lot route ${lotName}`, paragraphs: [`${lotName} is confirmed:`, ...lotSteps()] };
    case 'lot.approved':
      return { subject: `Approved: lot route ${lotName}`, paragraphs: [`A lab manager approved ${lotName}:`, ...lotSteps(), ...note] };
    case 'lot.rejected':
      return { subject: `Rejected: lot route ${lotName}`, paragraphs: [`A lab manager rejected ${lotName}; its slots are free again.`, ...note] };
    case 'lot.expired':
      return { subject: `Hold released: lot route ${lotName}`, paragraphs: [`No lab manager decided on ${lotName} in time, so its holds were released.`] };
    case 'lot.cancelled':
      return { subject: `Cancelled: lot route ${lotName}`, paragraphs: [`${lotName} is cancelled, all its remaining steps with it.`] };
    case 'lot.completed':
      return { subject: `Completed: lot route ${lotName}`, paragraphs: [`Every step of ${lotName} is done.`] };
    case 'lot.replanned':
      return { subject: `Re-planned: lot route ${lotName}`, paragraphs: [`A step of ${lotName} ended late, so its later steps moved:`, ...lotSteps()] };
    case 'lot.qtime_alert':
      return { subject: `Q-time alert: lot route ${lotName}`, paragraphs: [p.detail ? localiseInstants(p.detail, now) : `${lotName} no longer keeps a Q-time limit.`] };
    case 'lot.moved_by_maintenance':
      return { subject: `Moved by maintenance: lot route ${lotName}`, paragraphs: [`Maintenance moved ${lotName}; its remaining steps were re-planned as one route within their Q-times:`, ...steps()] };
    case 'lot.released_by_maintenance':
      return {
        subject: `Released by maintenance: lot route ${lotName}`,
        paragraphs: [`Maintenance left no re-plan of ${lotName} within its Q-times${p.detail ? ` (${p.detail})` : ''}, so all its remaining steps were cancelled without penalty.`],
      };
  }
  if ((facts.kind === 'wait_list.expired' || facts.kind === 'wait_list.withdrawn') && (p.toolIds?.length || p.toolTypeId)) {
    const wanted = p.toolIds?.length ? p.toolIds.map(tool).join(' or ') : `any ${p.toolTypeId}`;
    const window = p.startsAt && p.endsAt ? ` within ${formatSlot(new Date(p.startsAt), new Date(p.endsAt), now)}` : '';
    return facts.kind === 'wait_list.expired'
      ? { subject: `Your wait ended: ${wanted}`, paragraphs: [`No time came free on ${wanted}${window}, and the window can no longer hold your request. Please ask again for another window.`] }
      : { subject: `You left the wait list: ${wanted}`, paragraphs: [`You no longer wait for ${wanted}${window}.`] };
  }
  const maintenance = related.maintenance;
  const tools = (p.toolIds ?? maintenance?.toolIds ?? []).map(tool).join(', ');
  if (tools) {
    const window = maintenance ? `, ${formatSlot(maintenance.startsAt, maintenance.endsAt, now)}` : '';
    const reason = maintenance ? [`Reason: ${maintenance.reason}`] : [];
    switch (facts.kind) {
      case 'maintenance.applied':
        return { subject: `Maintenance on the calendar: ${tools}${window}`, paragraphs: [`Maintenance on ${tools}${window} is applied; bookings in its way were moved or cancelled.`, ...reason] };
      case 'tool.down':
        return { subject: `Down: ${tools}`, paragraphs: [`${tools} ${tools.includes(',') ? 'are' : 'is'} down for maintenance${window}.`, ...reason] };
      case 'tool.requalifying':
        return { subject: `Requalification needed: ${tools}`, paragraphs: [`The maintenance on ${tools} is over; a qualification run must pass before the tool returns to service.`] };
      case 'tool.up':
        return { subject: `Back in service: ${tools}`, paragraphs: [`${tools} ${tools.includes(',') ? 'are' : 'is'} back in service.`] };
    }
  }
  // A kind without words of its own: the stored summary, in Hong Kong time.
  const subject = localiseInstants(facts.subject, now);
  return { subject, paragraphs: [subject] };
}
