import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/accounts/secrets.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { steerableClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aUser, type TestUser } from '../support/scenario.js';
import { connectTestClient, type TestClient } from '../support/temporal.js';

// Personal API tokens: created and named by their owner, shown once, stored hashed, listed without
// secrets with their last use, expiring and revocable; an administrator sees and revokes anyone's.

const clock = steerableClock();
let database: TestDatabase;
let temporal: TestClient;
let api: TestApi;
let tess: TestUser;
let tom: TestUser;
let ada: TestUser;

beforeAll(async () => {
  clock.jumpTo(new Date('2034-03-01T00:00:00Z'));
  database = await createTestDatabase();
  temporal = await connectTestClient();
  api = await startTestApi({ db: database.db, clock, temporal: { client: temporal.client, namespace: 'default', taskQueue: 'none' } });
  tess = await aUser(database.db, 'tess', 'uni-a');
  tom = await aUser(database.db, 'tom', 'uni-a');
  ada = await aUser(database.db, 'ada', 'institute', 'admin');
});

afterAll(async () => {
  await api?.[Symbol.asyncDispose]();
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

const create = (user: TestUser, body: unknown) => api.call('POST', '/api/tokens', { token: user.token, body });
const list = async (user: TestUser, query = '') => {
  const response = await api.call('GET', `/api/tokens${query}`, { token: user.token });
  return { status: response.statusCode, body: response.body, tokens: response.json().tokens as Array<Record<string, unknown>> };
};

describe('API tokens', () => {
  it('are shown once when made, stored as a hash, and work as bearer tokens', async () => {
    const expiresAt = new Date(clock.now().getTime() + 30 * 86_400_000).toISOString();
    const response = await create(tess, { name: 'plotting script', expiresAt });
    expect(response.statusCode).toBe(201);
    const { token, secret } = response.json();
    expect(secret).toMatch(/^plt_[\w-]{43}$/);
    expect(token).toMatchObject({ userId: 'tess', name: 'plotting script', state: 'active', expiresAt, lastUsedAt: null, revokedAt: null });

    const row = await database.db.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.tokenHash).toBe(hashSecret(secret));
    const listed = await list(tess);
    expect(listed.tokens.map((t) => t.name)).toContain('plotting script');
    expect(listed.body).not.toContain(secret);
    expect(listed.body).not.toContain(row.tokenHash);

    const me = await api.call('GET', '/api/me', { token: secret });
    expect(me.statusCode).toBe(200);
    expect(me.json().userId).toBe('tess');
  });

  it('record their last use, at most once a minute', async () => {
    const { token, secret } = (await create(tess, { name: 'cron job' })).json();
    const used = async () => (await database.db.apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt?.getTime();
    expect(await used()).toBeUndefined();
    await api.call('GET', '/api/me', { token: secret });
    const first = await used();
    expect(first).toBeCloseTo(clock.now().getTime(), -3);
    await api.call('GET', '/api/me', { token: secret });
    expect(await used()).toBe(first);
    const now = clock.now().getTime();
    try {
      clock.jumpTo(now + 61_000);
      await api.call('GET', '/api/me', { token: secret });
      expect(await used()).toBeGreaterThanOrEqual(first! + 61_000);
    } finally {
      clock.jumpTo(now);
    }
    expect((await list(tess)).tokens.find((t) => t.id === token.id)?.lastUsedAt).toEqual(expect.any(String));
  });

  it('stop working when they expire', async () => {
    const expiresAt = new Date(clock.now().getTime() + 60_000).toISOString();
    const { token, secret } = (await create(tess, { name: 'short-lived', expiresAt })).json();
    const now = clock.now().getTime();
    try {
      clock.jumpTo(now + 61_000);
      const refused = await api.call('GET', '/api/me', { token: secret });
      expect(refused.statusCode).toBe(401);
      expect(refused.json().detail).toBe('This token has expired');
      expect((await list(tess)).tokens.find((t) => t.id === token.id)?.state).toBe('expired');
    } finally {
      clock.jumpTo(now);
    }
  });

  it('are revoked by their owner at once; another user cannot even see them', async () => {
    const { token, secret } = (await create(tess, { name: 'to revoke' })).json();
    const byTom = await api.call('POST', `/api/tokens/${token.id}/revoke`, { token: tom.token });
    expect(byTom.statusCode).toBe(404);
    expect((await api.call('GET', '/api/me', { token: secret })).statusCode).toBe(200);
    expect((await list(tom, '?userId=tess')).status).toBe(403);
    expect((await list(tom, '?all=true')).status).toBe(403);

    const revoked = await api.call('POST', `/api/tokens/${token.id}/revoke`, { token: tess.token });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id: token.id, state: 'revoked', revokedAt: expect.any(String) });
    const refused = await api.call('GET', '/api/me', { token: secret });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().detail).toBe('Unknown or revoked token');
  });

  it("let an administrator list everyone's and revoke anyone's", async () => {
    const { token, secret } = (await create(tom, { name: "tom's notebook" })).json();
    const all = await list(ada, '?all=true');
    expect(all.status).toBe(200);
    expect(new Set(all.tokens.map((t) => t.userId))).toEqual(new Set(['tess', 'tom', 'ada']));
    expect((await list(ada, '?userId=tom')).tokens.every((t) => t.userId === 'tom')).toBe(true);
    const revoked = await api.call('POST', `/api/tokens/${token.id}/revoke`, { token: ada.token });
    expect(revoked.statusCode).toBe(200);
    expect((await api.call('GET', '/api/me', { token: secret })).statusCode).toBe(401);
  });

  it('refuse a name that is empty or too long and an expiry in the past, naming the field and writing nothing', async () => {
    const before = await database.db.apiToken.count();
    const past = new Date(clock.now().getTime() - 60_000).toISOString();
    for (const [body, field] of [
      [{ name: '' }, 'body.name'],
      [{ name: 'x'.repeat(101) }, 'body.name'],
      [{ name: 'nul\u0000' }, 'body.name'],
      [{ name: 'old', expiresAt: past }, 'body.expiresAt'],
      [{ name: 'far', expiresAt: '2200-01-01T00:00:00Z' }, 'body.expiresAt'],
    ] as const) {
      const response = await create(tess, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(422);
      expect(response.json().issues.map((i: { field: string }) => i.field)).toEqual([field]);
    }
    expect(await database.db.apiToken.count()).toBe(before);
  });
});
