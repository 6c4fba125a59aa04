import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutgoingMail } from './transport.js';

/** A new Message-ID in the sender's domain. */
export function newMessageId(from: string): string {
  const domain = /@([^\s@<>]+)>?\s*$/.exec(from)?.[1] ?? 'pilotline.invalid';
  return `<${randomBytes(12).toString('hex')}@${domain}>`;
}

/** The message as it goes over the wire (RFC 5322, text with an HTML alternative) and its envelope. */
export async function buildRawMessage(mail: OutgoingMail, date: Date): Promise<{ raw: Buffer; envelope: { from: string; to: string[] } }> {
  const node = new MailComposer({
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    messageId: mail.messageId,
    date,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Pilotline-Event': mail.event },
  }).compile();
  const envelope = node.getEnvelope();
  return { raw: await node.build(), envelope: { from: envelope.from || '', to: envelope.to } };
}
