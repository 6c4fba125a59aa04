import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authSettings } from '../../src/accounts/settings.js';
import { sessionFrom, startTestApi, type TestApi } from '../support/api.js';
import { steerableClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aUser, type TestUser } from '../support/scenario.js';
import { connectTestClient, type TestClient } from '../support/temporal.js';

// "My profile": a user reads it and changes their name and password; only an administrator changes
// an e-mail address. Bad input is a 422 naming the field, and nothing is written.

const clock = steerableClock();
let database: TestDatabase;
let temporal: TestClient;
let api: TestApi;
let tess: TestUser;
let ada: TestUser;
const password = 'correct horse battery';

beforeAll(async () => {
  database = await createTestDatabase();
  temporal = await connectTestClient();
  api = await startTestApi(
    { db: database.db, clock, temporal: { client: temporal.client, namespace: 'default', taskQueue: 'none' } },
    { auth: authSettings({ signInAttemptsPerMinute: 1_000 }) },
  );
  tess = await aUser(database.db, 'tess', 'uni-a', 'tenant_user', [], { password });
  ada = await aUser(database.db, 'ada', 'institute', 'admin', [], { password });
});

afterAll(async () => {
  await api?.[Symbol.asyncDispose]();
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

const signIn = async (user: TestUser, pass = password) =>
  api.call('POST', '/api/auth/sign-in', { body: { email: user.email, password: pass } });
const userRow = (id: string) => database.db.user.findUniqueOrThrow({ where: { id } });

describe('my profile', () => {
  it('shows name, e-mail, role, tenant and how one signs in — whether there is a password, never its hash', async () => {
    const response = await api.call('GET', '/api/profile', { token: tess.token });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      userId: 'tess',
      name: 'tess',
      email: 'tess@example.org',
      role: 'tenant_user',
      tenant: { id: 'uni-a', name: 'uni-a' },
      hasPassword: true,
      oidcIssuer: null,
      lastSignInAt: null,
    });
  });

  it('changes the name; the e-mail address only for an administrator', async () => {
    const renamed = await api.call('POST', '/api/profile', { token: tess.token, body: { name: 'Tess Lo' } });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().name).toBe('Tess Lo');

    const refused = await api.call('POST', '/api/profile', { token: tess.token, body: { name: 'T', email: 'tess@elsewhere.org' } });
    expect(refused.statusCode).toBe(403);
    expect((await userRow('tess')).name).toBe('Tess Lo');
    // Sending one's own address back (as the form does) is no change.
    expect((await api.call('POST', '/api/profile', { token: tess.token, body: { email: 'TESS@example.org' } })).statusCode).toBe(200);

    const moved = await api.call('POST', '/api/profile', { token: ada.token, body: { email: 'Ada@Institute.example' } });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().email).toBe('ada@institute.example');
    ada.email = 'ada@institute.example';
    expect((await signIn(ada)).statusCode).toBe(200);
  });

  it("refuses another account's e-mail address, an empty change and bad text, naming the field", async () => {
    const before = await userRow('ada');
    for (const [body, field] of [
      [{ email: 'tess@example.org' }, 'body.email'],
      [{ email: 'not an address' }, 'body.email'],
      [{ name: '' }, 'body.name'],
      [{ name: 'bell\u0007' }, 'body.name'],
      [{}, 'body'],
    ] as const) {
      const response = await api.call('POST', '/api/profile', { token: ada.token, body });
      expect(response.statusCode, JSON.stringify(body)).toBe(422);
      expect(response.json().issues.map((i: { field: string }) => i.field)).toEqual([field]);
    }
    expect(await userRow('ada')).toEqual(before);
  });
});

describe('changing my password', () => {
  it('needs the current password and a long enough new one, naming the field and changing nothing otherwise', async () => {
    const before = (await userRow('tess')).passwordHash;
    const change = (body: unknown) => api.call('POST', '/api/profile/password', { token: tess.token, body });
    const wrong = await change({ currentPassword: 'not it at all', newPassword: 'a long new password' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().issues).toEqual([{ field: 'body.currentPassword', message: 'is not your current password' }]);
    const short = await change({ currentPassword: password, newPassword: 'too short' });
    expect(short.statusCode).toBe(422);
    expect(short.json().issues).toEqual([{ field: 'body.newPassword', message: 'must be at least 10 characters' }]);
    expect((await userRow('tess')).passwordHash).toBe(before);
  });

  it('ends the other sessions but keeps the one that changed it; the old password no longer signs in', async () => {
    const elsewhere = sessionFrom(await signIn(tess));
    const here = sessionFrom(await signIn(tess));
    const changed = await api.call('POST', '/api/profile/password', {
      cookie: here.cookie,
      csrf: here.csrf,
      body: { currentPassword: password, newPassword: 'an entirely new password' },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toEqual({ changed: true, endedSessions: 1 });
    expect((await userRow('tess')).passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await api.call('GET', '/api/me', { cookie: here.cookie })).statusCode).toBe(200);
    expect((await api.call('GET', '/api/me', { cookie: elsewhere.cookie })).statusCode).toBe(401);
    expect((await signIn(tess)).statusCode).toBe(401);
    expect((await signIn(tess, 'an entirely new password')).statusCode).toBe(200);
  });
});
