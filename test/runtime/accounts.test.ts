import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminCanSignIn } from '../../src/accounts/first-admin.js';
import { hashPassword } from '../../src/accounts/passwords.js';
import { hashSecret } from '../../src/accounts/secrets.js';
import { authSettings } from '../../src/accounts/settings.js';
import type { PilotlineError } from '../../src/errors.js';
import { runUserCommand } from '../../src/runtime/user-command.js';
import { seedCatalogue } from '../../src/seed/seed.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { steerableClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { connectTestClient, type TestClient } from '../support/temporal.js';

// The first start's administrator link, and `pilotline user add|reset|token` run as an operator
// runs them (a real process on the test database); links and tokens then used through the API.

const projectRoot = path.resolve(import.meta.dirname, '../..');
const publicUrl = 'http://pilotline.test';
const clock = steerableClock();
let temporal: TestClient;
const disposables: AsyncDisposable[] = [];

beforeAll(async () => {
  temporal = await connectTestClient();
});
afterAll(async () => {
  for (const d of disposables.reverse()) await d[Symbol.asyncDispose]();
  await temporal?.[Symbol.asyncDispose]();
});

async function fresh(): Promise<{ database: TestDatabase; api: TestApi }> {
  const database = await createTestDatabase();
  disposables.push(database);
  const api = await startTestApi(
    { db: database.db, clock, temporal: { client: temporal.client, namespace: 'default', taskQueue: 'none' } },
    { auth: authSettings({ publicUrl, signInAttemptsPerMinute: 1_000 }) },
  );
  disposables.push(api);
  return { database, api };
}

const tokenIn = (url: string) => decodeURIComponent(/#\/welcome\?token=(pll_[\w-]+)/.exec(url)![1]!);
const openLink = (api: TestApi, url: string, password = 'the first password') =>
  api.call('POST', '/api/auth/link', { body: { token: tokenIn(url), password } });

describe('the first start', () => {
  it('creates one administrator (and a tenant for it) on an empty database, with a one-time link', async () => {
    const { database, api } = await fresh();
    const link = await ensureAdminCanSignIn(database.db, clock.now(), publicUrl);
    expect(link).toMatchObject({ userId: 'admin', email: 'admin@pilotline.local' });
    expect(link!.url.startsWith(`${publicUrl}/#/welcome?token=pll_`)).toBe(true);
    expect(link!.expiresAt.getTime() - clock.now().getTime()).toBeCloseTo(24 * 3_600_000, -4);
    expect(await database.db.user.findMany({ select: { id: true, role: true, tenantId: true } })).toEqual([
      { id: 'admin', role: 'admin', tenantId: 'facility' },
    ]);
    expect(await database.db.signInLink.count({ where: { tokenHash: hashSecret(tokenIn(link!.url)) } })).toBe(1);

    const opened = await openLink(api, link!.url);
    expect(opened.statusCode).toBe(200);
    expect(opened.json().me).toMatchObject({ userId: 'admin', role: 'admin' });
    expect((await openLink(api, link!.url, 'another password')).statusCode).toBe(401);
    // Now an administrator can sign in: the next start prints nothing and creates nobody.
    expect(await ensureAdminCanSignIn(database.db, clock.now(), publicUrl)).toBeNull();
    expect(await database.db.user.count()).toBe(1);
  });

  it("gives the seed's administrator the link, and a newer start's link replaces an unused one", async () => {
    const { database, api } = await fresh();
    await seedCatalogue(database.db, clock);
    const users = await database.db.user.count();
    const first = await ensureAdminCanSignIn(database.db, clock.now(), publicUrl);
    const second = await ensureAdminCanSignIn(database.db, clock.now(), publicUrl);
    expect(second).toMatchObject({ userId: 'admin', email: 'admin@pilotline.example' });
    expect(await database.db.user.count()).toBe(users);
    expect((await openLink(api, first!.url)).statusCode).toBe(401);
    expect((await openLink(api, second!.url)).statusCode).toBe(200);
  });

  it('counts an administrator linked to the identity provider, and not a deactivated one', async () => {
    const { database } = await fresh();
    await seedCatalogue(database.db, clock);
    await database.db.user.update({ where: { id: 'admin' }, data: { active: false, passwordHash: await hashPassword('a password nobody uses') } });
    // The seed's administrator is deactivated: a new one is made, under another id.
    const made = await ensureAdminCanSignIn(database.db, clock.now(), publicUrl);
    expect(made?.userId).toMatch(/^admin-[0-9a-z]+$/);
    expect(await database.db.user.count({ where: { role: 'admin', active: true } })).toBe(1);
    await database.db.user.updateMany({ where: { role: 'admin', active: true }, data: { oidcIssuer: 'https://login.example', oidcSubject: 'x' } });
    expect(await ensureAdminCanSignIn(database.db, clock.now(), publicUrl)).toBeNull();
  });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function pilotline(databaseUrl: string, ...args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, PUBLIC_URL: publicUrl, LOG_LEVEL: 'silent' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: projectRoot, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('pilotline user', () => {
  it('adds a user who sets their password through the printed link; refuses a taken address or an unknown tenant', async () => {
    const { database, api } = await fresh();
    await database.db.tenant.create({ data: { id: 'uni-a', name: 'University A', class: 'university' } });
    const added = await pilotline(database.url, 'user', 'add', 'Ng.Student@Uni-A.example', '--name', 'Ng Hoi-yan', '--tenant', 'uni-a');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Added ng.student@uni-a.example (ng-student, tenant_user of uni-a).');
    const user = await database.db.user.findUniqueOrThrow({ where: { id: 'ng-student' } });
    expect(user).toMatchObject({ email: 'ng.student@uni-a.example', name: 'Ng Hoi-yan', role: 'tenant_user', passwordHash: null });
    const welcome = await openLink(api, added.stdout, 'the student password');
    expect(welcome.json().me.userId).toBe('ng-student');

    // Refusals name the flag; the process says why on stderr and exits 1.
    const taken = await pilotline(database.url, 'user', 'add', 'ng.student@uni-a.example', '--name', 'Again', '--tenant', 'uni-a');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('ng.student@uni-a.example already has an account');
    const refusal = (flags: Record<string, string>) =>
      runUserCommand(database.db, clock, { action: 'add', email: 'x@uni-a.example', flags, publicUrl }).then(
        () => undefined,
        (err: PilotlineError) => ({ code: err.code, fields: err.issues?.map((i) => i.field), message: err.message }),
      );
    expect(await refusal({ name: 'X', tenant: 'uni-zz' })).toEqual({ code: 'VALIDATION_FAILED', fields: ['tenant'], message: 'No tenant uni-zz' });
    expect(await refusal({ name: 'X', tenant: 'uni-a', role: 'owner' })).toMatchObject({ fields: ['flags.role'] });
    expect(await refusal({ tenant: 'uni-a' })).toMatchObject({ fields: ['flags.name'] });
    expect(await database.db.user.count()).toBe(1);
  }, 60_000);

  it('resets a password with a link, and prints an API token that works once stored as a hash', async () => {
    const { database, api } = await fresh();
    await database.db.tenant.create({ data: { id: 'uni-a', name: 'University A', class: 'university' } });
    await database.db.user.create({
      data: { id: 'li', tenantId: 'uni-a', name: 'Prof. Li', email: 'li@uni-a.example', role: 'tenant_user', passwordHash: await hashPassword('the forgotten password') },
    });
    const reset = await pilotline(database.url, 'user', 'reset', 'li@uni-a.example');
    expect(reset.code).toBe(0);
    expect((await openLink(api, reset.stdout, 'a remembered password')).statusCode).toBe(200);
    const signIn = (password: string) => api.call('POST', '/api/auth/sign-in', { body: { email: 'li@uni-a.example', password } });
    expect((await signIn('the forgotten password')).statusCode).toBe(401);
    expect((await signIn('a remembered password')).statusCode).toBe(200);

    const issued = await pilotline(database.url, 'user', 'token', 'li@uni-a.example', '--name', 'analysis notebook', '--expires-days', '30');
    expect(issued.code).toBe(0);
    const secret = /(plt_[\w-]+)/.exec(issued.stdout)![1]!;
    const row = await database.db.apiToken.findUniqueOrThrow({ where: { tokenHash: hashSecret(secret) } });
    expect(row).toMatchObject({ userId: 'li', name: 'analysis notebook' });
    expect(row.expiresAt!.getTime() - row.createdAt.getTime()).toBe(30 * 86_400_000);
    const me = await api.call('GET', '/api/me', { token: secret });
    expect(me.json().userId).toBe('li');

    await expect(
      runUserCommand(database.db, clock, { action: 'token', email: 'nobody@uni-a.example', flags: {}, publicUrl }),
    ).rejects.toThrow('No user has the e-mail address nobody@uni-a.example');
  }, 60_000);
});
