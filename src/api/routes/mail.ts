import { z } from 'zod';
import { noteSchema } from '../../domain/input.js';
import {
  alwaysAtOnce,
  digestHourHkt,
  kindsFor,
  mailMessageViewSchema,
  mailPreferencesInputSchema,
  mailPreferencesSchema,
  mailStates,
  notificationKindInfo,
  type MailMessageView,
  type MailPreferences,
} from '../../domain/notifications.js';
import { roles } from '../../domain/roles.js';
import type { MailMessage } from '../../generated/prisma/client.js';
import { PilotlineError } from '../../errors.js';
import type { AuthenticatedActor } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';

// A person's e-mail preferences, and the outbox as an admin checks it: mails that failed for good
// or may have been sent (a worker died mid-send) wait here for a person to settle them.

const mailParams = z.object({ id: z.string().regex(/^\d{1,18}$/, 'must be a mail id (digits)').describe('Mail id') });
const listQuery = z.object({
  state: z.enum(mailStates).default('unconfirmed'),
  limit: z.coerce.number<string | undefined>().int().min(1).max(500).default(100),
});
const admins = ['admin'] as const;

function mailView(row: MailMessage): MailMessageView {
  return {
    id: String(row.id),
    userId: row.userId,
    to: row.toAddress,
    event: row.kind,
    subject: row.subject,
    messageId: row.messageId,
    state: row.state,
    attempts: row.attempts,
    createdAt: row.createdAt.toISOString(),
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    lastError: row.lastError,
    checkedBy: row.checkedById,
  };
}

export function mailRoutes(deps: ApiDeps) {
  const { db } = deps;

  async function preferencesOf(actor: AuthenticatedActor): Promise<MailPreferences> {
    const user = await db.user.findUniqueOrThrow({ where: { id: actor.userId }, include: { mailPreference: true } });
    const muted = new Set(user.mailPreference?.mutedKinds ?? []);
    return {
      delivery: user.mailPreference?.delivery ?? 'immediate',
      digestAt: `${String(digestHourHkt).padStart(2, '0')}:00 HKT`,
      email: user.email,
      events: kindsFor(actor.role).map((kind) => ({
        kind,
        label: notificationKindInfo[kind].label,
        enabled: !muted.has(kind),
        alwaysAtOnce: alwaysAtOnce(kind),
      })),
    };
  }

  /** An admin's check: the mail changes state if it is still in one of `from` (else 409), with an audit entry. */
  async function settle(
    id: string,
    from: readonly MailMessage['state'][],
    action: string,
    data: Partial<MailMessage>,
    actor: AuthenticatedActor,
    note: string | undefined,
  ) {
    return db.$transaction(async (tx) => {
      const row = await tx.mailMessage.findUnique({ where: { id: BigInt(id) } });
      if (!row) throw new PilotlineError('NOT_FOUND', `No mail ${id}`);
      const { count } = await tx.mailMessage.updateMany({
        where: { id: row.id, state: { in: [...from] } },
        data: { ...data, checkedById: actor.userId, checkedAt: deps.clock.now() },
      });
      if (!count) throw new PilotlineError('INVALID_STATE', `Mail ${id} is ${row.state}; this needs one that is ${from.join(' or ')}`);
      await tx.auditLog.create({
        data: { actorId: actor.userId, actorRole: actor.role, action, entityType: 'mail', entityId: id, data: { from: row.state, messageId: row.messageId, note: note ?? null } },
      });
      return mailView(await tx.mailMessage.findUniqueOrThrow({ where: { id: row.id } }));
    });
  }

  return [
    defineRoute({
      method: 'GET',
      url: '/api/me/mail-preferences',
      summary: 'Which e-mails I get (every kind my role receives, each on or off), at once or as a daily digest',
      tag: 'mail',
      access: roles,
      response: mailPreferencesSchema,
      handler: ({ actor }) => preferencesOf(actor),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/me/mail-preferences',
      summary: 'Choose which e-mails I get and whether at once or as a daily digest at 08:00 HKT',
      tag: 'mail',
      access: roles,
      body: mailPreferencesInputSchema,
      response: mailPreferencesSchema,
      async handler({ actor, body }) {
        const allowed = new Set<string>(kindsFor(actor.role));
        const issues = body.muted.flatMap((kind, i) => (allowed.has(kind) ? [] : [{ field: `body.muted.${i}`, message: `a ${actor.role} does not receive ${kind}` }]));
        if (issues.length) throw new PilotlineError('VALIDATION_FAILED', `Invalid body: ${issues.map((i) => i.message).join('; ')}`, { issues });
        const mutedKinds = [...new Set(body.muted)].sort();
        await db.mailPreference.upsert({
          where: { userId: actor.userId },
          create: { userId: actor.userId, delivery: body.delivery, mutedKinds },
          update: { delivery: body.delivery, mutedKinds },
        });
        return preferencesOf(actor);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/mail',
      summary: 'The e-mail outbox by state (default: unconfirmed, the mails a worker may have sent before it died), newest first',
      tag: 'mail',
      access: admins,
      query: listQuery,
      response: z.object({ mails: z.array(mailMessageViewSchema) }),
      async handler({ query }) {
        const rows = await db.mailMessage.findMany({ where: { state: query.state }, orderBy: { id: 'desc' }, take: query.limit });
        return { mails: rows.map(mailView) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/mail/:id/resend',
      summary: 'Send a failed or unconfirmed mail again (same Message-ID, so a copy is recognisable)',
      tag: 'mail',
      access: admins,
      params: mailParams,
      body: z.object({ note: noteSchema.optional() }),
      response: mailMessageViewSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE'],
      handler: ({ params, body, actor }) =>
        settle(params.id, ['failed', 'unconfirmed'], 'mail.resend', { state: 'queued', attempts: 0, nextAttemptAt: deps.clock.now() }, actor, body.note),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/mail/:id/mark-sent',
      summary: 'Record that an unconfirmed mail did arrive (checked by its Message-ID): it is not sent again',
      tag: 'mail',
      access: admins,
      params: mailParams,
      body: z.object({ note: noteSchema.optional() }),
      response: mailMessageViewSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE'],
      handler: ({ params, body, actor }) => settle(params.id, ['unconfirmed'], 'mail.marked_sent', { state: 'sent', sentAt: deps.clock.now() }, actor, body.note),
    }),
  ];
}
