import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../clock.js';
import { buildRawMessage } from './message.js';
import { MailSendError, type MailTransport } from './transport.js';

/**
 * Development without an SMTP server: each mail exactly as it would be sent, as an .eml file in
 * `dir` (open it in any mail program), and its subject in the log.
 */
export function fileTransport(dir: string, clock: Clock, log: (line: string) => void): MailTransport {
  return {
    description: `.eml files in ${dir}`,
    async send(mail) {
      const now = clock.now();
      const { raw } = await buildRawMessage(mail, now);
      const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      const id = mail.messageId.replace(/[^A-Za-z0-9]+/g, '').slice(0, 24);
      const file = path.join(dir, `${stamp}-${id}.eml`);
      try {
        await mkdir(dir, { recursive: true });
        // `wx`: never overwrite; a second attempt of the same mail would say so instead.
        await writeFile(file, raw, { flag: 'wx' });
      } catch (err) {
        throw new MailSendError('retry', `cannot write ${file}: ${(err as Error).message}`, { cause: err });
      }
      log(`mail: to ${mail.to}: ${mail.subject} (${path.basename(file)})`);
      return { response: `written to ${file}` };
    },
    async close() {},
  };
}
