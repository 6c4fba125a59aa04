// How a mail leaves Pilotline: SMTP in production, .eml files in the data folder in development.
// A failed send says whether the message surely did not go (retry or give up) or may have gone.

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
  /** The notification kind (or `digest`), as `X-Pilotline-Event` for people's mail filters. */
  event: string;
  /** `<…@…>`: fixed when the mail is written, the same on every attempt, so a copy is recognisable. */
  messageId: string;
}

export interface SendReceipt {
  /** The server's final answer (`250 OK …`), or where the file went. */
  response: string;
}

export interface MailTransport {
  /** What it sends through, for logs: host and port, never credentials. */
  readonly description: string;
  send(mail: OutgoingMail): Promise<SendReceipt>;
  close(): Promise<void>;
}

/**
 * - `retry`: surely not delivered, and may work later (no connection, a 4xx answer);
 * - `refused`: surely not delivered, and never will be (a 5xx answer: bad recipient, policy);
 * - `uncertain`: the connection broke during the transaction: the server may have accepted it.
 */
export type SendOutcome = 'retry' | 'refused' | 'uncertain';

export class MailSendError extends Error {
  constructor(
    readonly outcome: SendOutcome,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MailSendError';
  }
}

/** A failure whose outcome nobody classified (a bug, a crash in the transport) may have sent the mail. */
export function outcomeOf(err: unknown): SendOutcome {
  return err instanceof MailSendError ? err.outcome : 'uncertain';
}
