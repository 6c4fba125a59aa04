import type { Db } from '../../src/data/db.js';
import type { MailMessage } from '../../src/generated/prisma/client.js';
import { outcomeOf } from '../../src/mail/transport.js';
import type { MailDeps } from '../deps.js';

// Sending exactly once: a mail is claimed (`sending`, committed) before it is handed to the
// transport and marked `sent` after. A worker that dies in between leaves the claim behind; once
// the claim is older than any send can take, nobody knows whether the server got it, so it is
// `unconfirmed` for a person to check (its Message-ID recognises a copy), never sent again by itself.

export const defaultSendLeaseMs = 10 * 60_000;
const defaultMaxAttempts = 8;
const defaultRetryBaseMs = 60_000;
const maxRetryDelayMs = 3_600_000;

export interface SendReport {
  sent: number;
  /** Definite failures that will be tried again later. */
  retrying: number;
  failed: number;
  /** Sends that may have happened: the connection broke mid-transaction, or a worker died mid-send. */
  unconfirmed: number;
}

/** Claims left by a worker that died mid-send, older than the lease: unconfirmed. Returns their ids. */
export async function settleAbandonedClaims(db: Db, mail: MailDeps, now: Date): Promise<string[]> {
  const before = new Date(now.getTime() - (mail.sendLeaseMs ?? defaultSendLeaseMs));
  const rows = await db.$queryRaw<Array<{ id: bigint }>>`
    UPDATE mail_messages
    SET state = 'unconfirmed',
        last_error = 'The worker stopped after handing this mail to ' || ${mail.transport.description} || ' and before recording the outcome; check whether message ' || message_id || ' arrived'
    WHERE state = 'sending' AND claimed_at < ${before}
    RETURNING id`;
  return rows.map((r) => String(r.id));
}

/** The next mail due, claimed for this sender (committed before anything is sent), or none. */
async function claimNext(db: Db, now: Date): Promise<MailMessage | null> {
  const [row] = await db.$queryRaw<Array<{ id: bigint }>>`
    UPDATE mail_messages SET state = 'sending', claimed_at = ${now}, attempts = attempts + 1
    WHERE id = (
      SELECT id FROM mail_messages WHERE state = 'queued' AND next_attempt_at <= ${now}
      ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  return row ? db.mailMessage.findUnique({ where: { id: row.id } }) : null;
}

function retryDelayMs(mail: MailDeps, attempts: number): number {
  return Math.min((mail.retryBaseMs ?? defaultRetryBaseMs) * 2 ** (attempts - 1), maxRetryDelayMs);
}

/** Sends due mails one at a time, up to the batch size; `progress` after each (a heartbeat). */
export async function sendDueMail(db: Db, mail: MailDeps, now: () => Date, progress: (report: SendReport) => void): Promise<SendReport> {
  const report: SendReport = { sent: 0, retrying: 0, failed: 0, unconfirmed: 0 };
  const limit = mail.batchSize ?? 200;
  for (let n = 0; n < limit; n++) {
    const row = await claimNext(db, now());
    if (!row) break;
    // Only this claim may record the outcome (a claim settled as unconfirmed meanwhile may still learn it was sent).
    const ours = { id: row.id, claimedAt: row.claimedAt, state: { in: ['sending' as const, 'unconfirmed' as const] } };
    try {
      const receipt = await mail.transport.send({
        from: mail.from,
        to: row.toAddress,
        subject: row.subject,
        text: row.textBody,
        html: row.htmlBody ?? undefined,
        messageId: row.messageId,
        event: row.kind,
      });
      await db.mailMessage.updateMany({ where: ours, data: { state: 'sent', sentAt: now(), smtpResponse: receipt.response.slice(0, 1000), lastError: null } });
      report.sent++;
    } catch (err) {
      const error = String((err as Error).message ?? err).slice(0, 1000);
      const outcome = outcomeOf(err);
      if (outcome === 'uncertain') {
        await db.mailMessage.updateMany({ where: { ...ours, state: 'sending' }, data: { state: 'unconfirmed', lastError: error } });
        report.unconfirmed++;
      } else if (outcome === 'retry' && row.attempts < (mail.maxAttempts ?? defaultMaxAttempts)) {
        const next = new Date(now().getTime() + retryDelayMs(mail, row.attempts));
        await db.mailMessage.updateMany({ where: { ...ours, state: 'sending' }, data: { state: 'queued', nextAttemptAt: next, lastError: error } });
        report.retrying++;
      } else {
        await db.mailMessage.updateMany({ where: { ...ours, state: 'sending' }, data: { state: 'failed', lastError: error } });
        report.failed++;
      }
    }
    progress(report);
  }
  return report;
}
