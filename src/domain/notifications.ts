import { z } from 'zod';
import type { Role } from './roles.js';

// What Pilotline tells people by e-mail: every notification kind the activities write, who gets it,
// and the preferences a person sets (which kinds, at once or in a daily digest).

/** Who a kind reaches: the booking's, lot's or request's own user, or every person of a role. */
export type NotificationAudience = 'owner' | 'tenant_user' | 'lab_manager' | 'ops';

interface KindInfo {
  label: string;
  audiences: readonly NotificationAudience[];
  /** Sent at once even to someone who takes the digest: a reminder in tomorrow's digest is no reminder. */
  alwaysAtOnce?: true;
}

export const notificationKindInfo = {
  'booking.held': { label: 'A booking is held, waiting for approval', audiences: ['owner'] },
  'booking.confirmed': { label: 'A booking is confirmed', audiences: ['owner'] },
  'booking.approved': { label: 'A booking is approved', audiences: ['owner'] },
  'booking.rejected': { label: 'A booking is rejected', audiences: ['owner'] },
  'booking.expired': { label: 'A hold expired without a decision', audiences: ['owner'] },
  'booking.rescheduled': { label: 'A booking moved to a new slot', audiences: ['owner'] },
  'booking.cancelled': { label: 'A booking is cancelled', audiences: ['owner'] },
  'booking.reminder': { label: 'Reminder before a booking starts', audiences: ['owner'], alwaysAtOnce: true },
  'booking.no_show': { label: 'No check-in: the slot was released', audiences: ['owner'] },
  'booking.completed': { label: 'A booking is completed', audiences: ['owner'] },
  'booking.moved_by_maintenance': { label: 'Maintenance moved a booking', audiences: ['owner'] },
  'booking.cancelled_by_maintenance': { label: 'Maintenance cancelled a booking', audiences: ['owner'] },
  'booking.interrupted': { label: 'A tool went down during a run', audiences: ['owner'], alwaysAtOnce: true },
  'lot.held': { label: 'A lot route is held, waiting for approval', audiences: ['owner'] },
  'lot.confirmed': { label: 'A lot route is confirmed', audiences: ['owner'] },
  'lot.approved': { label: 'A lot route is approved', audiences: ['owner'] },
  'lot.rejected': { label: 'A lot route is rejected', audiences: ['owner'] },
  'lot.expired': { label: 'A lot route expired without a decision', audiences: ['owner'] },
  'lot.cancelled': { label: 'A lot route is cancelled', audiences: ['owner'] },
  'lot.completed': { label: 'A lot route is completed', audiences: ['owner'] },
  'lot.replanned': { label: 'A late step moved the rest of a route', audiences: ['owner'] },
  'lot.qtime_alert': { label: 'A lot route breaks a Q-time limit', audiences: ['owner', 'lab_manager'] },
  'lot.moved_by_maintenance': { label: 'Maintenance moved a lot route', audiences: ['owner', 'lab_manager'] },
  'lot.released_by_maintenance': { label: 'Maintenance released a lot route', audiences: ['owner', 'lab_manager'] },
  'wait_list.offer': { label: 'Time came free for a request on your wait list', audiences: ['owner'], alwaysAtOnce: true },
  'wait_list.accepted': { label: 'You accepted a wait-list offer', audiences: ['owner'] },
  'wait_list.offer_declined': { label: 'You declined a wait-list offer', audiences: ['owner'] },
  'wait_list.offer_timed_out': { label: 'A wait-list offer lapsed unanswered', audiences: ['owner'] },
  'wait_list.offer_withdrawn': { label: 'A wait-list offer was released', audiences: ['owner'] },
  'wait_list.offer_lost': { label: 'A wait-list offer was taken back by maintenance', audiences: ['owner'] },
  'wait_list.expired': { label: 'A wait ended: the window passed', audiences: ['owner'] },
  'wait_list.withdrawn': { label: 'You left a wait list', audiences: ['owner'] },
  'round.opened': { label: 'An allocation round takes requests', audiences: ['tenant_user'] },
  'round.proposal_ready': { label: 'An allocation round proposes a schedule to approve', audiences: ['lab_manager'] },
  'round.granted': { label: 'An allocation round granted your request', audiences: ['owner'] },
  'round.left_out': { label: 'An allocation round left your request out', audiences: ['owner'] },
  'round.lapsed': { label: 'An allocation round was not approved in time', audiences: ['owner', 'lab_manager'] },
  'round.published': { label: 'An allocation round is published', audiences: ['lab_manager'] },
  'approval.needed': { label: 'A request needs your approval', audiences: ['lab_manager'] },
  'maintenance.applied': { label: 'Maintenance is on the calendar', audiences: ['ops'] },
  'tool.down': { label: 'A tool went down', audiences: ['ops'] },
  'tool.requalifying': { label: 'A tool waits for requalification', audiences: ['ops'] },
  'tool.up': { label: 'A tool is back in service', audiences: ['ops'] },
} as const satisfies Record<string, KindInfo>;

export type NotificationKind = keyof typeof notificationKindInfo;
export const notificationKinds = Object.keys(notificationKindInfo) as [NotificationKind, ...NotificationKind[]];

export function isNotificationKind(kind: string): kind is NotificationKind {
  return Object.hasOwn(notificationKindInfo, kind);
}

export function alwaysAtOnce(kind: string): boolean {
  return isNotificationKind(kind) && 'alwaysAtOnce' in notificationKindInfo[kind];
}

/** The kinds a person of `role` can receive: their own bookings' and lots', and their role's. */
export function kindsFor(role: Role): NotificationKind[] {
  return notificationKinds.filter((kind) =>
    notificationKindInfo[kind].audiences.some((a) => a === 'owner' || a === role),
  );
}

/** Digests go out once a day at this Hong Kong hour, collecting everything before it. */
export const digestHourHkt = 8;

export const mailDeliverySchema = z.enum(['immediate', 'digest']).describe('`immediate`: one e-mail per event; `digest`: one e-mail a day at 08:00 Hong Kong time');
export type MailDelivery = z.infer<typeof mailDeliverySchema>;

/** What a person sends to change their e-mail preferences. */
export const mailPreferencesInputSchema = z.object({
  delivery: mailDeliverySchema,
  muted: z
    .array(z.enum(notificationKinds))
    .max(notificationKinds.length)
    .describe('Kinds of e-mail not wanted; every other kind the role receives is sent'),
});
export type MailPreferencesInput = z.infer<typeof mailPreferencesInputSchema>;

export const mailPreferencesSchema = z
  .object({
    delivery: mailDeliverySchema,
    digestAt: z.string().describe('When the digest goes out, e.g. "08:00 HKT"'),
    email: z.string(),
    events: z.array(
      z.object({
        kind: z.enum(notificationKinds),
        label: z.string(),
        enabled: z.boolean(),
        alwaysAtOnce: z.boolean().describe('Sent at once even with the digest'),
      }),
    ),
  })
  .meta({ id: 'MailPreferences' });
export type MailPreferences = z.infer<typeof mailPreferencesSchema>;

/** A run of the outbox's delivery (one per Schedule firing). */
export const mailDeliveryInputSchema = z.object({
  /** A worker silent this long is presumed dead and another takes over (tests use seconds). */
  heartbeatTimeoutMs: z.number().int().min(1_000).max(600_000).default(120_000),
});
export type MailDeliveryInput = z.input<typeof mailDeliveryInputSchema>;

export const mailStates = ['queued', 'sending', 'sent', 'failed', 'unconfirmed'] as const;

/** One e-mail of the outbox as an admin sees it (no body: the subject and what happened). */
export const mailMessageViewSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    to: z.string(),
    event: z.string(),
    subject: z.string(),
    messageId: z.string().describe('The Message-ID header: a copy that did arrive carries it'),
    state: z.enum(mailStates),
    attempts: z.number().int(),
    createdAt: z.iso.datetime({ offset: true }),
    nextAttemptAt: z.iso.datetime({ offset: true }),
    sentAt: z.iso.datetime({ offset: true }).nullable(),
    lastError: z.string().nullable(),
    checkedBy: z.string().nullable(),
  })
  .meta({ id: 'MailMessage' });
export type MailMessageView = z.infer<typeof mailMessageViewSchema>;
