import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authSettings, oidcCallbackPath } from '../../src/accounts/settings.js';
import { issueSignInLink } from '../../src/accounts/sign-in-links.js';
import { systemClock } from '../../src/clock.js';
import { freePort } from '../../src/runtime/ports.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestIssuer, type TestIssuer } from '../support/oidc-issuer.js';
import { aTool, aUser, type TestUser } from '../support/scenario.js';
import { connectTestClient, type TestClient } from '../support/temporal.js';
import { listenApi, testChromium, type ListeningApi } from './browser.js';

// People's own account pages in real Chromium: a one-time link sets the password, "My profile",
// "API tokens" (shown once, used, revoked), the session ending under them, and the identity
// provider's button — on another site (localhost vs 127.0.0.1), so the SameSite=Strict cookie
// is shown to work after a cross-site redirect chain.

let database: TestDatabase;
let temporal: TestClient;
let idp: TestIssuer;
let api: ListeningApi;
let browser: Awaited<ReturnType<typeof testChromium>>;
let context: BrowserContext;
let page: Page;
let bea: TestUser;
const pageErrors: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await aTool(db, 'SEM-1', 'sem');
  bea = await aUser(db, 'bea', 'uni-a', 'tenant_user', ['sem'], { password: 'bea password 12' });
  await db.user.create({ data: { id: 'neo', tenantId: 'uni-a', name: 'Neo Student', email: 'neo@example.org', role: 'tenant_user' } });
  const port = await freePort();
  // The issuer on "localhost", Pilotline on "127.0.0.1": two sites to the browser.
  idp = await startTestIssuer(`http://127.0.0.1:${port}${oidcCallbackPath}`, 'localhost');
  [temporal, browser] = await Promise.all([connectTestClient(), testChromium()]);
  api = await listenApi(
    { db, clock: systemClock, temporal: { client: temporal.client, namespace: 'default', taskQueue: 'none' } },
    (url) =>
      authSettings({
        publicUrl: url,
        oidc: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, label: 'Institute login' },
      }),
    port,
  );
  context = await browser.newContext({ viewport: { width: 1300, height: 850 } });
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await api?.close();
  await idp?.[Symbol.asyncDispose]();
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 50 });
const text = (locator: Locator) => eventually(async () => (await locator.textContent()) ?? '');

async function signIn(email: string, password: string) {
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('header.topbar').waitFor();
}

async function signOut() {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#email').waitFor();
}

describe('account pages in the browser', () => {
  it('sets a new person’s password through their one-time link and signs them in', async () => {
    const link = await issueSignInLink(database.db, { userId: 'neo', purpose: 'welcome', now: new Date(), publicUrl: api.url });
    await page.goto(link.url);
    await page.locator('#new-password').fill('short');
    await page.locator('#new-password-again').fill('short');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await text(page.locator('.problem')).toContain('must be at least 10 characters');

    await page.locator('#new-password').fill('neo chose this one');
    await page.locator('#new-password-again').fill('neo chose this one');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await text(page.locator('header .me')).toContain('Neo Student');
    // The used link is out of the address bar, and opens nothing any more.
    expect(page.url()).not.toContain('token=');
    await signOut();
    await page.goto(link.url);
    await page.locator('#new-password').fill('a second try at it');
    await page.locator('#new-password-again').fill('a second try at it');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await text(page.locator('.problem')).toContain('already used or expired');
    await page.getByRole('link', { name: 'Already have a password? Sign in.' }).click();
    await signIn('neo@example.org', 'neo chose this one');
    await signOut();
    expect(pageErrors).toEqual([]);
  });

  it('shows my profile: the name changes, the e-mail address is read-only, the password changes', async () => {
    await signIn(bea.email, bea.password!);
    await page.locator('header .me').click();
    const details = page.locator('.profile-details');
    await eventually(() => details.locator('input[name=name]').inputValue()).toBe('bea');
    expect(await details.locator('input[name=email]').getAttribute('readonly')).not.toBeNull();
    await text(details.locator('.profile-methods')).toBe('a password');
    await details.locator('input[name=name]').fill('Bea Wong');
    await details.getByRole('button', { name: 'Save' }).click();
    await page.locator('.toast').filter({ hasText: 'Profile saved' }).waitFor();
    expect((await database.db.user.findUniqueOrThrow({ where: { id: 'bea' } })).name).toBe('Bea Wong');

    const password = page.locator('.profile-password');
    await password.locator('input[name=currentPassword]').fill('not my password');
    await password.locator('input[name=newPassword]').fill('bea new password');
    await password.getByRole('button', { name: 'Change password' }).click();
    await text(password.locator('.problem')).toContain('is not your current password');
    await password.locator('input[name=currentPassword]').fill(bea.password!);
    await password.getByRole('button', { name: 'Change password' }).click();
    await page.locator('.toast').filter({ hasText: 'Password changed' }).waitFor();
    bea.password = 'bea new password';
    expect(pageErrors).toEqual([]);
  });

  it('makes an API token shown once, shows its last use, and revokes it', async () => {
    await page.locator('header').getByRole('link', { name: 'API tokens' }).click();
    await page.locator('.new-token input[name=name]').fill('utilisation notebook');
    await page.locator('.new-token select[name=lifetime]').selectOption('30');
    await page.getByRole('button', { name: 'Make token' }).click();
    const secret = await page.locator('.new-secret .secret').inputValue();
    expect(secret).toMatch(/^plt_/);
    const row = page.locator('table.tokens tr').filter({ hasText: 'utilisation notebook' });
    await text(row.locator('.badge')).toBe('active');
    await text(row.locator('.last-used')).toBe('never');

    const used = await fetch(`${api.url}/api/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await used.json()).userId).toBe('bea');
    await page.getByRole('button', { name: 'Done' }).click();
    // The secret is gone from the page for good; the list never had it.
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await text(row.locator('.last-used')).not.toBe('never');

    await row.getByRole('button', { name: 'Revoke' }).click();
    await text(row.locator('.badge')).toBe('revoked');
    expect((await fetch(`${api.url}/api/me`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);
    expect(pageErrors).toEqual([]);
  });

  it('goes back to sign-in, saying so, when the session ends on the server', async () => {
    await page.getByRole('link', { name: 'Schedule' }).click();
    await page.locator('.gantt').waitFor();
    await database.db.session.updateMany({ where: { userId: 'bea' }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    await page.getByRole('link', { name: 'My bookings' }).click();
    await page.locator('#email').waitFor();
    await text(page.locator('.problem')).toContain('Your session has ended');
    await signIn(bea.email, bea.password!);
    await text(page.locator('header .me')).toContain('Bea Wong');
    await signOut();
    expect(pageErrors).toEqual([]);
  });

  it('signs in through the identity provider on another site, and says clearly when it does not know the person', async () => {
    await page.goto(`${api.url}/#/sign-in`);
    idp.logInAs({ subject: 'idp-bea', email: 'bea@example.org', emailVerified: true });
    await page.getByRole('link', { name: 'Sign in with Institute login' }).click();
    await text(page.locator('header .me')).toContain('Bea Wong');
    expect(new URL(page.url()).origin).toBe(api.url);
    const cookie = (await context.cookies(api.url)).find((c) => c.name === 'pilotline_session');
    expect(cookie).toMatchObject({ sameSite: 'Strict', httpOnly: true });
    await signOut();

    // Someone else at this browser: the issuer's own session (its cookies) is gone too.
    await context.clearCookies({ domain: 'localhost' });
    idp.logInAs({ subject: 'idp-stranger', email: 'stranger@elsewhere.org', emailVerified: true });
    await page.getByRole('link', { name: 'Sign in with Institute login' }).click();
    await text(page.locator('.problem[data-code="unknown-user"]')).toContain('Pilotline has no account for you');
    expect(await page.locator('header.topbar').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
