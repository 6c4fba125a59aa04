import { z } from 'zod';
import type { Db } from '../../data/db.js';
import type { Actor } from '../../domain/actor.js';
import { inboxCountSchema, inboxEntrySchema, inboxPageSchema, type InboxEntry } from '../../domain/inbox.js';
import { roles, type Role } from '../../domain/roles.js';
import { PilotlineError } from '../../errors.js';
import type { Notification, Prisma } from '../../generated/prisma/client.js';
import { linkFor } from '../../mail/links.js';
import { loadRelatedFacts, notificationFacts } from '../../mail/related.js';
import { renderNotice } from '../../mail/render.js';
import { cursorField, encodeCursor } from '../cursor.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';

// The caller's notifications: their own (a tenant user sees nothing else) and, for lab managers and
// ops, those addressed to their role — the recipients the e-mail delivery writes to.

const notificationId = z.string().regex(/^\d{1,18}$/, { message: 'must be a notification id' });

const listQuery = z.object({
  unread: z.stringbool().optional().describe('true: unread ones only'),
  limit: z.coerce.number<string | undefined>().int().min(1).max(100).default(30),
  cursor: cursorField(z.object({ i: notificationId })).optional(),
});

/** The audiences a role reads besides its own notifications (as src/mail's recipients). */
const audiencesOf: Partial<Record<Role, string[]>> = { lab_manager: ['lab_manager'], ops: ['ops'] };

function addressedTo(actor: Actor): Prisma.NotificationWhereInput {
  const audiences = audiencesOf[actor.role] ?? [];
  return { OR: [{ recipientId: actor.userId }, ...(audiences.length ? [{ audience: { in: audiences } }] : [])] };
}

const unreadBy = (actor: Actor): Prisma.NotificationWhereInput => ({ reads: { none: { userId: actor.userId } } });

async function unreadCount(db: Db, actor: Actor): Promise<number> {
  return db.notification.count({ where: { AND: [addressedTo(actor), unreadBy(actor)] } });
}

/** One notification in its e-mail's words, linking into the UI. */
async function entryOf(db: Db, row: Notification & { reads: unknown[] }, actor: Actor & { name: string }, now: Date): Promise<InboxEntry> {
  const facts = notificationFacts(row);
  const related = await loadRelatedFacts(db, facts);
  const notice = renderNotice(facts, related, { publicUrl: '', now });
  const reader = { userId: actor.userId, name: actor.name, email: '', role: actor.role, isOwner: row.recipientId === actor.userId };
  return {
    id: String(row.id),
    kind: row.kind,
    at: row.createdAt.toISOString(),
    read: row.reads.length > 0,
    subject: notice.subject,
    paragraphs: notice.paragraphs,
    link: linkFor(row.kind, related, reader, ''),
  };
}

export function inboxRoutes(deps: ApiDeps) {
  const { db } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/inbox',
      summary: 'My notifications, newest first in pages: the events my e-mails carry, in their words, read or not',
      tag: 'inbox',
      access: roles,
      query: listQuery,
      response: inboxPageSchema,
      async handler({ query, actor }) {
        const me = await db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { name: true } });
        const where: Prisma.NotificationWhereInput = {
          AND: [addressedTo(actor), ...(query.unread ? [unreadBy(actor)] : []), ...(query.cursor ? [{ id: { lt: BigInt(query.cursor.i) } }] : [])],
        };
        const rows = await db.notification.findMany({
          where,
          include: { reads: { where: { userId: actor.userId }, select: { userId: true } } },
          orderBy: { id: 'desc' },
          take: query.limit + 1,
        });
        const page = rows.slice(0, query.limit);
        const now = deps.clock.now();
        const entries: InboxEntry[] = [];
        // One at a time: each reads the rows its notification names.
        for (const row of page) entries.push(await entryOf(db, row, { ...actor, name: me.name }, now));
        const last = page.at(-1);
        return {
          entries,
          nextCursor: rows.length > query.limit && last ? encodeCursor({ i: String(last.id) }) : null,
          unread: await unreadCount(db, actor),
        };
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/inbox/count',
      summary: 'How many of my notifications are unread (the badge in the top bar)',
      tag: 'inbox',
      access: roles,
      response: inboxCountSchema,
      handler: async ({ actor }) => ({ unread: await unreadCount(db, actor) }),
    }),

    defineRoute({
      method: 'POST',
      url: '/api/inbox/:id/read',
      summary: 'Mark one of my notifications read',
      tag: 'inbox',
      access: roles,
      params: z.object({ id: notificationId.describe('Notification id') }),
      response: z.object({ entry: inboxEntrySchema.pick({ id: true, read: true }), unread: z.number().int() }),
      errors: ['NOT_FOUND'],
      async handler({ params, actor }) {
        const id = BigInt(params.id);
        const mine = await db.notification.findFirst({ where: { AND: [{ id }, addressedTo(actor)] }, select: { id: true } });
        if (!mine) throw new PilotlineError('NOT_FOUND', `No notification ${params.id} of yours`);
        await db.notificationRead.createMany({ data: [{ notificationId: id, userId: actor.userId }], skipDuplicates: true });
        return { entry: { id: params.id, read: true }, unread: await unreadCount(db, actor) };
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/inbox/read-all',
      summary: 'Mark every one of my notifications read',
      tag: 'inbox',
      access: roles,
      response: inboxCountSchema,
      async handler({ actor }) {
        const audiences = audiencesOf[actor.role] ?? [];
        await db.$executeRaw`
          INSERT INTO notification_reads (notification_id, user_id)
          SELECT id, ${actor.userId} FROM notifications
           WHERE recipient_id = ${actor.userId} OR audience = ANY(${audiences}::text[])
          ON CONFLICT DO NOTHING`;
        return { unread: await unreadCount(db, actor) };
      },
    }),
  ];
}
