import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../src/runtime/ports.js';

// `pilotline start` as a user runs it: a real process with the embedded database, the dev server,
// the worker and the API; stopped with SIGINT and started again on the same data dir.

const projectRoot = path.resolve(import.meta.dirname, '../..');
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

async function startPilotline(dataDir: string, port: number): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, PILOTLINE_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const deadline = Date.now() + 90_000;
  while (!/running at (http:\/\/\S+)/.test(output)) {
    if (child.exitCode !== null) throw new Error(`pilotline exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`pilotline did not start in 90 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, url: /running at (http:\/\/\S+)/.exec(output)![1]!, output: () => output, exited };
}

/** The session a sign-in answer opened: who, and the headers that make a change with it. */
async function browserSession(response: Response) {
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('pilotline_session='))!.split(';')[0]!;
  const body = (await response.json()) as { me: { userId: string; role: string }; csrfToken: string };
  return { me: body.me, headers: { cookie, 'x-csrf-token': body.csrfToken } };
}

/** Process ids of the children a Pilotline process started (postgres, temporal). */
async function childrenOf(pid: number): Promise<number[]> {
  const { readdir } = await import('node:fs/promises');
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) children.push(Number(entry));
  }
  return children;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('pilotline start', () => {
  it('serves health and tools, stops cleanly on SIGINT, and keeps rows and workflows across a restart', async () => {
    // A private folder (mode 0700, as mkdtemp makes it), like a clone in root's home folder.
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pilotline-start-'));
    cleanups.push(async () => {
      // Run as root, the cluster had to live where the `postgres` user reaches it; it goes too.
      const relocated = (await readFile(path.join(dataDir, 'postgres', 'cluster-location'), 'utf8').catch(() => '')).trim();
      if (relocated) await rm(path.dirname(relocated), { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    });
    const port = await freePort();

    const first = await startPilotline(dataDir, port);
    if (process.getuid?.() === 0) expect(first.output().match(/cannot enter/g)).toHaveLength(1);
    const health = await fetch(`${first.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'ok', temporal: 'ok', parts: ['api', 'worker'], worker: 'ok' });

    // No demo tokens: one administrator, reached through the one-time link printed on the console.
    expect(first.output()).not.toMatch(/plt_/);
    const link = /(http:\/\/\S+#\/welcome\?token=(pll_[\w-]+))/.exec(first.output());
    expect(link?.[1]?.startsWith(first.url)).toBe(true);
    const adminPassword = 'the administrator chose this';
    const opened = await fetch(`${first.url}/api/auth/link`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: decodeURIComponent(link![2]!), password: adminPassword }),
    });
    expect(opened.status).toBe(200);
    const admin = await browserSession(opened);
    expect(admin.me).toMatchObject({ userId: 'admin', role: 'admin' });

    // The administrator hands a tenant user a welcome link; she sets her password and makes a token.
    const welcome = await fetch(`${first.url}/api/users/vhu-li/sign-in-link`, { method: 'POST', headers: admin.headers });
    expect(welcome.status).toBe(201);
    const welcomeUrl = ((await welcome.json()) as { url: string }).url;
    const li = await browserSession(
      await fetch(`${first.url}/api/auth/link`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: decodeURIComponent(welcomeUrl.split('token=')[1]!), password: 'prof li sets this' }),
      }),
    );
    const created = await fetch(`${first.url}/api/tokens`, {
      method: 'POST',
      headers: { ...li.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'start test' }),
    });
    expect(created.status).toBe(201);
    const auth = { authorization: `Bearer ${((await created.json()) as { secret: string }).secret}` };
    const tools = (await (await fetch(`${first.url}/api/tools`, { headers: auth })).json()) as { tools: Array<{ id: string }> };
    expect(tools.tools.length).toBeGreaterThanOrEqual(38);
    expect(tools.tools.map((t) => t.id)).toContain('MOCVD-1');

    // Every preventive-maintenance plan of the seed is live on its Temporal Schedules from the first start.
    const plans = (await (await fetch(`${first.url}/api/maintenance/plans`, { headers: admin.headers })).json()) as {
      plans: Array<{ id: string; scheduled: boolean; toolIds: string[]; schedules: Array<{ toolId: string; nextWindows: string[] }> }>;
    };
    expect(plans.plans.length).toBeGreaterThanOrEqual(30);
    for (const plan of plans.plans) {
      expect(plan, plan.id).toMatchObject({ scheduled: true });
      expect(plan.schedules.map((s) => s.toolId), plan.id).toEqual(plan.toolIds);
      expect(plan.schedules.every((s) => s.nextWindows.length > 0), plan.id).toBe(true);
    }

    // A booking whose workflow waits for its start, days from now.
    const start = new Date(Math.ceil((Date.now() + 3 * 86_400_000) / 3_600_000) * 3_600_000);
    const booked = await fetch(`${first.url}/api/bookings`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        requestId: randomUUID(),
        toolTypeId: 'sem',
        durationMin: 60,
        earliestStart: start.toISOString(),
        latestEnd: new Date(start.getTime() + 8 * 3_600_000).toISOString(),
        material: 'GaN',
        waferSize: 150,
      }),
    });
    expect(booked.status).toBe(201);
    const booking = ((await booked.json()) as { booking: { id: string; state: string } }).booking;
    expect(booking.state).toBe('confirmed');

    const children = await childrenOf(first.child.pid!);
    expect(children.length).toBeGreaterThanOrEqual(2);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('stopped');
    // Helpers that exit when their parent's pipe closes (tsx's esbuild service) may take a moment.
    for (let i = 0; i < 50 && children.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    expect(children.filter(alive)).toEqual([]);

    const second = await startPilotline(dataDir, port);
    // An administrator can sign in now: no new link, and the password set through the first one works.
    expect(second.output()).not.toContain('#/welcome');
    const signedIn = await fetch(`${second.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@pilotline.example', password: adminPassword }),
    });
    expect(signedIn.status).toBe(200);
    const again = await fetch(`${second.url}/api/bookings/${booking.id}`, { headers: auth });
    expect(again.status).toBe(200);
    // The workflow survived too: it still accepts the tenant's cancellation.
    const cancelled = await fetch(`${second.url}/api/bookings/${booking.id}/cancel`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'restart test' }),
    });
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as { state: string }).state).toBe('cancelled');

    // Without SMTP_HOST every mail is an .eml file in the data folder, its subject in the log:
    // the delivery Schedule (every 30 s) sends the confirmation and the cancellation.
    const mailDir = path.join(dataDir, 'mail');
    expect(first.output()).toContain(`mail: no SMTP_HOST; each e-mail is written to ${mailDir}`);
    const mails = await vi.waitFor(
      async () => {
        const files = (await readdir(mailDir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));
        const parsed = await Promise.all(files.map(async (f) => simpleParser(await readFile(path.join(mailDir, f)))));
        const ours = parsed.filter((m) => m.text?.includes(booking.id));
        expect(ours.map((m) => /^Pilotline: (\w+)/.exec(m.subject ?? '')?.[1]).sort()).toEqual(['Cancelled', 'Confirmed']);
        return ours;
      },
      { timeout: 90_000, interval: 1_000 },
    );
    const subject = mails.find((m) => m.subject?.startsWith('Pilotline: Confirmed'))!.subject!;
    expect(subject).toMatch(/^Pilotline: Confirmed: .+, \w{3} \d{1,2} \w{3}, \d{2}:\d{2}–\d{2}:\d{2} HKT$/);
    expect(first.output() + second.output()).toContain(`: ${subject} (`);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 240_000);
});
