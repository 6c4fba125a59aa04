import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayMs, hourMs, isoDay, startOfDay, toLocalInput } from '../../src/web/client/time.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aPolicy, aRouteTemplate, aTool, aToolType, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { openBrowserApp, type BrowserApp } from './browser-app.js';
import type { ListeningApi } from './browser.js';

// Issue 15 in real Chromium against the real API and workflows: a tenant starts a lot from a route
// template, a lab manager approves it from the approvals workspace and the tenant runs its first step;
// a rejection's reason reaches the requester; a lab manager's click on a Gantt block opens its detail.

let database: TestDatabase;
let app: BrowserApp;
let api: ListeningApi;
let page: Page;
let alice: TestUser;
let mona: TestUser;
/** The lot placed, approved and run in the first scenario. */
let lotId = '';
let lotSteps: Array<{ id: string; toolId: string; startsAt: string; endsAt: string }> = [];

// Real time: the browser's "today" and the server's clock agree.
const tomorrow = startOfDay(Date.now()) + dayMs;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await aToolType(db, 'epi', { name: 'GaN MOCVD reactor', area: 'epitaxy' });
  await aToolType(db, 'sem', { name: 'Scanning electron microscope', area: 'metrology' });
  await aTool(db, 'EPI-1', 'epi', { name: 'MOCVD reactor 1', materials: ['GaN'] });
  await aTool(db, 'SEM-1', 'sem', { name: 'Field-emission SEM' });
  await aPolicy(db, 'epi', { approvalRequired: true });
  await aPolicy(db, 'sem');
  // Named apart from its id: the screens must show the name.
  await db.tenant.create({ data: { id: 'uni-a', name: 'Harbour University', class: 'university' } });
  alice = await aUser(db, 'alice', 'uni-a', 'tenant_user', ['epi', 'sem'], { password: 'alice password 1' });
  mona = await aUser(db, 'mona', 'institute', 'lab_manager', [], { password: 'mona password 333' });
  await aRouteTemplate(
    db,
    'hemt',
    [
      { name: 'GaN buffer epitaxy', toolTypeId: 'epi', durationMin: 60, maxLagToNextMin: 120 },
      { name: 'SEM cross-section', toolTypeId: 'sem', durationMin: 30 },
    ],
    { name: 'GaN HEMT', description: 'buffer, then a cross-section' },
  );
  await aRouteTemplate(db, 'other', [{ name: 'Inspection', toolTypeId: 'sem', durationMin: 30 }], { name: 'Another flow' });
  app = await openBrowserApp(db, { timeoutMs: 15_000 });
  ({ api, page } = app);
});

afterAll(async () => {
  await app?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000, interval: 100 });
const text = (locator: Locator) => eventually(async () => (await locator.textContent()) ?? '');
const nav = (name: string | RegExp) => page.locator('header.topbar nav').getByRole('link', { name });

async function signIn(user: TestUser) {
  if (await page.locator('header.topbar').count()) {
    await page.getByRole('button', { name: 'Sign out' }).click();
  } else {
    await page.goto(api.url);
  }
  await page.locator('#email').fill(user.email);
  await page.locator('#password').fill(user.password!);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('header.topbar').waitFor();
}

async function get<T>(user: TestUser, path: string): Promise<T> {
  const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${user.token}` } });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

async function post(user: TestUser, path: string, body: Record<string, unknown>) {
  const response = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** axe-core's serious and critical violations on the page as it is now (rule and where). */
async function seriousViolations(): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

type LotAnswer = { state: string; cancelReason: string | null; steps: Array<{ booking: { id: string; toolId: string; startsAt: string; endsAt: string; state: string } }> };

describe('lots and approvals in the browser', () => {
  it('starts a lot from a template, shows its route as a chain with its Q-time, has it approved and runs its first step', async () => {
    await signIn(alice);
    await nav('Lots').click();
    const form = page.locator('form.start-lot');
    await form.locator('.template-option[data-template="hemt"]').click();
    await text(form.locator('.template-steps tbody tr').first()).toContain('GaN buffer epitaxy');
    await text(form.locator('.template-steps tbody tr').first()).toContain('within 2 h (Q-time)');
    expect(await seriousViolations()).toEqual([]);
    await form.locator('input[name=name]').fill('HEMT lot 7');
    // Soon enough that check-in is open at once (15 min before the start), late enough to be decided first.
    await form.locator('input[name=earliestStart]').fill(toLocalInput(Date.now() + 8 * 60_000));
    await form.locator('input[name=latestEnd]').fill(toLocalInput(tomorrow + dayMs));
    await form.getByRole('button', { name: 'Place the lot' }).click();

    const lotPage = page.locator('.lot-page');
    await eventually(() => lotPage.getAttribute('data-state')).toBe('held');
    lotId = (await lotPage.getAttribute('data-lot'))!;
    await text(lotPage.locator('.tenant-name')).toBe('Harbour University');
    await text(lotPage.locator('tr.lot-step[data-seq="1"]')).toContain('MOCVD reactor 1');
    await text(lotPage.locator('tr.lot-step[data-seq="2"]')).toContain('Field-emission SEM');
    // Held: nothing to run yet, and a tenant cannot decide it.
    expect(await lotPage.getByRole('button', { name: 'Check in' }).count()).toBe(0);
    expect(await lotPage.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    const held = await get<LotAnswer>(alice, `/api/lots/${lotId}`);
    expect(held.state).toBe('held');
    lotSteps = held.steps.map((s) => s.booking);
    expect(await seriousViolations()).toEqual([]);

    // The placed route on the Gantt: its two steps joined, the Q-time window drawn on the second's row.
    await lotPage.getByRole('link', { name: 'Show the route on the schedule' }).click();
    const chain = page.locator(`svg.lot-chain[data-lot="${lotId}"]`);
    await eventually(() => chain.locator('.chain-link[data-from="1"][data-to="2"]').count()).toBe(1);
    expect(await chain.locator('.qtime-window').count()).toBe(1);
    expect(await chain.locator('.chain-link.broken').count()).toBe(0);
    await text(page.locator('.lot-banner .qtime-list')).toMatch(/Step 1 → 2: start within 2 h — kept/);
    for (const step of lotSteps) expect(await page.locator(`.block[data-booking="${step.id}"][data-lot="${lotId}"]`).count()).toBe(1);

    // The lab manager: the lot waits as one request, by name, escalated (its decision is due within minutes).
    await signIn(mona);
    await nav(/Approvals/).click();
    const card = page.locator(`.approval-card[data-lot="${lotId}"]`);
    await text(card.locator('.who')).toBe('Harbour University (university) · alice');
    await text(card.locator('.lot-step-list')).toContain('GaN buffer epitaxy · MOCVD reactor 1');
    await text(page.locator('.escalation')).toContain('HEMT lot 7');
    expect(await card.getAttribute('class')).toMatch(/urgency-soon/);
    for (const step of lotSteps) expect(await page.locator(`.approval-card[data-booking="${step.id}"]`).count()).toBe(0);
    expect(await seriousViolations()).toEqual([]);
    await card.getByLabel('Reason or note').fill('Reactor is free, go ahead');
    await card.getByRole('button', { name: 'Approve' }).click();
    await card.waitFor({ state: 'detached' });
    expect((await get<LotAnswer>(alice, `/api/lots/${lotId}`)).state).toBe('confirmed');

    // The tenant runs the first step: checked in, then out; the second's check-in is not offered early.
    await signIn(alice);
    await page.goto(`${api.url}/#/lot?id=${lotId}`);
    const step1 = page.locator('tr.lot-step[data-seq="1"]');
    const step2 = page.locator('tr.lot-step[data-seq="2"]');
    await step1.getByRole('button', { name: 'Check in' }).click();
    await eventually(() => step1.getAttribute('data-state')).toBe('in_use');
    expect(await step2.getByRole('button', { name: 'Check in' }).count()).toBe(0);
    await step1.getByRole('button', { name: 'Check out' }).click();
    await eventually(() => step1.getAttribute('data-state')).toBe('completed');
    await text(step1.locator('.used')).toMatch(/^\d\d:\d\d–\d\d:\d\d$/);
    await text(step2.locator('.row-actions')).toContain('Check-in opens');
    expect(await step2.getByRole('button', { name: 'Check in' }).count()).toBe(0);
    const run = await get<LotAnswer>(alice, `/api/lots/${lotId}`);
    expect(run.state).toBe('in_progress');
    expect(run.steps.map((s) => s.booking.state)).toEqual(['completed', 'confirmed']);
    expect(app.pageErrors).toEqual([]);
  });

  it('refuses a rejection without a reason, and the reason given reaches the requester on their lot', async () => {
    const day = tomorrow + dayMs;
    const lot = await post(alice, '/api/lots', {
      requestId: newRequestId(),
      name: 'HEMT lot 8',
      material: 'GaN',
      waferSize: 150,
      earliestStart: new Date(day + 9 * hourMs).toISOString(),
      latestEnd: new Date(day + 18 * hourMs).toISOString(),
      steps: [
        { name: 'GaN buffer epitaxy', toolTypeId: 'epi', durationMin: 60, maxLagToNextMin: 120 },
        { name: 'SEM cross-section', toolTypeId: 'sem', durationMin: 30 },
      ],
    });
    expect(lot.status).toBe(201);
    const rejectedLotId = (lot.body.lot as { id: string }).id;
    const single = await post(alice, '/api/bookings', {
      requestId: newRequestId(),
      toolIds: ['EPI-1'],
      durationMin: 120,
      earliestStart: new Date(day + 13 * hourMs).toISOString(),
      latestEnd: new Date(day + 16 * hourMs).toISOString(),
      material: 'GaN',
      waferSize: 150,
      purpose: 'Buffer growth for the second batch',
    });
    expect(single.status).toBe(201);
    const singleId = (single.body.booking as { id: string; state: string }).id;

    await signIn(mona);
    await nav(/Approvals/).click();
    // Grouped by day, then by tool (by name); the lot apart, decided as a whole.
    const group = page.locator('.approval-group[data-group="EPI-1"]');
    const bookingCard = group.locator(`.approval-card[data-booking="${singleId}"]`);
    await text(group.locator('.approval-group-head h4')).toContain('MOCVD reactor 1');
    await text(bookingCard.locator('.who')).toContain('Harbour University');
    await text(bookingCard.locator('.request-facts')).toContain('Buffer growth for the second batch');
    await text(bookingCard.locator('.recent-usage')).toMatch(/^Harbour University, last 30 days: .+ on these tools, .+ in all · \d+ completed/);
    // The lot and the single booking want the reactor the same day: each names the other.
    await text(bookingCard.locator('.conflicts')).toContain('Also waiting');
    const lotCard = page.locator(`.approval-group[data-group="lots"] .approval-card[data-lot="${rejectedLotId}"]`);
    await lotCard.waitFor();

    // No reason: refused in place, nothing sent.
    await lotCard.getByRole('button', { name: 'Reject' }).click();
    await text(lotCard.locator('.field-error')).toContain('Say why you reject it');
    expect((await get<LotAnswer>(alice, `/api/lots/${rejectedLotId}`)).state).toBe('held');
    const reason = 'The reactor is booked for a chamber clean that week; please resubmit for the week after.';
    await lotCard.getByLabel('Reason or note').fill(reason);
    await lotCard.getByRole('button', { name: 'Reject' }).click();
    await lotCard.waitFor({ state: 'detached' });

    // Bulk: the single booking selected and rejected with one reason (required there too).
    await bookingCard.getByRole('checkbox').check();
    const bulk = page.locator('.bulk-bar');
    await text(bulk.locator('.bulk-count')).toBe('1 selected');
    await bulk.getByRole('button', { name: 'Reject 1' }).click();
    await text(bulk.locator('.field-error')).toContain('Say why you reject them');
    await bulk.getByLabel('Reason for all').fill('Chamber clean that week');
    await bulk.getByRole('button', { name: 'Reject 1' }).click();
    await bookingCard.waitFor({ state: 'detached' });
    const rejected = await get<{ state: string; cancelReason: string | null }>(alice, `/api/bookings/${singleId}`);
    expect(rejected).toMatchObject({ state: 'rejected', cancelReason: 'Chamber clean that week' });

    // The requester reads the reason on the lot.
    await signIn(alice);
    await nav('Lots').click();
    await page.locator(`tr[data-lot="${rejectedLotId}"]`).getByRole('link', { name: 'HEMT lot 8' }).click();
    const lotPage = page.locator(`.lot-page[data-lot="${rejectedLotId}"]`);
    await eventually(() => lotPage.getAttribute('data-state')).toBe('rejected');
    await text(lotPage.locator('.lot-reason')).toBe(`Rejected by the lab manager: ${reason}`);
    expect(app.pageErrors).toEqual([]);
  });

  it("opens a block's detail for a lab manager who clicks it on the Gantt, and by keyboard", async () => {
    const [first, second] = lotSteps;
    await signIn(mona);
    await nav('Schedule').click();
    // The first step, run: drawn with the used stretch inside its slot.
    const done = page.locator(`.block[data-booking="${first!.id}"]`);
    await eventually(() => done.getAttribute('data-state')).toBe('completed');
    expect(await done.locator('.used').count()).toBe(1);

    const block = page.locator(`.block[data-booking="${second!.id}"]`);
    await eventually(() => block.getAttribute('aria-label')).toMatch(/^Field-emission SEM: confirmed, .* — Harbour University, alice · HEMT lot 7 · step 2$/);
    await block.click();
    const drawer = page.getByRole('dialog');
    await text(drawer.locator('h2')).toBe('Booking · Field-emission SEM');
    await text(drawer.locator('.drawer-when')).toContain(toHkTime(second!.startsAt));
    await text(drawer.locator('.drawer-when')).toContain(toHkTime(second!.endsAt));
    await text(drawer.locator('.facts')).toContain('Harbour University');
    await text(drawer.locator('.facts')).toContain('HEMT lot 7, step 2');
    expect(await drawer.textContent()).not.toContain('uni-a');
    expect(await seriousViolations()).toEqual([]);
    expect(page.url()).not.toContain('#/bookings');

    // Escape closes it and gives the focus back to the block; Enter opens it again.
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    await eventually(() => block.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await text(page.getByRole('dialog').locator('h2')).toBe('Booking · Field-emission SEM');

    // A day wide enough to read: the reactor's hour labelled with the tenant's name, not its id.
    await page.goto(`${api.url}/#/schedule?view=day&from=${isoDay(Date.parse(first!.startsAt))}`);
    await text(page.locator(`.block[data-booking="${first!.id}"] .line1`)).toBe('Harbour University');
    expect(app.pageErrors).toEqual([]);
  });
});

/** "09:15": an instant's wall time in Hong Kong, as the screens show it. */
function toHkTime(iso: string): string {
  return toLocalInput(Date.parse(iso)).slice(11);
}
