import { readFile } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billUsage, chargeMissedBooking } from '../../activities/usage.js';
import { periodPresets } from '../../src/web/client/reports/periods.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aBooking, aRate, aTenant, aTool, aToolType, aUser, type TestUser } from '../support/scenario.js';
import { openBrowserApp, type BrowserApp } from './browser-app.js';

// Issue 14, done when 3, in real Chromium: the lab manager opens utilisation for the last quarter
// and sees its charts drawn from the figures, and downloads them as CSV; drafts a month's usage
// statements, credits one with a reason, issues it, and downloads its CSV and PDF.

let database: TestDatabase;
let app: BrowserApp;
let page: Page;
let mia: TestUser;

const lastQuarter = periodPresets(Date.now()).find((p) => p.key === 'last-quarter')!.period;
/** A month before last quarter (so its charges stay out of the utilisation figures): the statements' month. */
const statementMonth = (() => {
  const [y, m] = lastQuarter.from.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 4, 1)).toISOString().slice(0, 7);
})();
const inMonth = (day: number, hour: number) => new Date(Date.parse(`${statementMonth}-${String(day).padStart(2, '0')}T00:00:00+08:00`) + hour * 3_600_000);
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
  await db.tenant.create({ data: { id: 'uni-a', name: 'Harbour University', class: 'university' } });
  await aRate(db, 'gan-mocvd', 'university', 50_000);
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
  // The statement month: uni-a used MOCVD-1 6 h and 4 h (HK$500.00 an hour: 3,000.00 and 2,000.00)
  // and missed a 2 h booking (no policy: the whole booked time, 1,000.00) — 6,000.00 of usage.
  const charged = [
    await aBooking(db, ann.actor, 'MOCVD-1', inMonth(3, 9), { endsAt: inMonth(3, 15), state: 'completed', checkedInAt: inMonth(3, 9), checkedOutAt: inMonth(3, 15) }),
    await aBooking(db, ann.actor, 'MOCVD-1', inMonth(10, 9), { endsAt: inMonth(10, 13), state: 'completed', checkedInAt: inMonth(10, 9), checkedOutAt: inMonth(10, 13) }),
  ];
  const missed = await aBooking(db, ann.actor, 'MOCVD-1', inMonth(12, 9), { endsAt: inMonth(12, 11), state: 'no_show' });
  await db.$transaction(async (tx) => {
    for (const row of charged) await billUsage(tx, row);
    await chargeMissedBooking(tx, missed, 'no_show');
  });
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

  it('lets the lab manager draft a month’s statements, credit one with a reason, issue it and download its CSV and PDF', async () => {
    await page.locator('header.topbar nav').getByRole('link', { name: 'Utilisation', exact: true }).click();
    await page.locator('nav.report-tabs').getByRole('link', { name: 'Statements' }).click();
    await page.locator('.statements input[name=month]').fill(statementMonth);
    await page.getByRole('button', { name: `Draft statements for ${statementMonth}` }).click();
    const row = page.locator('.statements-list tr[data-tenant="uni-a"]');
    await text(row).toContain('HKD 6,000.00');
    await text(row).toContain('draft');
    await row.getByRole('link', { name: statementMonth }).click();

    await text(page.locator('.statement-head h2')).toContain('Harbour University');
    await eventually(() => page.locator('.statement-lines tbody tr').count()).toBe(3);
    await text(page.locator('.statement-lines tr[data-kind="no_show"]')).toContain('HKD 1,000.00');
    const credit = page.locator('form.new-adjustment');
    await credit.locator('select[name=sign]').selectOption('credit');
    await credit.locator('input[name=amount]').fill('250');
    await credit.getByRole('button', { name: 'Add adjustment' }).click();
    // A credit without a reason is refused on the field, and nothing is added.
    await text(credit.locator('.field[data-field="reason"] .field-error')).toContain('say why');
    await credit.locator('input[name=reason]').fill('Chamber bake overran into the 3rd run');
    await credit.getByRole('button', { name: 'Add adjustment' }).click();
    await text(page.locator('.statement-adjustments')).toContain('Chamber bake overran into the 3rd run');
    await text(page.locator('[data-figure="total"] dd')).toBe('HKD 5,750.00');

    await page.getByRole('button', { name: 'Issue statement…' }).click();
    await text(page.locator('.confirm-issue')).toContain('HKD 5,750.00');
    await page.getByRole('button', { name: 'Issue now' }).click();
    await text(page.locator('.statement-head h2')).toContain('issued');
    await text(page.locator('form.new-adjustment h4')).toContain('Correct this issued statement');
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/statement.png`, fullPage: true });

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    const rows = parse(await readFile((await csvDownload.path())!, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.kind)).toEqual(['use', 'use', 'no_show', 'adjustment', 'usage_total', 'adjustments_total', 'total']);
    expect(rows.every((r) => r.tenant === 'uni-a' && r.month === statementMonth && r.state === 'issued')).toBe(true);
    expect(rows.slice(0, 3).map((r) => r.amount_cents)).toEqual(['300000', '200000', '100000']);
    expect(rows.find((r) => r.kind === 'adjustment')).toMatchObject({ amount_cents: '-25000', reason: 'Chamber bake overran into the 3rd run' });
    expect(rows.at(-1)).toMatchObject({ kind: 'total', amount_cents: '575000', amount: '5750.00' });

    const [pdfDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download PDF' }).click()]);
    const pdf = await readFile((await pdfDownload.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const words = pdfText(pdf);
    expect(words).toContain('Harbour University');
    expect(words).toContain(statementMonth);
    expect(words).toContain('5750.00');
    expect(app.pageErrors).toEqual([]);
  });
});

/** The text a PDF shows: its content streams inflated, the strings of their text operators decoded. */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const shown: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue; // an image or font program, not page text
    }
    const decode = (hex: string | undefined, literal: string | undefined) => (hex !== undefined ? Buffer.from(hex, 'hex').toString('latin1') : (literal ?? ''));
    for (const op of content.matchAll(/\[(.*?)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj/g)) {
      const parts = op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-fA-F]*)>|\(((?:\\.|[^\\)])*)\)/g)].map((p) => decode(p[1], p[2])) : [decode(op[2], op[3])];
      shown.push(parts.join(''));
    }
  }
  return shown.join('\n');
}
