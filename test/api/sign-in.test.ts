import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/accounts/secrets.js';
import { authSettings } from '../../src/accounts/settings.js';
import { issueSignInLink } from '../../src/accounts/sign-in-links.js';
import type { ApiDeps } from '../../src/api/deps.js';
import { sessionFrom, startTestApi, type TestApi } from '../support/api.js';
import { steerableClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aUser, type TestUser } from '../support/scenario.js';
import { connectTestClient, type TestClient } from '../support/temporal.js';

// Browser sign-in through the real API: the session cookie, its rotation and end, CSRF on changes
// made with it, rate limiting, one-time links, security headers, and secrets kept out of logs.

const clock = steerableClock();
const ttlMs = 2 * 3_600_000;
let database: TestDatabase;
let temporal: TestClient;
let deps: ApiDeps;
let api: TestApi;
let tess: TestUser;
let dora: TestUser;
const password = 'correct horse battery';
/** Everything the API logged, at the most talkative level. */
let logged = '';

beforeAll(async () => {
  clock.jumpTo(new Date('2034-03-01T00:00:00Z'));
  database = await createTestDatabase();
  temporal = await connectTestClient();
  deps = { db: database.db, clock, temporal: { client: temporal.client, namespace: 'default', taskQueue: 'none' } };
  tess = await aUser(database.db, 'tess', 'uni-a', 'tenant_user', [], { password });
  dora = await aUser(database.db, 'dora', 'uni-a', 'tenant_user', [], { password });
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged += chunk.toString();
      done();
    },
  });
  api = await startTestApi(deps, {
    auth: authSettings({ sessionTtlMs: ttlMs, signInAttemptsPerMinute: 1_000 }),
    logStream,
    logLevel: 'trace',
  });
});

afterAll(async () => {
  await api?.[Symbol.asyncDispose]();
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

const signIn = (email: string, pass: string, cookie?: string) =>
  api.call('POST', '/api/auth/sign-in', { body: { email, password: pass }, ...(cookie ? { cookie } : {}) });

describe('signing in with a password', () => {
  it('opens a session behind an httpOnly SameSite=Strict cookie; the database keeps only its hash', async () => {
    const response = await signIn(tess.email, password);
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'pilotline_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie.secure).toBeUndefined();
    const body = response.json();
    expect(body.me).toMatchObject({ userId: 'tess', role: 'tenant_user', tenant: { id: 'uni-a' } });
    expect(Date.parse(body.expiresAt)).toBeCloseTo(clock.now().getTime() + ttlMs, -4);
    expect(body.csrfToken).toEqual(expect.any(String));

    const rows = await database.db.session.findMany({ where: { userId: 'tess' } });
    expect(rows.map((r) => r.id)).toEqual([hashSecret(cookie.value)]);
    expect(rows[0]!.id).not.toContain(cookie.value);
    const me = await api.call('GET', '/api/me', { cookie: `pilotline_session=${cookie.value}` });
    expect(me.statusCode).toBe(200);
    expect(me.json().userId).toBe('tess');
    expect((await database.db.user.findUniqueOrThrow({ where: { id: 'tess' } })).lastSignInAt).not.toBeNull();
  });

  it('matches the e-mail address whatever its case', async () => {
    expect((await signIn('  TESS@Example.ORG ', password)).statusCode).toBe(200);
  });

  it('refuses a wrong password, an unknown address and a deactivated account alike, setting no cookie', async () => {
    await database.db.user.update({ where: { id: 'dora' }, data: { active: false, deactivatedAt: clock.now() } });
    try {
      for (const [email, pass] of [
        [tess.email, 'not the password'],
        ['nobody@example.org', password],
        [dora.email, password],
      ] as const) {
        const response = await signIn(email, pass);
        expect(response.statusCode, email).toBe(401);
        expect(response.headers['content-type']).toContain('application/problem+json');
        expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED', detail: 'Wrong e-mail or password' });
        expect(response.cookies).toEqual([]);
      }
    } finally {
      await database.db.user.update({ where: { id: 'dora' }, data: { active: true, deactivatedAt: null } });
    }
  });

  it('answers bad input with 422 naming the field, before checking anything', async () => {
    const response = await api.call('POST', '/api/auth/sign-in', { body: { email: 'tess\u0000@example.org', password: 'x\uD800' } });
    expect(response.statusCode).toBe(422);
    expect(response.json().issues.map((i: { field: string }) => i.field).sort()).toEqual(['body.email', 'body.password']);
  });

  it('rotates the session on sign-in: the one the browser came with ends', async () => {
    const first = sessionFrom(await signIn(tess.email, password));
    const second = sessionFrom(await signIn(tess.email, password, first.cookie));
    expect(second.secret).not.toBe(first.secret);
    expect((await api.call('GET', '/api/me', { cookie: first.cookie })).statusCode).toBe(401);
    expect((await api.call('GET', '/api/me', { cookie: second.cookie })).statusCode).toBe(200);
    expect(await database.db.session.count({ where: { id: hashSecret(first.secret) } })).toBe(0);
  });

  it('signs out by ending the session on the server: the same cookie is refused afterwards', async () => {
    const session = sessionFrom(await signIn(tess.email, password));
    const out = await api.call('POST', '/api/auth/sign-out', { cookie: session.cookie, csrf: session.csrf });
    expect(out.statusCode).toBe(200);
    expect(out.cookies.find((c) => c.name === 'pilotline_session')?.value).toBe('');
    const after = await api.call('GET', '/api/me', { cookie: session.cookie });
    expect(after.statusCode).toBe(401);
    expect(after.json().detail).toBe('Your session has ended; sign in again');
    expect(await database.db.session.count({ where: { id: hashSecret(session.secret) } })).toBe(0);
  });

  it('ends a session when it expires, and removes it', async () => {
    const session = sessionFrom(await signIn(tess.email, password));
    const now = clock.now().getTime();
    try {
      clock.jumpTo(now + ttlMs - 60_000);
      expect((await api.call('GET', '/api/auth/session', { cookie: session.cookie })).statusCode).toBe(200);
      clock.jumpTo(now + ttlMs + 1_000);
      const expired = await api.call('GET', '/api/me', { cookie: session.cookie });
      expect(expired.statusCode).toBe(401);
      expect(await database.db.session.count({ where: { id: hashSecret(session.secret) } })).toBe(0);
    } finally {
      clock.jumpTo(now);
    }
  });

  it("refuses a deactivated user's session and token", async () => {
    const session = sessionFrom(await signIn(dora.email, password));
    await database.db.user.update({ where: { id: 'dora' }, data: { active: false } });
    try {
      for (const auth of [{ cookie: session.cookie }, { token: dora.token }]) {
        const response = await api.call('GET', '/api/me', auth);
        expect(response.statusCode).toBe(401);
        expect(response.json().detail).toBe('This account is deactivated');
      }
    } finally {
      await database.db.user.update({ where: { id: 'dora' }, data: { active: true } });
    }
  });
});

describe('CSRF protection', () => {
  it('asks a change made with the session cookie for its CSRF token, and nothing else for it', async () => {
    const session = sessionFrom(await signIn(tess.email, password));
    const other = sessionFrom(await signIn(dora.email, password));
    const before = await database.db.apiToken.count();
    const create = (auth: { cookie?: string; csrf?: string; token?: string }) =>
      api.call('POST', '/api/tokens', { ...auth, body: { name: 'csrf check' } });

    for (const csrf of [undefined, 'forged', other.csrf]) {
      const refused = await create({ cookie: session.cookie, ...(csrf ? { csrf } : {}) });
      expect(refused.statusCode, String(csrf)).toBe(403);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json().code).toBe('FORBIDDEN');
      expect(refused.json().detail).toContain('x-csrf-token');
    }
    expect(await database.db.apiToken.count()).toBe(before);

    // Reading needs no token; a bearer token (which no forged browser request can carry) neither.
    expect((await api.call('GET', '/api/tokens', { cookie: session.cookie })).statusCode).toBe(200);
    expect((await create({ token: tess.token })).statusCode).toBe(201);
    // The session's own token, including a fresh one from GET /api/auth/session.
    expect((await create({ cookie: session.cookie, csrf: session.csrf })).statusCode).toBe(201);
    const fresh = (await api.call('GET', '/api/auth/session', { cookie: session.cookie })).json().csrfToken;
    expect((await create({ cookie: session.cookie, csrf: fresh })).statusCode).toBe(201);
  });
});

describe('one-time sign-in links', () => {
  it('set the password and sign in, once; a too-short password is refused and leaves the link usable', async () => {
    const link = await issueSignInLink(database.db, {
      userId: 'dora',
      purpose: 'reset',
      now: clock.now(),
      publicUrl: 'http://pilotline.test',
    });
    expect(link.url).toMatch(/^http:\/\/pilotline\.test\/#\/welcome\?token=pll_[\w-]+$/);
    const token = new URL(link.url.replace('#/welcome', 'welcome')).searchParams.get('token')!;
    const stored = await database.db.signInLink.findFirstOrThrow({ where: { userId: 'dora', usedAt: null, expiresAt: { gt: clock.now() } } });
    expect(stored.tokenHash).toBe(hashSecret(token));
    const old = sessionFrom(await signIn(dora.email, password));
    const hashBefore = (await database.db.user.findUniqueOrThrow({ where: { id: 'dora' } })).passwordHash;

    const short = await api.call('POST', '/api/auth/link', { body: { token, password: 'short' } });
    expect(short.statusCode).toBe(422);
    expect(short.json().issues).toEqual([{ field: 'body.password', message: 'must be at least 10 characters' }]);
    expect((await database.db.user.findUniqueOrThrow({ where: { id: 'dora' } })).passwordHash).toBe(hashBefore);

    const opened = await api.call('POST', '/api/auth/link', { body: { token, password: 'a brand new password' } });
    expect(opened.statusCode).toBe(200);
    expect(opened.json().me.userId).toBe('dora');
    const session = sessionFrom(opened);
    expect((await api.call('GET', '/api/me', { cookie: session.cookie })).statusCode).toBe(200);
    // The new password ends the sessions opened with the old one; the old password is gone.
    expect((await api.call('GET', '/api/me', { cookie: old.cookie })).statusCode).toBe(401);
    expect((await signIn(dora.email, password)).statusCode).toBe(401);
    expect((await signIn(dora.email, 'a brand new password')).statusCode).toBe(200);

    const again = await api.call('POST', '/api/auth/link', { body: { token, password: 'yet another password' } });
    expect(again.statusCode).toBe(401);
    expect(again.json().detail).toContain('unknown, already used or expired');
    await database.db.user.update({ where: { id: 'dora' }, data: { passwordHash: hashBefore } });
  });

  it('stop working when they expire, and when a newer link is issued', async () => {
    const issue = () => issueSignInLink(database.db, { userId: 'dora', purpose: 'reset', now: clock.now(), publicUrl: 'http://x.test', ttlMs: 60_000 });
    const tokenOf = (url: string) => decodeURIComponent(url.split('token=')[1]!);
    const first = tokenOf((await issue()).url);
    const second = tokenOf((await issue()).url);
    const redeem = (token: string) => api.call('POST', '/api/auth/link', { body: { token, password: 'a long enough password' } });
    expect((await redeem(first)).statusCode).toBe(401);
    const now = clock.now().getTime();
    try {
      clock.jumpTo(now + 61_000);
      expect((await redeem(second)).statusCode).toBe(401);
    } finally {
      clock.jumpTo(now);
    }
  });

  it('are handed out by an administrator: a welcome without a password, a reset with one', async () => {
    const ada = await aUser(database.db, 'ada', 'institute', 'admin');
    await database.db.user.create({ data: { id: 'nova', tenantId: 'uni-a', name: 'Nova', email: 'nova@example.org', role: 'tenant_user' } });
    const issue = (id: string, token = ada.token) => api.call('POST', `/api/users/${id}/sign-in-link`, { token });
    const welcome = await issue('nova');
    expect(welcome.statusCode).toBe(201);
    expect(welcome.json()).toMatchObject({ userId: 'nova', purpose: 'welcome', url: expect.stringMatching(/#\/welcome\?token=pll_/) });
    expect((await issue('tess')).json().purpose).toBe('reset');
    expect((await issue('nobody')).statusCode).toBe(404);
    expect((await issue('nova', tess.token)).statusCode).toBe(403);

    const token = decodeURIComponent(welcome.json().url.split('token=')[1]);
    const opened = await api.call('POST', '/api/auth/link', { body: { token, password: 'nova sets this one' } });
    expect(opened.json().me.userId).toBe('nova');
    expect((await signIn('nova@example.org', 'nova sets this one')).statusCode).toBe(200);
  });
});

describe('rate limiting', () => {
  it('answers too many sign-in attempts from one address with 429 problem+json, even with the right password', async () => {
    await using limited = await startTestApi(deps, { auth: authSettings({ signInAttemptsPerMinute: 3 }) });
    for (let i = 0; i < 3; i++) {
      const response = await limited.call('POST', '/api/auth/sign-in', { body: { email: tess.email, password: 'wrong guess' } });
      expect(response.statusCode).toBe(401);
    }
    const limitedAnswer = await limited.call('POST', '/api/auth/sign-in', { body: { email: tess.email, password } });
    expect(limitedAnswer.statusCode).toBe(429);
    expect(limitedAnswer.headers['content-type']).toContain('application/problem+json');
    expect(limitedAnswer.json().code).toBe('RATE_LIMITED');
    expect(Number(limitedAnswer.headers['retry-after'])).toBeGreaterThan(0);
    expect(limitedAnswer.cookies).toEqual([]);
    // Other endpoints are not limited.
    expect((await limited.call('GET', '/api/me', { token: tess.token })).statusCode).toBe(200);
  });
});

describe('what the server says and logs', () => {
  it('sends the security headers of @fastify/helmet with the same CSP on every answer', async () => {
    for (const url of ['/', '/api/auth/options']) {
      // `/` is the UI's page, not an operation of the API's document.
      const response = await api.send('GET', url);
      expect(response.headers['content-security-policy']).toBe(
        "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;connect-src 'self';base-uri 'none';form-action 'self';frame-ancestors 'none'",
      );
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      // Plain http here: no HSTS (it would pin a browser to https that this server does not speak).
      expect(response.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('marks the cookie Secure with the __Host- prefix, and sends HSTS, when the public URL is https', async () => {
    await using secure = await startTestApi(deps, { auth: authSettings({ publicUrl: 'https://pilotline.example.org' }) });
    const response = await secure.call('POST', '/api/auth/sign-in', { body: { email: tess.email, password } });
    expect(response.statusCode).toBe(200);
    expect(response.cookies).toEqual([
      expect.objectContaining({ name: '__Host-pilotline_session', secure: true, httpOnly: true, sameSite: 'Strict', path: '/' }),
    ]);
    expect(response.headers['strict-transport-security']).toContain('max-age=');
  });

  it('never logs a password, a session cookie, a CSRF token or a bearer token', async () => {
    logged = '';
    const response = await signIn(tess.email, password);
    const session = sessionFrom(response);
    await api.call('GET', '/api/me', { cookie: session.cookie });
    await api.call('POST', '/api/tokens', { cookie: session.cookie, csrf: session.csrf, body: { name: 'log check' } });
    await api.call('GET', '/api/me', { token: tess.token });
    await api.call('GET', '/api/me', { token: 'plt_a-guess-that-fails' });
    expect(logged).toContain('/api/me');
    for (const secret of [password, session.secret, session.csrf, tess.token, 'plt_a-guess-that-fails']) {
      expect(logged).not.toContain(secret);
    }
  });

  it('never answers with a password hash, a token hash or a session id', async () => {
    const session = sessionFrom(await signIn(tess.email, password));
    const created = await api.call('POST', '/api/tokens', { cookie: session.cookie, csrf: session.csrf, body: { name: 'hash check' } });
    const answers = [
      created,
      await api.call('GET', '/api/profile', { cookie: session.cookie }),
      await api.call('GET', '/api/tokens', { cookie: session.cookie }),
      await api.call('GET', '/api/auth/session', { cookie: session.cookie }),
      await api.call('GET', '/api/me', { cookie: session.cookie }),
    ].map((r) => r.body);
    const user = await database.db.user.findUniqueOrThrow({ where: { id: 'tess' } });
    const hashes = [
      user.passwordHash!,
      ...(await database.db.apiToken.findMany({ where: { userId: 'tess' } })).map((t) => t.tokenHash),
      ...(await database.db.session.findMany({ where: { userId: 'tess' } })).map((s) => s.id),
    ];
    expect(hashes.length).toBeGreaterThan(3);
    for (const body of answers) {
      expect(body).not.toContain('$argon2');
      for (const hash of hashes) expect(body).not.toContain(hash);
    }
  });
});
