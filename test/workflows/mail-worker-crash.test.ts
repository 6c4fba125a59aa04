import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { systemClock } from '../../src/clock.js';
import { smtpTransport } from '../../src/mail/smtp.js';
import type { mailDeliveryWorkflow } from '../../workflows/mail.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aUser } from '../support/scenario.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { connectTestClient, startTestWorker, temporalAddress, type TestClient, type TestWorker } from '../support/temporal.js';

// A real `pilotline worker` process, configured for SMTP by its environment, hands a mail to the
// server and is killed with SIGKILL before it can record that it did. Another worker takes the
// delivery over: it sends the rest, and leaves that mail unconfirmed rather than sending it twice.

const projectRoot = path.resolve(import.meta.dirname, '../..');
const taskQueue = `mail-crash-${process.pid}`;
const smtpAuth = { user: 'pilotline', pass: 'a-secret-password-9d41' };
let database: TestDatabase;
let temporal: TestClient;
let smtp: TestSmtpServer;
let replacement: TestWorker | undefined;
const children: ChildProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  for (const [id, tenant] of [['tess', 'uni-t'], ['ulla', 'co-u'], ['uwe', 'co-u']] as const) {
    await aUser(database.db, id, tenant);
    await database.db.notification.create({ data: { recipientId: id, tenantId: tenant, kind: 'booking.held', subject: 'Held', payload: {} } });
  }
  smtp = await startSmtpServer({ auth: smtpAuth });
  temporal = await connectTestClient();
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await replacement?.stop();
  await temporal?.[Symbol.asyncDispose]();
  await smtp?.close();
  await database?.[Symbol.asyncDispose]();
});

async function startWorkerProcess(): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'worker'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      SMTP_TLS: 'none',
      SMTP_USER: smtpAuth.user,
      SMTP_PASSWORD: smtpAuth.pass,
      MAIL_FROM: 'Pilotline <pilotline@lab.example.org>',
      LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + 90_000;
  while (!output.includes('worker: polling')) {
    if (child.exitCode !== null) throw new Error(`worker exited:\n${output}`);
    if (Date.now() > deadline) throw new Error(`worker did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, output: () => output };
}

/**
 * Resolves once the process has ended. A process killed by a signal keeps `exitCode` null, so only
 * `signalCode` tells that its 'exit' has already been emitted (waiting for it again would never end).
 */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('a worker killed between sending a mail and recording it', () => {
  it('does not send it twice: another worker sends the rest and leaves that one for a person to check', async () => {
    const worker = await startWorkerProcess();
    expect(worker.output()).toContain(`mail: sending through SMTP 127.0.0.1:${smtp.port} (no TLS) as Pilotline <pilotline@lab.example.org> (signed in as pilotline)`);

    // The server has the whole message; before it answers, the sender is gone.
    let killed = false;
    smtp.answer = async () => {
      if (!killed) {
        killed = true;
        worker.child.kill('SIGKILL');
        await exited(worker.child);
      }
      return { accept: true };
    };
    const handle = await temporal.client.workflow.start<typeof mailDeliveryWorkflow>('mailDeliveryWorkflow', {
      workflowId: `mail-delivery-crash-${process.pid}`,
      taskQueue,
      args: [{ heartbeatTimeoutMs: 2_000 }],
    });
    while (!killed) await new Promise((r) => setTimeout(r, 50));
    await exited(worker.child);
    expect(worker.child.signalCode).toBe('SIGKILL');
    const interrupted = await database.db.mailMessage.findFirstOrThrow({ where: { state: 'sending' } });
    expect(smtp.received.map((m) => m.messageId)).toEqual([interrupted.messageId]);

    replacement = await startTestWorker(
      createActivities({
        db: database.db,
        clock: systemClock,
        mail: {
          transport: smtpTransport({ host: '127.0.0.1', port: smtp.port, tls: 'none', auth: smtpAuth, timeoutMs: 5_000 }, systemClock),
          from: 'Pilotline <pilotline@lab.example.org>',
          publicUrl: 'http://pilotline.test',
          // Long enough that a send on a loaded machine never outlives its own claim.
          sendLeaseMs: 4_000,
        },
      }),
      taskQueue,
    );
    expect(await handle.result()).toMatchObject({ abandoned: 1, sent: 2 });

    const rows = await database.db.mailMessage.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.state).sort()).toEqual(['sent', 'sent', 'unconfirmed']);
    const unconfirmed = rows.find((r) => r.state === 'unconfirmed')!;
    expect(unconfirmed.id).toBe(interrupted.id);
    expect(unconfirmed.lastError).toContain(unconfirmed.messageId);
    // Every mail reached the server exactly once; the interrupted one is recognisable by its Message-ID.
    expect(smtp.arrived.map((m) => m.messageId).sort()).toEqual(rows.map((r) => r.messageId).sort());
    expect(smtp.arrived.map((m) => m.to[0]).sort()).toEqual(['tess@example.org', 'ulla@example.org', 'uwe@example.org']);
    expect(worker.output()).not.toContain(smtpAuth.pass);
  }, 180_000);
});
