import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Clock } from '../clock.js';
import { buildRawMessage } from './message.js';
import { MailSendError, type MailTransport, type OutgoingMail, type SendReceipt } from './transport.js';

export type SmtpTls = 'starttls' | 'implicit' | 'none';

export interface SmtpSettings {
  host: string;
  port: number;
  /** `starttls`: upgrade after connecting, refuse a server without it; `implicit`: TLS from the start (465); `none`: plain. */
  tls: SmtpTls;
  auth?: { user: string; pass: string } | undefined;
  /** Milliseconds the server may stay silent before the attempt is abandoned (default 30 s). */
  timeoutMs?: number;
}

type NodemailerError = Error & { responseCode?: number; code?: string };

/** A refusal the server answered with a code is definite: 5xx for good (but 503, a session in the wrong state), else retry. */
function answered(err: NodemailerError): MailSendError {
  const permanent = err.responseCode! >= 500 && err.responseCode !== 503;
  return new MailSendError(permanent ? 'refused' : 'retry', `SMTP ${err.responseCode}: ${err.message}`, { cause: err });
}

/**
 * SMTP through one connection per mail, in two phases: a failure before the mail transaction
 * (connect, TLS, login) or one the server answered with a code surely did not deliver it; a
 * connection lost during the transaction may have (the server may have accepted it).
 */
export function smtpTransport(settings: SmtpSettings, clock: Clock): MailTransport {
  const timeout = settings.timeoutMs ?? 30_000;
  return {
    description: `SMTP ${settings.host}:${settings.port} (${settings.tls === 'none' ? 'no TLS' : settings.tls === 'implicit' ? 'TLS' : 'STARTTLS'})`,
    async send(mail: OutgoingMail): Promise<SendReceipt> {
      const { raw, envelope } = await buildRawMessage(mail, clock.now());
      const connection = new SMTPConnection({
        host: settings.host,
        port: settings.port,
        secure: settings.tls === 'implicit',
        requireTLS: settings.tls === 'starttls',
        ignoreTLS: settings.tls === 'none',
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
      });
      // A connection error outside a pending callback must not crash the worker; the callbacks report it.
      connection.on('error', () => undefined);
      try {
        await new Promise<void>((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve())));
        if (settings.auth) {
          const auth = settings.auth;
          await new Promise<void>((resolve, reject) => connection.login({ user: auth.user, pass: auth.pass }, (err) => (err ? reject(err) : resolve())));
        }
      } catch (err) {
        const e = err as NodemailerError;
        throw e.responseCode ? answered(e) : new MailSendError('retry', `SMTP ${settings.host}:${settings.port} not reached: ${e.message}`, { cause: e });
      }
      try {
        const info = await new Promise<{ response: string }>((resolve, reject) =>
          connection.send(envelope, raw, (err, result) => (err || !result ? reject(err ?? new Error('no answer')) : resolve(result))),
        );
        return { response: info.response };
      } catch (err) {
        const e = err as NodemailerError;
        throw e.responseCode ? answered(e) : new MailSendError('uncertain', `SMTP connection lost during the transaction: ${e.message}`, { cause: e });
      } finally {
        connection.quit();
      }
    },
    async close() {},
  };
}
