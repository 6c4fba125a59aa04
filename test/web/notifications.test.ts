import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aTool, aUser, type TestUser } from '../support/scenario.js';
import { connectTestClient, type TestClient } from '../support/temporal.js';
import { listenApi, testChromium, type ListeningApi } from './browser.js';

// The "E-mail & calendars" page in real Chromium: preferences saved as the person chose them, a
// calendar feed made (its secret address shown once, then readable by any calendar program) and revoked.

let database: TestDatabase;
let temporal: TestClient;
let api: ListeningApi;
let browser: Awaited<ReturnType<typeof testChromium>>;
let context: BrowserContext;
let page: Page;
let tess: TestUser;
const pageErrors: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await aTool(database.db, 'SEM-1', 'sem', { name: 'Field-emission SEM' });
  tess = await aUser(database.db, 'tess', 'uni-t', 'tenant_user', ['sem'], { password: 'tess password 55' });
  [temporal, browser] = await Promise.all([connectTestClient(), testChromium()]);
  api = await listenApi({ db: database.db, clock: systemClock, temporal: { client: temporal.client, namespace: 'default', taskQueue: 'no-worker' } });
  context = await browser.newContext({ viewport: { width: 1300, height: 900 } });
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await api?.close();
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 50 });

describe('the e-mail and calendars page', () => {
  it('saves the digest and muted kinds, makes a calendar feed whose address works once shown, and revokes it', async () => {
    await page.goto(api.url);
    await page.locator('#email').fill(tess.email);
    await page.locator('#password').fill(tess.password!);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('header.topbar nav').getByRole('link', { name: 'E-mail & calendars' }).click();

    const form = page.locator('form.mail-preferences');
    await eventually(async () => (await form.textContent()) ?? '').toContain('tess@example.org');
    expect(await form.locator('[data-kind="approval.needed"]').count()).toBe(0);
    await form.getByLabel(/One digest a day at 08:00 HKT/).check();
    await form.locator('[data-kind="booking.completed"] input').uncheck();
    await form.getByRole('button', { name: 'Save' }).click();
    await eventually(() => page.locator('.toast').last().textContent()).toBe('E-mail preferences saved');
    expect(await database.db.mailPreference.findUniqueOrThrow({ where: { userId: 'tess' } })).toMatchObject({ delivery: 'digest', mutedKinds: ['booking.completed'] });

    // Back on the page later: the choice as saved.
    await page.reload();
    await eventually(() => form.locator('[data-kind="booking.completed"] input').isChecked()).toBe(false);
    expect(await form.getByLabel(/One digest a day/).isChecked()).toBe(true);

    const feeds = page.locator('section.calendar-feeds');
    await feeds.locator('select[name=feedTool]').selectOption('SEM-1');
    await feeds.getByRole('button', { name: 'Feed of this tool' }).click();
    await eventually(() => feeds.locator('input.feed-url').inputValue()).toMatch(/\/calendar\/plcal_[\w-]{32}\.ics$/);
    const url = await feeds.locator('input.feed-url').inputValue();
    const feed = await fetch(url);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('X-WR-CALNAME:Pilotline: Field-emission SEM');
    await feeds.getByRole('button', { name: 'Done' }).click();
    expect(await feeds.locator('input.feed-url').count()).toBe(0);
    await eventually(() => feeds.locator('tbody tr').first().textContent()).toContain('Field-emission SEM');

    await feeds.getByRole('button', { name: 'Revoke' }).click();
    await eventually(() => feeds.locator('tbody tr').first().getAttribute('data-state')).toBe('revoked');
    expect((await fetch(url)).status).toBe(404);
    expect(pageErrors).toEqual([]);
  });
});
