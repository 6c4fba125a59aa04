import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authSettings } from '../../src/accounts/settings.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { steerableClock } from '../support/clock.js';
import { countingDb, type CountingDb } from '../support/counting-db.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aUser, type TestUser } from '../support/scenario.js';
import { connectTestClient, type TestClient } from '../support/temporal.js';

// An API node remembers who holds a bearer token for TOKEN_CACHE_SECONDS (5 s by default): a
// script's burst costs one lookup. A token revoked or a user deactivated on another node (straight
// in the database here) stops working within those 5 s; revoked, or its user deactivated or given
// another role, through this node: at once; a token that expires sooner stops at its expiry.

const ttlMs = 5_000;
const clock = steerableClock();
let database: TestDatabase;
let counting: CountingDb;
let temporal: TestClient;
let api: TestApi;
let t0 = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  counting = countingDb(database.url);
  temporal = await connectTestClient();
  api = await startTestApi(
    {
      db: counting.db,
      clock,
      temporal: { client: temporal.client, namespace: 'default', taskQueue: 'none' },
    },
    { auth: authSettings({ tokenCacheMs: ttlMs }) },
  );
});

afterAll(async () => {
  await api?.[Symbol.asyncDispose]();
  await temporal?.[Symbol.asyncDispose]();
  await counting?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

let n = 0;
async function aFreshUser(): Promise<TestUser> {
  t0 = Date.UTC(2034, 2, 1) + n * 3_600_000;
  clock.jumpTo(t0);
  return aUser(database.db, `user-${++n}`, 'uni-a');
}

const me = async (token: string) => (await api.send('GET', '/api/me', { token })).statusCode;
const at = (ms: number) => clock.jumpTo(t0 + ms);

/**
 * The first use of a token, and when the node's memory of it ends: `rememberedFrom` (taken before
 * the request) + TTL at the earliest, `rememberedTo` (after its answer) + TTL at the latest.
 */
async function firstUse(token: string) {
  const rememberedFrom = clock.now().getTime();
  expect(await me(token)).toBe(200);
  return { stillRemembered: rememberedFrom + ttlMs - 500, forgotten: clock.now().getTime() + ttlMs + 1 };
}

describe('the token cache', () => {
  it('looks a token up once for a burst of requests', async () => {
    const user = await aFreshUser();
    counting.reset();
    for (let i = 0; i < 20; i++) expect(await me(user.token)).toBe(200);
    expect(counting.statements().filter((s) => /FROM "public"\."api_tokens"/.test(s))).toHaveLength(1);
  });

  it('stops a token revoked on another node within the TTL', async () => {
    const user = await aFreshUser();
    const use = await firstUse(user.token);
    await database.db.apiToken.updateMany({
      where: { userId: user.actor.userId },
      data: { revokedAt: new Date(t0) },
    });
    clock.jumpTo(use.stillRemembered);
    expect(await me(user.token)).toBe(200);
    clock.jumpTo(use.forgotten);
    expect(await me(user.token)).toBe(401);
  });

  it('stops the tokens of a user deactivated on another node within the TTL', async () => {
    const user = await aFreshUser();
    const use = await firstUse(user.token);
    await database.db.user.update({ where: { id: user.actor.userId }, data: { active: false } });
    clock.jumpTo(use.stillRemembered);
    expect(await me(user.token)).toBe(200);
    clock.jumpTo(use.forgotten);
    const refused = await api.send('GET', '/api/me', { token: user.token });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().detail).toBe('This account is deactivated');
  });

  it('stops a token revoked through this node at once', async () => {
    const user = await aFreshUser();
    const made = (
      await api.call('POST', '/api/tokens', { token: user.token, body: { name: 'script' } })
    ).json();
    expect(await me(made.secret)).toBe(200);
    expect(
      (await api.call('POST', `/api/tokens/${made.token.id}/revoke`, { token: user.token })).statusCode,
    ).toBe(200);
    expect(await me(made.secret)).toBe(401);
  });

  it('stops the tokens of a user deactivated through this node at once, and serves a new role at once', async () => {
    const admin = await aUser(database.db, `admin-${++n}`, 'facility', 'admin');
    const user = await aFreshUser();
    await firstUse(user.token);
    expect((await api.send('GET', '/api/users', { token: user.token })).statusCode).toBe(403);
    expect((await api.call('PATCH', `/api/users/${user.actor.userId}`, { token: admin.token, body: { role: 'tenant_manager' } })).statusCode).toBe(200);
    // Only a tenant manager lists the tenant's people: the cached tenant_user would get 403.
    expect((await api.send('GET', '/api/users', { token: user.token })).statusCode).toBe(200);
    expect((await api.call('POST', `/api/users/${user.actor.userId}/deactivate`, { token: admin.token, body: {} })).statusCode).toBe(200);
    expect(await me(user.token)).toBe(401);
  });

  it('stops a token at its own expiry when that comes before the TTL', async () => {
    const user = await aFreshUser();
    const expiresAt = new Date(t0 + 2_000).toISOString();
    const made = (
      await api.call('POST', '/api/tokens', { token: user.token, body: { name: 'short', expiresAt } })
    ).json();
    expect(await me(made.secret)).toBe(200);
    at(2_001);
    expect(await me(made.secret)).toBe(401);
  });
});
