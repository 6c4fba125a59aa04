import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/accounts/api-tokens.js';
import { hashPassword } from '../../src/accounts/passwords.js';
import { systemClock } from '../../src/clock.js';
import { roles, type Role } from '../../src/domain/roles.js';
import { seedCatalogue } from '../../src/seed/seed.js';
import { seedHistory } from '../../src/seed/history.js';
import { views } from '../../src/web/client/app/views.js';
import { trackApiRequests } from '../../src/web/settle.js';
import { dayMs, hourMs, startOfDay } from '../../src/web/client/time.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { newRequestId } from '../support/scenario.js';
import { openBrowserApp, type BrowserApp } from './browser-app.js';
import {
  controlsOutOfReach,
  horizontalOverflow,
  linksWithQuery,
  openView,
  seriousViolations,
  viewShape,
  viewsFor,
} from './pages.js';

// Issue 15, done when 1 (at 390 px every primary action reachable without horizontal scrolling)
// and 2 (axe-core finds no serious or critical violation on any page): every view of the app's view
// table, as someone of each role, on the seed's pilot line with a week of history and live requests.

let database: TestDatabase;
let app: BrowserApp;
let page: Page;
let api: ReturnType<typeof trackApiRequests>;
/** A seeded person of each role, who signs in with a password. */
const people = new Map<Role, { email: string; password: string }>();
/** The views opened as each role (with and without a query), for the check that none is missed. */
const visited = new Map<Role, Set<string>>();

const phone = { width: 390, height: 844 };
const desktop = { width: 1400, height: 900 };

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await seedCatalogue(db, systemClock);
  await seedHistory(db, systemClock, { days: 2, seed: 15 });
  // Every page as it is with the seed, but a shorter list of qualifications: axe reads every cell.
  await db.qualification.deleteMany({ where: { userId: { notIn: ['pdp-yip', 'vhu-li', 'vhu-student'] } } });
  for (const role of roles) {
    const person = await db.user.findFirstOrThrow({ where: { role }, orderBy: { id: 'asc' } });
    const password = `${person.id} signs in here`;
    await db.user.update({ where: { id: person.id }, data: { passwordHash: await hashPassword(password) } });
    people.set(role, { email: person.email, password });
  }
  app = await openBrowserApp(db, { timeoutMs: 15_000 });
  page = app.page;
  api = trackApiRequests(page);

  // Live requests: one waiting for a lab manager (the e-beam writer needs approval), one confirmed.
  const { secret } = await createApiToken(db, { userId: 'pdp-yip', name: 'test', now: new Date() });
  const day = startOfDay(Date.now()) + 2 * dayMs;
  const book = async (toolId: string, hour: number, durationMin: number) => {
    const response = await fetch(`${app.api.url}/api/bookings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        requestId: newRequestId(),
        toolIds: [toolId],
        durationMin,
        earliestStart: new Date(day + hour * hourMs).toISOString(),
        latestEnd: new Date(day + (hour + 8) * hourMs).toISOString(),
        material: 'GaN',
        waferSize: 100,
        purpose: 'µLED mesa test structures',
      }),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { booking: { id: string; state: string } }).booking;
  };
  expect((await book('EBL-1', 9, 120)).state).toBe('held');
  await book('SEM-1', 10, 60);
  await page.goto(app.api.url);
});

afterAll(async () => {
  await app?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

async function signOut() {
  if (!(await page.locator('header.topbar').count())) return;
  const menu = page.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#email').waitFor();
}

async function signIn(role: Role) {
  const person = people.get(role)!;
  await signOut();
  await page.locator('#email').fill(person.email);
  await page.locator('#password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('header.topbar').waitFor();
}

/**
 * Opens every view the role may open, then once more each page reached from another with a query
 * (a tenant's page, a booking's), and calls `check` on each; returns what each page reported.
 */
async function everyPage(role: Role, check: () => Promise<string[]>): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const seen = visited.get(role) ?? new Set<string>();
  visited.set(role, seen);
  const withQuery = new Map<string, string>();
  for (const view of viewsFor(role)) {
    await openView(page, api, view);
    seen.add(view.path);
    found.set(`#/${view.path}`, await check());
    for (const [path, query] of await linksWithQuery(page)) if (!withQuery.has(path)) withQuery.set(path, query);
  }
  for (const view of viewsFor(role).filter((v) => !v.inNav && withQuery.has(v.path))) {
    const query = withQuery.get(view.path)!;
    await openView(page, api, view, query);
    found.set(`#/${view.path}?${query}`, await check());
  }
  return new Map([...found].filter(([, problems]) => problems.length > 0));
}

describe('every page, as each role (issue 15)', () => {
  it('has no serious or critical accessibility violation on the sign-in page', async () => {
    await page.setViewportSize(desktop);
    await page.locator('#email').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  // axe takes seconds on a long page: a page shaped like one already checked (the same page for
  // another role) is not checked again, except the first of each role, whose top bar is its own.
  const checkedShapes = new Set<string>();
  it.each(roles)('has no serious or critical accessibility violation on any page as %s', async (role) => {
    await page.setViewportSize(desktop);
    await signIn(role);
    let first = true;
    const violations = await everyPage(role, async () => {
      const shape = await viewShape(page);
      if (!first && checkedShapes.has(shape)) return [];
      first = false;
      checkedShapes.add(shape);
      return seriousViolations(page);
    });
    expect(Object.fromEntries(violations)).toEqual({});
    expect(app.pageErrors).toEqual([]);
  }, 240_000);

  it('opened every view of the app as someone', () => {
    const opened = new Set([...visited.values()].flatMap((paths) => [...paths]));
    expect(views.map((v) => v.path).filter((path) => !opened.has(path))).toEqual([]);
  });
});

describe('at 390 px (issue 15)', () => {
  it('signs in without scrolling sideways', async () => {
    await signOut();
    await page.setViewportSize(phone);
    expect(await horizontalOverflow(page)).toBeNull();
  });

  it.each(roles)('fits every page to the width as %s, with every button in reach and the menu opening onto Sign out', async (role) => {
    await page.setViewportSize(phone);
    await signIn(role);
    const problems = await everyPage(role, async () => {
      const overflow = await horizontalOverflow(page);
      return [...(overflow ? [overflow] : []), ...(await controlsOutOfReach(page)).map((c) => `out of reach: ${c}`)];
    });
    expect(Object.fromEntries(problems)).toEqual({});

    // The nav is behind the menu button; a link in it navigates and closes the menu.
    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.click();
    const schedule = page.locator('header.topbar nav').getByRole('link', { name: 'Schedule', exact: true });
    await schedule.click();
    await page.waitForFunction(() => document.title.startsWith('Schedule'));
    await expect.poll(() => menu.getAttribute('aria-expanded')).toBe('false');
    await menu.click();
    expect(await seriousViolations(page, 'header.topbar')).toEqual([]);
    const signOut = page.getByRole('button', { name: 'Sign out' });
    const box = (await signOut.boundingBox())!;
    expect(box.x >= 0 && box.x + box.width <= phone.width && box.y + box.height <= phone.height).toBe(true);
    expect(await horizontalOverflow(page)).toBeNull();
    await signOut.click();
    await page.locator('#email').waitFor();
    expect(app.pageErrors).toEqual([]);
  }, 240_000);

  it('shows a lab manager the approve and reject buttons of a waiting request within the screen', async () => {
    await page.setViewportSize(phone);
    await signIn('lab_manager');
    await openView(page, api, views.find((v) => v.path === 'approvals')!);
    // Whatever the workspace's cards look like: the first request's own two buttons.
    for (const name of [/^Approve\b/, /^Reject\b/]) {
      const button = page.locator('#view').getByRole('button', { name }).first();
      await button.scrollIntoViewIfNeeded();
      const box = (await button.boundingBox())!;
      expect(box.x >= 0 && box.x + box.width <= phone.width, `${name.source} at ${box.x}–${box.x + box.width}`).toBe(true);
    }
    expect(await horizontalOverflow(page)).toBeNull();
  });
});
