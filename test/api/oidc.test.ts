import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authSettings, oidcCallbackPath } from '../../src/accounts/settings.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { steerableClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { CookieJar, startTestIssuer, type IdpAccount, type TestIssuer } from '../support/oidc-issuer.js';
import { aUser } from '../support/scenario.js';
import { connectTestClient, type TestClient } from '../support/temporal.js';

// Sign-in through a real OpenID Connect issuer (oidc-provider, on a local port): the authorization
// code flow with PKCE, state and nonce, as a browser follows it from Pilotline to the issuer and back.

const publicUrl = 'http://pilotline.test';
const clock = steerableClock();
let database: TestDatabase;
let temporal: TestClient;
let idp: TestIssuer;
let api: TestApi;

beforeAll(async () => {
  database = await createTestDatabase();
  temporal = await connectTestClient();
  idp = await startTestIssuer(publicUrl + oidcCallbackPath);
  const oidc = { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, label: 'Institute login' };
  api = await startTestApi(
    { db: database.db, clock, temporal: { client: temporal.client, namespace: 'default', taskQueue: 'none' } },
    { auth: authSettings({ publicUrl, oidc }) },
  );
  await aUser(database.db, 'vera', 'uni-a');
  await aUser(database.db, 'olaf', 'uni-a');
});

afterAll(async () => {
  await api?.[Symbol.asyncDispose]();
  await idp?.[Symbol.asyncDispose]();
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

interface Landing {
  /** Where Pilotline sent the browser at the end (a path and hash in the app). */
  location: string;
  jar: CookieJar;
  sessionCookie: string | undefined;
}

/** GET on Pilotline (in-process) as the browser with `jar`. */
async function appGet(jar: CookieJar, url: URL) {
  const response = await api.app.inject({ method: 'GET', url: url.pathname + url.search, headers: { cookie: jar.header(url) } });
  const setCookie = response.headers['set-cookie'];
  jar.store(url, setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie]);
  return response;
}

/**
 * A browser pressing "Sign in with …": Pilotline → the issuer (where `account` logs in) → back to
 * Pilotline's callback, which `tamper` may alter first. `jar` is the browser's cookies.
 */
async function signInAtIssuer(account: IdpAccount, tamper: (callback: URL) => URL = (u) => u, jar = new CookieJar()): Promise<Landing> {
  idp.logInAs(account);
  const started = await appGet(jar, new URL('/auth/oidc/start', publicUrl));
  expect(started.statusCode).toBe(302);
  let url = new URL(started.headers.location as string);
  expect(url.origin).toBe(idp.issuer);
  expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  for (let hops = 0; url.origin === idp.issuer; hops++) {
    if (hops > 10) throw new Error('the issuer keeps redirecting');
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header(url) } });
    jar.store(url, response.headers.getSetCookie());
    if (response.status < 300 || response.status >= 400) throw new Error(`issuer answered ${response.status}: ${await response.text()}`);
    url = new URL(response.headers.get('location')!, url);
  }
  expect(url.href.startsWith(publicUrl + oidcCallbackPath)).toBe(true);
  const landed = await appGet(jar, tamper(url));
  expect(landed.statusCode).toBe(302);
  return {
    location: landed.headers.location as string,
    jar,
    sessionCookie: jar.header(new URL(publicUrl)).match(/pilotline_session=([^;]+)/)?.[1],
  };
}

const vera = { subject: 'idp-7f3a-vera', email: 'Vera@Example.org', emailVerified: true };

describe('sign-in through the OpenID Connect issuer', () => {
  it('offers the issuer on the sign-in page', async () => {
    const options = await api.call('GET', '/api/auth/options');
    expect(options.json()).toEqual({ oidc: { label: 'Institute login', startUrl: '/auth/oidc/start' } });
  });

  it('signs in a known person by their verified e-mail the first time, then by their subject', async () => {
    const first = await signInAtIssuer(vera);
    expect(first.location).toBe('/#/schedule');
    expect(first.sessionCookie).toBeDefined();
    const me = await api.call('GET', '/api/me', { cookie: `pilotline_session=${first.sessionCookie}` });
    expect(me.statusCode).toBe(200);
    expect(me.json().userId).toBe('vera');
    const linked = await database.db.user.findUniqueOrThrow({ where: { id: 'vera' } });
    expect([linked.oidcIssuer, linked.oidcSubject]).toEqual([idp.issuer, vera.subject]);

    // Her address changed at the issuer: she is still herself, by her subject.
    const again = await signInAtIssuer({ ...vera, email: 'vera.new@example.org' });
    expect(again.location).toBe('/#/schedule');
    const session = await api.call('GET', '/api/auth/session', { cookie: `pilotline_session=${again.sessionCookie}` });
    expect(session.json().me.userId).toBe('vera');
  });

  it('refuses a person Pilotline does not know, and one whose e-mail the issuer did not verify, creating nobody', async () => {
    const users = await database.db.user.count();
    const sessions = await database.db.session.count();
    for (const stranger of [
      { subject: 'idp-stranger', email: 'stranger@elsewhere.org', emailVerified: true },
      { subject: 'idp-olaf?', email: 'olaf@example.org', emailVerified: false },
    ]) {
      const refused = await signInAtIssuer(stranger);
      expect(refused.location).toBe('/#/sign-in?problem=unknown-user');
      expect(refused.sessionCookie).toBeUndefined();
    }
    expect(await database.db.user.count()).toBe(users);
    expect(await database.db.session.count()).toBe(sessions);
    expect((await database.db.user.findUniqueOrThrow({ where: { id: 'olaf' } })).oidcSubject).toBeNull();
  });

  it('refuses a callback whose state was tampered with, or that another browser started', async () => {
    const sessions = await database.db.session.count();
    const olaf = { subject: 'idp-olaf', email: 'olaf@example.org', emailVerified: true };
    const tampered = await signInAtIssuer(olaf, (callback) => {
      const url = new URL(callback);
      url.searchParams.set('state', `${url.searchParams.get('state')}x`);
      return url;
    });
    expect(tampered.location).toBe('/#/sign-in?problem=state');
    expect(tampered.sessionCookie).toBeUndefined();

    // An attacker's own callback (their code, their state) opened in a victim's browser.
    const victim = new CookieJar();
    await appGet(victim, new URL('/auth/oidc/start', publicUrl));
    let attackersCallback: URL | undefined;
    await signInAtIssuer(olaf, (callback) => {
      attackersCallback = callback;
      return new URL('/auth/oidc/callback?state=none', publicUrl);
    });
    const planted = await appGet(victim, attackersCallback!);
    expect(planted.headers.location).toBe('/#/sign-in?problem=state');
    expect(victim.header(new URL(publicUrl))).not.toContain('pilotline_session');

    expect(await database.db.session.count()).toBe(sessions);
    expect((await database.db.user.findUniqueOrThrow({ where: { id: 'olaf' } })).oidcSubject).toBeNull();
  });

  it('refuses a deactivated person', async () => {
    await database.db.user.update({ where: { id: 'vera' }, data: { active: false } });
    try {
      const refused = await signInAtIssuer(vera);
      expect(refused.location).toBe('/#/sign-in?problem=deactivated');
      expect(refused.sessionCookie).toBeUndefined();
    } finally {
      await database.db.user.update({ where: { id: 'vera' }, data: { active: true } });
    }
  });

  it('answers 404 and offers no button where no issuer is configured', async () => {
    await using plain = await startTestApi({ db: database.db, clock, temporal: { client: temporal.client, namespace: 'default', taskQueue: 'none' } });
    expect((await plain.call('GET', '/api/auth/options')).json()).toEqual({ oidc: null });
    expect((await plain.call('GET', '/auth/oidc/start')).statusCode).toBe(404);
  });
});
