import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayMs, hourMs, startOfDay, toLocalInput } from '../../src/web/client/time.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aBooking, aPolicy, aTool, aToolType, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { openBrowserApp, type BrowserApp } from './browser-app.js';
import type { ListeningApi } from './browser.js';

// The lists, the request form and the inbox of issue 15, in real Chromium against the real API and
// workflows: finished bookings newest first in cursor pages, several ranked starts per free gap on a
// quarter-hour grid, and an inbox entry with the top bar's unread count after an approval.

let database: TestDatabase;
let app: BrowserApp;
let api: ListeningApi;
let page: Page;
let alice: TestUser;
let bob: TestUser;
let mona: TestUser;

const tomorrow = startOfDay(Date.now()) + dayMs;
const at = (hour: number) => new Date(tomorrow + hour * hourMs).toISOString();
/** Alice's finished bookings, newest first: the first has just expired, 29 completed ones before it. */
let finished: Array<{ id: string }> = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await aToolType(db, 'sem', { name: 'SEM', area: 'metrology' });
  await aTool(db, 'SEM-1', 'sem', { name: 'Field-emission SEM' });
  await aPolicy(db, 'sem');
  await aToolType(db, 'implant', { name: 'High-temperature ion implanter', area: 'implant' });
  await aTool(db, 'IMP-1', 'implant', { name: 'Implanter 1' });
  await aPolicy(db, 'implant');
  await aToolType(db, 'gan-mocvd', { name: 'GaN MOCVD reactor', area: 'epitaxy' });
  await aTool(db, 'MOCVD-1', 'gan-mocvd', { name: 'MOCVD 1', materials: ['GaN'] });
  await aPolicy(db, 'gan-mocvd', { approvalRequired: true, minDurationMin: 240 });
  alice = await aUser(db, 'alice', 'uni-a', 'tenant_user', ['sem', 'implant', 'gan-mocvd'], { password: 'alice password 1' });
  bob = await aUser(db, 'bob', 'co-b', 'tenant_user', ['implant']);
  mona = await aUser(db, 'mona', 'institute', 'lab_manager', []);
  const now = Date.now();
  finished = [];
  for (let i = 0; i < 30; i++) {
    const startsAt = new Date(now - (3 + 3 * i) * hourMs);
    finished.push(await aBooking(db, alice.actor, 'SEM-1', startsAt, { state: i === 0 ? 'expired' : 'completed', purpose: `finished ${i}` }));
  }
  app = await openBrowserApp(db, { timeoutMs: 15_000 });
  ({ api, page } = app);
  await page.goto(api.url);
  await page.locator('#email').fill(alice.email);
  await page.locator('#password').fill(alice.password!);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('header.topbar').waitFor();
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
const nav = (name: string) => page.locator('header.topbar nav').getByRole('link', { name });

describe('lists, request form and inbox in the browser', () => {
  it('lists finished bookings newest first: the one that just expired on page 1, the oldest on page 2 through the cursor', async () => {
    await nav('My bookings').click();
    await page.getByRole('link', { name: 'Finished' }).click();
    const rows = page.locator('table.booking-list tbody tr');
    await eventually(() => rows.count()).toBe(25);
    expect(await rows.first().getAttribute('data-booking')).toBe(finished[0]!.id);
    expect(await rows.first().getAttribute('data-state')).toBe('expired');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-booking')))).toEqual(finished.slice(0, 25).map((b) => b.id));

    await page.getByRole('link', { name: 'Older →' }).click();
    await eventually(() => rows.first().getAttribute('data-booking')).toBe(finished[25]!.id);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-booking')))).toEqual(finished.slice(25).map((b) => b.id));
    expect(page.url()).toContain('cursor=');
    expect(await page.getByRole('link', { name: 'Older →' }).count()).toBe(0);

    // Search narrows the list; the newest booking's page says what happened and offers nothing to do.
    await page.getByRole('link', { name: '← Newest' }).click();
    await eventually(() => rows.first().getAttribute('data-booking')).toBe(finished[0]!.id);
    await page.locator('input[name=q]').fill('finished 0');
    await page.getByRole('button', { name: 'Search' }).click();
    await eventually(() => rows.count()).toBe(1);
    await rows.first().getByRole('link').first().click();
    const detail = page.locator(`.booking-page[data-booking="${finished[0]!.id}"]`);
    await eventually(() => detail.getAttribute('data-state')).toBe('expired');
    await text(detail.locator('.actions-panel')).toContain('this booking is closed');
    expect(app.pageErrors).toEqual([]);
  });

  it('opens the request form on what alice books, and offers several ranked quarter-hour starts per free gap for a 3-h implant', async () => {
    await aBooking(database.db, bob.actor, 'IMP-1', new Date(at(12)), { endsAt: new Date(at(13)) });
    await nav('Request').click();
    // Her last booking was a GaN 100 mm one on the SEM: the form starts there, not on the first type.
    await eventually(() => page.locator('select[name=toolTypeId]').inputValue()).toBe('sem');
    expect(await page.locator('select[name=material]').inputValue()).toBe('GaN');
    expect(await page.locator('select[name=waferSize]').inputValue()).toBe('100');

    // On the reactor, which takes GaN only and 4 h at least, the form moves to what it takes.
    await page.locator('select[name=toolTypeId]').selectOption('gan-mocvd');
    expect(await page.locator('input[name=durationMin]').inputValue()).toBe('4');
    await text(page.locator('.type-rules [data-rule=approval]')).toContain('a lab manager approves');
    await text(page.locator('.type-rules .qualified-tools [data-tool="MOCVD-1"]')).toContain('qualified');

    await page.locator('select[name=toolTypeId]').selectOption('implant');
    await page.locator('input[name=durationMin]').fill('3');
    // An odd-minute window start: the free gaps are 06:07–12:00 and 13:00–23:00, the starts on quarter hours.
    await page.locator('input[name=earliestStart]').fill(toLocalInput(tomorrow + 6 * hourMs + 7 * 60_000));
    await page.locator('input[name=latestEnd]').fill(toLocalInput(tomorrow + 23 * hourMs));
    await text(page.locator('.type-rules [data-rule=grid]')).toContain('15 min');
    const gaps = page.locator('.preview .gap');
    await eventually(() => gaps.count()).toBe(2);
    await eventually(() => page.locator('.preview .option').first().getAttribute('data-start')).toBe(new Date(tomorrow + 6 * hourMs + 15 * 60_000).toISOString());
    for (const gap of await gaps.all()) {
      const offered = await gap.locator('.option').evaluateAll((lis) => lis.map((li) => ({ start: li.getAttribute('data-start')!, rank: Number(li.getAttribute('data-rank')) })));
      expect(offered.length).toBeGreaterThan(1);
      for (const o of offered) expect((Date.parse(o.start) / 60_000) % 15).toBe(0);
      // Ranked: within a gap, in the API's order of rank.
      expect(offered.map((o) => o.rank)).toEqual([...offered.map((o) => o.rank)].sort((a, b) => a - b));
    }
    const starts = await page.locator('.preview .option').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-start')));
    expect(new Set(starts).size).toBe(starts.length);
    // Every gap's best before any gap's second: rank 2 is the second gap's first start, 13:00.
    expect(await page.locator('.preview .option[data-rank="2"]').getAttribute('data-start')).toBe(at(13));
    expect(app.pageErrors).toEqual([]);
  });

  it('shows the approval in the inbox with the unread count in the top bar, which drops as it is marked read', async () => {
    const held = await call(alice, '/api/bookings', {
      requestId: newRequestId(),
      toolIds: ['MOCVD-1'],
      durationMin: 240,
      earliestStart: at(8),
      latestEnd: at(20),
      material: 'GaN',
      waferSize: 100,
    });
    expect(held.status).toBe(201);
    const booking = held.body.booking as { id: string; state: string };
    expect(booking.state).toBe('held');
    expect((await call(mona, `/api/bookings/${booking.id}/approve`, { note: 'Chamber baked' })).status).toBe(200);

    await nav('Schedule').click();
    const badge = page.locator('header.topbar .inbox-link .count');
    await eventually(async () => Number(await badge.getAttribute('data-unread'))).toBeGreaterThan(0);
    await page.locator('header.topbar .inbox-link').click();
    const entry = page.locator('.inbox-entry[data-kind="booking.approved"]');
    await text(entry.locator('.subject')).toContain('Approved: MOCVD 1');
    // In the e-mail's words, the lab manager's note included.
    await text(entry).toContain('Chamber baked');
    expect(await entry.getAttribute('data-read')).toBe('false');
    const before = Number(await badge.getAttribute('data-unread'));

    await entry.getByRole('button', { name: 'Mark read' }).click();
    await eventually(() => entry.getAttribute('data-read')).toBe('true');
    await eventually(async () => Number(await badge.getAttribute('data-unread'))).toBe(before - 1);
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await badge.waitFor({ state: 'hidden' });

    // The entry links to the booking's page, whose history shows the approval.
    await entry.getByRole('link').first().click();
    const detail = page.locator(`.booking-page[data-booking="${booking.id}"]`);
    await eventually(() => detail.getAttribute('data-state')).toBe('confirmed');
    await text(detail.locator('.booking-history [data-action="booking.approved"]')).toContain('mona (lab_manager)');
    expect(app.pageErrors).toEqual([]);
  });
});
