import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayMs, hourMs, startOfDay, toLocalInput } from '../../src/web/client/time.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aPolicy, aTool, aToolType, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { openBrowserApp, type BrowserApp } from './browser-app.js';
import type { ListeningApi } from './browser.js';

// A tenant joins the wait list from the "no slot fits" answer; another tenant cancels; the first
// sees the offer on their wait list and accepts it — in real Chromium against the real API.

let database: TestDatabase;
let app: BrowserApp;
let api: ListeningApi;
let page: Page;
let alice: TestUser;
let bob: TestUser;

// Real time: the browser's "today" and the server's clock agree. The contested hour is tomorrow (HKT).
const tomorrow = startOfDay(Date.now()) + dayMs;
const at = (hour: number) => new Date(tomorrow + hour * hourMs).toISOString();

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await aToolType(db, 'probe', { name: 'Parametric probe station', area: 'metrology' });
  await aTool(db, 'PRB-1', 'probe', { name: 'Probe station 1' });
  await aPolicy(db, 'probe');
  alice = await aUser(db, 'alice', 'uni-a', 'tenant_user', ['probe'], { password: 'alice password 1' });
  bob = await aUser(db, 'bob', 'co-b', 'tenant_user', ['probe']);
  app = await openBrowserApp(db, { timeoutMs: 15_000 });
  ({ api, page } = app);
});

afterAll(async () => {
  await app?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

async function call(user: TestUser, path: string, body: Record<string, unknown>) {
  const response = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000, interval: 100 });
const text = (locator: Locator) => eventually(async () => (await locator.textContent()) ?? '');

describe('the wait list in the browser', () => {
  it('joins from "no slot fits", sees the offer another tenant’s cancellation made, and accepts it', async () => {
    const bobs = await call(bob, '/api/bookings', {
      requestId: newRequestId(),
      toolIds: ['PRB-1'],
      durationMin: 60,
      earliestStart: at(10),
      latestEnd: at(11),
      material: 'SiC',
      waferSize: 150,
    });
    expect(bobs.status).toBe(201);

    await page.goto(api.url);
    await page.locator('#email').fill(alice.email);
    await page.locator('#password').fill(alice.password!);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('header.topbar').waitFor();
    await page.locator('header.topbar nav').getByRole('link', { name: 'Request' }).click();
    await page.locator('select[name=toolTypeId]').selectOption('probe');
    await page.locator('input[name=durationMin]').fill('1');
    await page.locator('input[name=earliestStart]').fill(toLocalInput(tomorrow + 10 * hourMs));
    await page.locator('input[name=latestEnd]').fill(toLocalInput(tomorrow + 11 * hourMs));
    await text(page.locator('.unplaced')).toContain('No slot fits this request.');
    // The busy hour is bob's: alice's answer names no booking, tenant or user of his.
    expect(await page.locator('.preview').textContent()).not.toMatch(/bob|co-b/);

    await page.getByRole('button', { name: 'Join the wait list' }).click();
    await text(page.locator('.result')).toContain('On the wait list');
    await page.getByRole('link', { name: 'My wait list' }).click();
    const entry = page.locator('.wait-entry').first();
    await eventually(() => entry.getAttribute('data-state')).toBe('waiting');

    const cancelled = await call(bob, `/api/bookings/${(bobs.body.booking as { id: string }).id}/cancel`, {});
    expect(cancelled.status).toBe(200);

    // The view re-reads itself: the offer appears without a reload, with its slot and deadline.
    await eventually(() => entry.getAttribute('data-state')).toBe('offered');
    await text(entry.locator('.offer')).toContain('Time came free for you');
    await text(entry.locator('.offer')).toContain('PRB-1');
    expect(await entry.textContent()).not.toMatch(/bob|co-b/);
    await entry.getByRole('button', { name: 'Accept' }).click();
    await text(page.locator('.toast').last()).toContain('Accepted: booking confirmed');
    await eventually(() => entry.getAttribute('data-state')).toBe('accepted');

    const booking = await database.db.booking.findFirstOrThrow({ where: { userId: 'alice' } });
    expect(booking).toMatchObject({ state: 'confirmed', toolId: 'PRB-1', startsAt: new Date(at(10)) });
    expect(app.pageErrors).toEqual([]);
  });
});
