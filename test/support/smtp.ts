import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

// A real SMTP server in the test process (smtp-server, the server half of nodemailer's family):
// it keeps every message it accepts, parsed (mailparser), and can refuse or hang on demand.

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
  messageId: string;
  subject: string;
  text: string;
  html: string;
  /** The event kind Pilotline names in `X-Pilotline-Event`. */
  event: string;
}

/** How the server answers a message it has read: take it, refuse it with a code, or never answer. */
export type Answer = { accept: true } | { code: number; message: string } | { hang: true };

export interface TestSmtpServer extends AsyncDisposable {
  port: number;
  /** Messages the server accepted (answered 250), in order. */
  received: ReceivedMail[];
  /** Every message read to its end, whatever the answer. */
  arrived: ReceivedMail[];
  /** Decides each answer (default: accept); may wait, e.g. to kill the sender first. */
  answer: (mail: ReceivedMail) => Answer | Promise<Answer>;
  /** Resolves once `count` messages were accepted. */
  waitForAccepted(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startSmtpServer(options: { auth?: { user: string; pass: string } } = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const arrived: ReceivedMail[] = [];
  const state: Pick<TestSmtpServer, 'answer'> = { answer: () => ({ accept: true }) };
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS', ...(options.auth ? [] : ['AUTH'])],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) return callback(null, { user: auth.username });
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      void (async () => {
        const raw = await readAll(stream);
        const parsed = await simpleParser(raw);
        const header = parsed.headers.get('x-pilotline-event');
        const mail: ReceivedMail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          parsed,
          messageId: parsed.messageId ?? '',
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          html: typeof parsed.html === 'string' ? parsed.html : '',
          event: typeof header === 'string' ? header : '',
        };
        arrived.push(mail);
        const answer = await state.answer(mail);
        if ('hang' in answer) return;
        if ('code' in answer) return callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
        received.push(mail);
        callback(null, `Queued as ${received.length}`);
      })().catch((err: unknown) => callback(err as Error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return {
    port,
    received,
    arrived,
    get answer() {
      return state.answer;
    },
    set answer(fn) {
      state.answer = fn;
    },
    async waitForAccepted(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`${received.length} of ${count} mails arrived: ${received.map((m) => m.subject).join(' | ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return received;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
