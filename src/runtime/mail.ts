import type { MailDeps } from '../../activities/deps.js';
import type { Clock } from '../clock.js';
import { fileTransport } from '../mail/files.js';
import { smtpTransport } from '../mail/smtp.js';
import type { Config } from './config.js';
import type { Log } from './log.js';

/** The outbox's transport from the config: SMTP, or .eml files in the data folder; said in one log line (no credentials). */
export function mailDeps(config: Config, clock: Clock, log: Log): MailDeps {
  const { transport: settings, from } = config.mail;
  const transport =
    settings.kind === 'smtp'
      ? smtpTransport({ host: settings.host, port: settings.port, tls: settings.tls, auth: settings.auth }, clock)
      : fileTransport(settings.dir, clock, (line) => log.info(line));
  log.info(
    settings.kind === 'smtp'
      ? `mail: sending through ${transport.description} as ${from}${settings.auth ? ` (signed in as ${settings.auth.user})` : ''}`
      : `mail: no SMTP_HOST; each e-mail is written to ${settings.dir} as an .eml file and its subject logged`,
  );
  return { transport, from, publicUrl: config.publicUrl };
}
