import type { Db } from '../../src/data/db.js';
import { digestHourHkt } from '../../src/domain/notifications.js';
import { composeDigest, type DigestEntry } from '../../src/mail/compose.js';
import { linkFor } from '../../src/mail/links.js';
import { newMessageId } from '../../src/mail/message.js';
import { renderNotice } from '../../src/mail/render.js';
import { latestHktHour } from '../../src/mail/time.js';
import type { MailDeps } from '../deps.js';
import { loadRelatedFacts, notificationFacts } from '../../src/mail/related.js';

// Once a day (the first delivery at or after 08:00 Hong Kong time) each person who takes the
// digest gets one mail collecting the lines written before 08:00. A worker that was down at 08:00
// sends it when it is back; one digest per person and day (a unique key), lines taken once.

/** Writes the digests due at `now`; returns how many. */
export async function composeDueDigests(db: Db, mail: MailDeps, now: Date): Promise<number> {
  const cutoff = latestHktHour(now, digestHourHkt);
  const due = await db.mailDigestItem.findMany({
    where: { digestId: null, createdAt: { lt: cutoff } },
    distinct: ['userId'],
    select: { userId: true },
    orderBy: { userId: 'asc' },
  });
  let written = 0;
  for (const { userId } of due) {
    const wrote = await db.$transaction(
      async (tx) => {
        // Lines that arrived after today's digest went out wait for tomorrow's.
        if (await tx.mailMessage.findUnique({ where: { userId_digestCutoff: { userId, digestCutoff: cutoff } }, select: { id: true } })) return false;
        const locked = await tx.$queryRaw<Array<{ notification_id: bigint }>>`
          SELECT notification_id FROM mail_digest_items
          WHERE user_id = ${userId} AND digest_id IS NULL AND created_at < ${cutoff}
          ORDER BY notification_id FOR UPDATE SKIP LOCKED`;
        if (!locked.length) return false;
        const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
        const notifications = await tx.notification.findMany({
          where: { id: { in: locked.map((l) => l.notification_id) } },
          orderBy: { id: 'asc' },
        });
        const recipient = { userId, name: user.name, email: user.email, role: user.role, isOwner: false };
        const context = { publicUrl: mail.publicUrl, now };
        const entries: DigestEntry[] = [];
        for (const row of notifications) {
          const facts = notificationFacts(row);
          const related = await loadRelatedFacts(tx, facts);
          const reader = { ...recipient, isOwner: row.recipientId === userId };
          entries.push({ notice: renderNotice(facts, related, context), link: linkFor(row.kind, related, reader, mail.publicUrl), at: row.createdAt });
        }
        const composed = composeDigest(entries, recipient, cutoff, context);
        const digest = await tx.mailMessage.create({
          data: {
            userId,
            toAddress: user.email,
            kind: 'digest',
            digestCutoff: cutoff,
            subject: composed.subject,
            textBody: composed.text,
            htmlBody: composed.html,
            messageId: newMessageId(mail.from),
            createdAt: now,
            nextAttemptAt: now,
          },
        });
        await tx.mailDigestItem.updateMany({
          where: { userId, notificationId: { in: locked.map((l) => l.notification_id) } },
          data: { digestId: digest.id },
        });
        return true;
      },
      { timeout: 60_000 },
    );
    if (wrote) written++;
  }
  return written;
}
