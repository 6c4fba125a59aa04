import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hongKongWeekStart, roundIdOf, roundWeekMs } from '../../src/domain/round.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import {
  aPolicy,
  aTenant,
  aTool,
  aToolType,
  aUser,
  newRequestId,
  type TestUser,
} from '../support/scenario.js';
import { openBrowserApp, type BrowserApp } from './browser-app.js';
import type { ListeningApi } from './browser.js';

// The round in real Chromium: a tenant submits to it; at its deadline the solver proposes; the lab
// manager reviews the proposal, drops one request, runs it again and approves; the tenant sees the slot.

let database: TestDatabase;
let app: BrowserApp;
let api: ListeningApi;
let page: Page;
let alice: TestUser;
let ines: TestUser;
let ivan: TestUser;
let mona: TestUser;

// Real time: the browser's clock and the server's agree. The round is for the week after next.
const weekStart = new Date(hongKongWeekStart(new Date()).getTime() + 2 * roundWeekMs);
const day = roundIdOf(weekStart);
const at = (hours: number) => new Date(weekStart.getTime() + hours * 3_600_000).toISOString();

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await aToolType(db, 'mocvd', { name: 'GaN MOCVD reactor', area: 'epitaxy' });
  await aTool(db, 'MOCVD-1', 'mocvd', {
    name: 'MOCVD reactor 1',
    materials: ['GaN'],
    contaminationClass: 'standard',
  });
  await aPolicy(db, 'mocvd', { minDurationMin: 60, bufferAfterMin: 60 });
  await aTenant(db, 'uni-a', 'university');
  await aTenant(db, 'inst', 'institute');
  await aTenant(db, 'ind', 'industry');
  alice = await aUser(db, 'alice', 'uni-a', 'tenant_user', ['mocvd'], { password: 'alice password 1' });
  ines = await aUser(db, 'ines', 'inst', 'tenant_user', ['mocvd']);
  ivan = await aUser(db, 'ivan', 'ind', 'tenant_user', ['mocvd']);
  mona = await aUser(db, 'mona', 'inst', 'lab_manager', [], { password: 'mona password 333' });
  app = await openBrowserApp(db, { timeoutMs: 15_000 });
  ({ api, page } = app);
});

afterAll(async () => {
  await app?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

async function call(user: TestUser, method: string, path: string, body?: unknown) {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${user.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

const eventually = <T>(read: () => Promise<T>, timeout = 15_000) =>
  expect.poll(read, { timeout, interval: 100 });

async function signIn(user: TestUser) {
  if (await page.locator('header.topbar').isVisible()) {
    await page.getByRole('button', { name: 'Sign out' }).click();
  }
  await page.locator('#email').fill(user.email);
  await page.locator('#password').fill(user.password!);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('header.topbar').waitFor();
}

describe('an allocation round in the browser', () => {
  it('takes a tenant’s request, lets the lab manager drop one and re-run, approves, and shows the tenant the granted slot', async () => {
    const closesAt = new Date(Date.now() + 5 * 60_000);
    await call(mona, 'POST', '/api/rounds', {
      weekStart: day,
      closesAt: closesAt.toISOString(),
      approvalDeadline: new Date(Date.now() + 10 * 60_000).toISOString(),
      toolTypeIds: ['mocvd'],
    });
    const request = {
      toolTypeId: 'mocvd',
      durationMin: 600,
      earliestStart: at(0),
      latestEnd: at(7 * 24),
      material: 'GaN',
      waferSize: 150,
    };
    await call(ines, 'POST', `/api/rounds/${day}/requests`, { requestId: newRequestId(), ...request });
    const ivans = [
      await call(ivan, 'POST', `/api/rounds/${day}/requests`, { requestId: newRequestId(), ...request }),
      await call(ivan, 'POST', `/api/rounds/${day}/requests`, {
        requestId: newRequestId(),
        ...request,
        priority: 1,
      }),
    ];

    // Alice submits hers on the Rounds screen.
    await page.goto(api.url);
    await signIn(alice);
    await page.locator('header.topbar nav').getByRole('link', { name: 'Rounds' }).click();
    await page.locator('select[name=toolTypeId]').selectOption('mocvd');
    await page.locator('input[name=durationH]').fill('8');
    await page.getByRole('button', { name: 'Submit to round' }).click();
    const row = page.locator('table.round-requests tbody tr').first();
    await eventually(() => row.getAttribute('data-state')).toBe('submitted');
    const aliceRequest = (await row.getAttribute('data-request'))!;

    // Everyone is in: the lab manager closes the round and the solver proposes.
    expect((await call(mona, 'POST', `/api/rounds/${day}/close`, {})).state).toBe('proposed');

    await signIn(mona);
    await page.locator('header.topbar nav').getByRole('link', { name: 'Round review' }).click();
    const panel = page.locator('.round-panel');
    await eventually(() => panel.getAttribute('data-state')).toBe('proposed');
    await eventually(() => page.locator('.round-review-requests tbody tr').count()).toBe(4);
    await eventually(() => page.locator('.shares-table tr.all').first().isVisible()).toBe(true);
    await eventually(() => page.locator('.round-diff .diff-tool[data-tool="MOCVD-1"] li.added').count()).toBe(
      4,
    );

    // Drop one of ivan's granted requests and run again.
    const dropped = ivans[1].id as string;
    const droppedRow = page.locator(`.round-review-requests tr[data-request="${dropped}"]`);
    expect(await droppedRow.getAttribute('class')).toBe('granted');
    await droppedRow.locator('input[name=drop]').check();
    await page.getByRole('button', { name: 'Re-run' }).click();
    await eventually(async () => (await page.locator('.round-head').textContent()) ?? '').toContain(
      'proposal 2',
    );
    await eventually(async () => (await droppedRow.locator('.reason').textContent()) ?? '').toContain(
      'Left out of this round by the lab manager',
    );
    await eventually(() => page.locator('.round-diff li.added').count()).toBe(3);

    await page.getByRole('button', { name: 'Approve proposal 2' }).click();
    await eventually(() => panel.getAttribute('data-state')).toBe('published');

    // Alice sees the slot she got.
    await signIn(alice);
    await page.locator('header.topbar nav').getByRole('link', { name: 'Rounds' }).click();
    const mine = page.locator(`table.round-requests tr[data-request="${aliceRequest}"]`);
    await eventually(() => mine.getAttribute('data-state')).toBe('granted');
    await eventually(async () => (await mine.locator('.granted-slot').textContent()) ?? '').toMatch(
      /^MOCVD-1 \w{3} \d+ \w{3} \d{2}:\d{2}/,
    );
    const booked = await call(alice, 'GET', '/api/bookings');
    expect(booked.bookings).toHaveLength(1);
    expect(booked.bookings[0]).toMatchObject({ toolId: 'MOCVD-1', state: 'confirmed' });
    expect(app.pageErrors).toEqual([]);
  }, 150_000);
});
