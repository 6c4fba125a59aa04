import type { Db } from '../../src/data/db.js';
import { alwaysAtOnce } from '../../src/domain/notifications.js';
import type { Prisma } from '../../src/generated/prisma/client.js';
import { composeMail } from '../../src/mail/compose.js';
import { linkFor } from '../../src/mail/links.js';
import { newMessageId } from '../../src/mail/message.js';
import { renderNotice } from '../../src/mail/render.js';
import type { MailDeps } from '../deps.js';
import { addresseesOf } from './recipients.js';
import { loadRelatedFacts, notificationFacts } from '../../src/mail/related.js';

// The outbox's first step: each pending notification becomes one mail per person who wants it at
// once, or a line waiting for their digest, in the same transaction that marks it dispatched, so
// a retry after a crash never writes a mail twice (and the unique keys would refuse it anyway).

const perTransaction = 50;
/** News this old is no news (a reminder of a booking long past): dispatched without mail. */
export const staleAfterDays = 3;

export interface DispatchReport {
  notifications: number;
  mails: number;
  digestLines: number;
  /** Notifications no mail could be written for (marked failed, so they never block the rest). */
  unrenderable: Array<{ id: string; error: string }>;
  /** Notifications older than `staleAfterDays` when first seen (written before mail existed, or a long outage). */
  stale: number;
}

/** Dispatches every pending notification, a batch per transaction. */
export async function dispatchNotifications(db: Db, mail: MailDeps, now: () => Date): Promise<DispatchReport> {
  const report: DispatchReport = { notifications: 0, mails: 0, digestLines: 0, unrenderable: [], stale: 0 };
  // The database's own clock: it stamped created_at.
  report.stale = await db.$executeRaw`
    UPDATE notifications SET state = 'dispatched'
    WHERE state = 'pending' AND created_at < now() - make_interval(days => ${staleAfterDays})`;
  for (;;) {
    const done = await db.$transaction(
      async (tx) => {
        // SKIP LOCKED: two deliveries at once share the work instead of waiting on each other.
        const claimed = await tx.$queryRaw<Array<{ id: bigint }>>`
          SELECT id FROM notifications WHERE state = 'pending' ORDER BY id LIMIT ${perTransaction} FOR UPDATE SKIP LOCKED`;
        if (!claimed.length) return 0;
        const rows = await tx.notification.findMany({ where: { id: { in: claimed.map((c) => c.id) } }, orderBy: { id: 'asc' } });
        const at = now();
        const mails: Prisma.MailMessageCreateManyInput[] = [];
        const lines: Prisma.MailDigestItemCreateManyInput[] = [];
        const failed: bigint[] = [];
        for (const row of rows) {
          try {
            const facts = notificationFacts(row);
            const wanting = (await addresseesOf(tx, row)).filter((a) => !a.muted.has(row.kind));
            if (!wanting.length) continue;
            const related = await loadRelatedFacts(tx, facts);
            const context = { publicUrl: mail.publicUrl, now: at };
            const ours: Prisma.MailMessageCreateManyInput[] = [];
            const waiting: Prisma.MailDigestItemCreateManyInput[] = [];
            for (const addressee of wanting) {
              if (addressee.delivery === 'digest' && !alwaysAtOnce(row.kind)) {
                waiting.push({ notificationId: row.id, userId: addressee.userId, createdAt: at });
                continue;
              }
              const notice = renderNotice(facts, related, context);
              const composed = composeMail(notice, linkFor(row.kind, related, addressee, mail.publicUrl), addressee, context);
              ours.push({
                userId: addressee.userId,
                toAddress: addressee.email,
                kind: row.kind,
                notificationId: row.id,
                subject: composed.subject,
                textBody: composed.text,
                htmlBody: composed.html,
                messageId: newMessageId(mail.from),
                createdAt: at,
                nextAttemptAt: at,
              });
            }
            mails.push(...ours);
            lines.push(...waiting);
          } catch (err) {
            failed.push(row.id);
            report.unrenderable.push({ id: String(row.id), error: (err as Error).message });
          }
        }
        if (mails.length) await tx.mailMessage.createMany({ data: mails });
        if (lines.length) await tx.mailDigestItem.createMany({ data: lines });
        const ok = rows.filter((r) => !failed.includes(r.id)).map((r) => r.id);
        await tx.notification.updateMany({ where: { id: { in: ok } }, data: { state: 'dispatched' } });
        if (failed.length) await tx.notification.updateMany({ where: { id: { in: failed } }, data: { state: 'failed' } });
        report.mails += mails.length;
        report.digestLines += lines.length;
        return rows.length;
      },
      { timeout: 60_000 },
    );
    if (!done) return report;
    report.notifications += done;
  }
}
