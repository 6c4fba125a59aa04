import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodPresets } from '../../src/web/client/reports/periods.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aBooking, aTenant, aTool, aToolType, aUser, type TestUser } from '../support/scenario.js';
import { openBrowserApp, type BrowserApp } from './browser-app.js';

// Issue 14, done when 3, in real Chromium: the lab manager opens utilisation for the last quarter
// and sees its charts drawn from the figures, and downloads them as CSV.

let database: TestDatabase;
let app: BrowserApp;
let page: Page;
let mia: TestUser;

const lastQuarter = periodPresets(Date.now()).find((p) => p.key === 'last-quarter')!.period;
/** Hong Kong time on the `day`-th day of last quarter (0: its first). */
const inQuarter = (day: number, hour: number) => new Date(Date.parse(`${lastQuarter.from}T00:00:00+08:00`) + day * 86_400_000 + hour * 3_600_000);

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await aToolType(db, 'gan-mocvd', { name: 'GaN MOCVD reactor', area: 'epitaxy' });
  await aToolType(db, 'sem', { name: 'SEM', area: 'metrology' });
  await aTool(db, 'MOCVD-1', 'gan-mocvd');
  await aTool(db, 'SEM-1', 'sem');
  await aTenant(db, 'institute', 'institute');
  await aTenant(db, 'co-b', 'industry');
  mia = await aUser(db, 'mia', 'institute', 'lab_manager', [], { password: 'mia password 12345' });
  const ann = await aUser(db, 'ann', 'uni-a', 'tenant_user');
  const bob = await aUser(db, 'bob', 'co-b', 'tenant_user');
  // Used: MOCVD-1 300 h (uni-a: a 10 h run every third day), SEM-1 60 h (co-b: 3 h on 20 days);
  // and 20 h of co-b's no-shows on SEM-1 (2 h on 10 days).
  const hours = (at: Date, h: number) => new Date(at.getTime() + h * 3_600_000);
  for (let day = 0; day < 90; day += 3) {
    const at = inQuarter(day, 9);
    await aBooking(db, ann.actor, 'MOCVD-1', at, { endsAt: hours(at, 10), state: 'completed', checkedInAt: at, checkedOutAt: hours(at, 10) });
  }
  for (let day = 0; day < 20; day++) {
    const at = inQuarter(day * 4, 10);
    await aBooking(db, bob.actor, 'SEM-1', at, { endsAt: hours(at, 3), state: 'completed', checkedInAt: at, checkedOutAt: hours(at, 3) });
    if (day < 10) await aBooking(db, bob.actor, 'SEM-1', hours(at, 4), { endsAt: hours(at, 6), state: 'no_show' });
  }
  app = await openBrowserApp(db);
  ({ page } = app);
});

afterAll(async () => {
  await app?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 50 });
const text = (locator: Locator) => eventually(async () => (await locator.textContent()) ?? '');

/**
 * Pixels of a chart's canvas painted in one colour (within a small tolerance), leaving out its legend
 * (at the top, or on the right of the doughnut) whose swatches carry the colours too.
 */
function paintedIn(chart: string, hex: string): Promise<number> {
  return page.locator(`canvas[data-chart="${chart}"]`).evaluate((canvas: HTMLCanvasElement, colour) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16)) as [number, number, number];
    const legendRight = canvas.dataset.chart === 'by-tenant-class';
    const width = legendRight ? Math.floor(canvas.width * 0.55) : canvas.width;
    const top = legendRight ? 0 : Math.ceil(48 * devicePixelRatio);
    const { data } = canvas.getContext('2d')!.getImageData(0, top, width, canvas.height - top);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! > 200 && Math.abs(data[i]! - r) < 8 && Math.abs(data[i + 1]! - g) < 8 && Math.abs(data[i + 2]! - b) < 8) n++;
    }
    return n;
  }, hex);
}

describe('reports in the browser (issue 14, done when 3)', () => {
  it('shows the lab manager last quarter’s utilisation with charts drawn from its figures, and its CSV', async () => {
    await page.goto(app.api.url);
    await page.locator('#email').fill(mia.email);
    await page.locator('#password').fill(mia.password!);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('header.topbar nav').getByRole('link', { name: 'Utilisation', exact: true }).click();

    await expect.poll(() => page.getByRole('button', { name: 'Last quarter' }).getAttribute('aria-pressed')).toBe('true');
    await text(page.locator('.report-period')).toContain(`${lastQuarter.from} to ${lastQuarter.to}`);
    await text(page.locator('[data-figure="used"] dd')).toBe('360 h');
    await text(page.locator('.utilisation-types tr[data-tool-type="gan-mocvd"]')).toContain('300 h');
    await text(page.locator('.utilisation-tenants tr[data-row="co-b"]')).toContain('25.0 %'); // 20 h no-show of 80 h booked

    // Drawn, not merely present: the used bars, the industry slice, the used hours over time.
    await eventually(() => paintedIn('by-tool-type', '#1f9a5a')).toBeGreaterThan(100);
    await eventually(() => paintedIn('by-tenant-class', '#d9822b')).toBeGreaterThan(100);
    await eventually(() => paintedIn('by-tenant-class', '#8e5cc9')).toBeGreaterThan(100);
    await eventually(() => paintedIn('over-time', '#1f9a5a')).toBeGreaterThan(20);
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/utilisation.png`, fullPage: true });
    // A period with nothing used draws no used bars at all.
    await page.locator('.custom-period input[name=from]').fill('2020-01-01');
    await page.locator('.custom-period input[name=to]').fill('2020-01-31');
    await page.getByRole('button', { name: 'Show' }).click();
    await text(page.locator('[data-figure="used"] dd')).toBe('0 h');
    await eventually(() => paintedIn('by-tool-type', '#1f9a5a')).toBe(0);
    await page.getByRole('button', { name: 'Last quarter' }).click();
    await text(page.locator('[data-figure="used"] dd')).toBe('360 h');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`utilisation-${lastQuarter.from}-to-${lastQuarter.to}.csv`);
    const rows = parse(await readFile((await download.path())!, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(rows.find((r) => r.level === 'total')).toMatchObject({ usedHours: '360', bookedHours: '380', noShowHours: '20' });
    expect(rows.find((r) => r.level === 'tenant' && r.id === 'uni-a')).toMatchObject({ usedHours: '300' });
    expect(app.pageErrors).toEqual([]);
  });
});
