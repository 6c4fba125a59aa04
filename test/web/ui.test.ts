import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayMs, hourMs, startOfDay, toLocalInput } from '../../src/web/client/time.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aPolicy, aTool, aToolType, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { openBrowserApp, type BrowserApp } from './browser-app.js';
import type { ListeningApi } from './browser.js';

let database: TestDatabase;
let app: BrowserApp;
let api: ListeningApi;
let page: Page;
let alice: TestUser;
let bob: TestUser;
let mona: TestUser;
let otto: TestUser;
/** Alice's booking that ops' maintenance moves (scenario 3), which she then declines (scenario 4). */
let movedBookingId = '';

// Real time: the browser's "today" and the server's clock agree. Bookings go on tomorrow (HKT).
const tomorrow = startOfDay(Date.now()) + dayMs;
const at = (hour: number) => new Date(tomorrow + hour * hourMs).toISOString();

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await aToolType(db, 'sem', { name: 'Scanning electron microscope', area: 'metrology' });
  await aToolType(db, 'epi', { name: 'GaN MOCVD reactor', area: 'epitaxy' });
  await aTool(db, 'SEM-1', 'sem', { name: 'Field-emission SEM' });
  await aTool(db, 'SEM-2', 'sem', { name: 'Tabletop SEM' });
  await aTool(db, 'EPI-1', 'epi', { name: 'MOCVD reactor 1', materials: ['GaN'] });
  await aPolicy(db, 'sem');
  await aPolicy(db, 'epi', { approvalRequired: true });
  await db.maintenancePlan.create({
    data: { id: 'pm-sem', toolTypeId: 'sem', everyDays: 28, durationMin: 240 },
  });
  alice = await aUser(db, 'alice', 'uni-a', 'tenant_user', ['sem', 'epi'], { password: 'alice password 1' });
  bob = await aUser(db, 'bob', 'uni-b', 'tenant_user', ['sem'], { password: 'bob password 22' });
  mona = await aUser(db, 'mona', 'institute', 'lab_manager', [], { password: 'mona password 333' });
  otto = await aUser(db, 'otto', 'institute', 'ops', [], { password: 'otto password 4444' });
  app = await openBrowserApp(db);
  ({ api, page } = app);
});

afterAll(async () => {
  await app?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

async function book(user: TestUser, body: Record<string, unknown>) {
  const response = await fetch(`${api.url}/api/bookings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ requestId: newRequestId(), material: 'SiC', waferSize: 150, ...body }),
  });
  expect(response.status).toBe(201);
  return (await response.json()).booking as { id: string; state: string };
}

/** Playwright's auto-waiting assertions live in @playwright/test; vitest's poll does the same here. */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 50 });
const text = (locator: Locator) => eventually(async () => (await locator.textContent()) ?? '');
/** A schedule block's accessible name: the whole block in one sentence. */
const label = (locator: Locator) => eventually(() => locator.getAttribute('aria-label'));

async function signIn(user: TestUser) {
  await page.locator('#email').fill(user.email);
  await page.locator('#password').fill(user.password!);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('header.topbar').waitFor();
}

async function switchUser(user: TestUser) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#email').waitFor();
  await signIn(user);
}

const navLinks = () => page.locator('header.topbar nav .nav-link').allTextContents();
const nav = (name: string) => page.locator('header.topbar nav').getByRole('link', { name });

describe('the browser UI', () => {
  it('signs in, shows the schedule, previews alternatives as the form changes, and books', async () => {
    await book(bob, { toolIds: ['SEM-1'], durationMin: 60, earliestStart: at(10), latestEnd: at(11) });
    await book(alice, { toolIds: ['SEM-2'], durationMin: 60, earliestStart: at(9), latestEnd: at(10) });

    await page.goto(api.url);
    // A password form, never a token field.
    await page.locator('#email').waitFor();
    expect(await page.locator('#token, input[placeholder^="plt_"]').count()).toBe(0);
    await page.locator('#email').fill(alice.email);
    await page.locator('#password').fill('not her password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await text(page.locator('.problem')).toContain('Wrong e-mail or password');
    await signIn(alice);
    await text(page.locator('header .me')).toContain('alice');
    await text(page.locator('header .me .role')).toBe('Tenant user');
    expect(await navLinks()).toEqual(['Schedule', 'Request', 'My bookings', 'Rounds', 'Wait list', 'My qualifications', 'Lots', 'E-mail & calendars', 'Utilisation']);

    // Day view, then the next day: alice's own booking in colour, bob's as grey busy.
    await page.getByRole('link', { name: 'Day', exact: true }).click();
    await page.getByRole('link', { name: 'Next day' }).click();
    const sem1 = page.locator('.tool-row[data-tool="SEM-1"]');
    const sem2 = page.locator('.tool-row[data-tool="SEM-2"]');
    await label(sem2.locator('.block.state-confirmed')).toMatch(/^Tabletop SEM: confirmed, .*09:00–10:00 — alice, SiC$/);
    await label(sem1.locator('.block.busy')).toMatch(/^Field-emission SEM: busy, another tenant's booking, .*10:00–11:00$/);
    await text(sem1.locator('.status')).toBe('up');
    await text(page.locator('.area-row').first()).toContain('Epitaxy');

    // The form: live alternatives as it changes, then the reasons when nothing fits.
    await page.getByRole('link', { name: 'Request' }).click();
    await page.locator('select[name=toolTypeId]').selectOption('sem');
    await page.locator('input[name=durationMin]').fill('1');
    await page.locator('input[name=earliestStart]').fill(toLocalInput(tomorrow + 9 * hourMs));
    await page.locator('input[name=latestEnd]').fill(toLocalInput(tomorrow + 12 * hourMs));
    await page.locator('select[name=material]').selectOption('SiC');
    await page.locator('select[name=waferSize]').selectOption('150');
    const first = page.locator('.option').first();
    await eventually(() => first.getAttribute('data-start')).toBe(at(9));
    await eventually(() => first.getAttribute('data-tool')).toBe('SEM-1');

    await page.locator('input[name=durationMin]').fill('0.1');
    await text(page.locator('.unplaced')).toContain('The shortest booking is 15 min; you asked for 6 min.');
    await page.locator('input[name=durationMin]').fill('1');
    await eventually(() => first.getAttribute('data-tool')).toBe('SEM-1');

    await first.getByRole('button', { name: 'Book' }).click();
    await text(page.locator('.booked')).toContain('confirmed');
    await text(page.locator('.booked')).toContain('09:00–10:00');

    await page.getByRole('link', { name: 'Show on the schedule' }).click();
    await label(sem1.locator('.block.state-confirmed')).toMatch(/09:00–10:00/);
    await eventually(() => sem1.locator('.block.busy').count()).toBe(1);

    // Check-in is not offered a day ahead: the row says when it opens instead (the API would answer 409).
    await page.getByRole('link', { name: 'My bookings' }).click();
    const row = page.locator('tr[data-state=confirmed]').filter({ hasText: 'SEM-2' });
    await text(row.locator('.action-note')).toContain('Check-in opens');
    await row.getByRole('button', { name: 'Cancel…' }).waitFor();
    expect(await row.getByRole('button', { name: 'Check in' }).count()).toBe(0);
    expect(app.pageErrors).toEqual([]);
  });

  it('lets a lab manager approve a held booking from the queue', async () => {
    const held = await book(alice, {
      toolIds: ['EPI-1'],
      durationMin: 240,
      earliestStart: at(12),
      latestEnd: at(20),
      material: 'GaN',
      purpose: 'HEMT buffer',
    });
    expect(held.state).toBe('held');

    // Signing out ends the session on the server: its cookie, replayed, opens nothing.
    const cookie = (await app.context.cookies()).find((c) => c.name === 'pilotline_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#email').waitFor();
    const replayed = await fetch(`${api.url}/api/me`, { headers: { cookie: `${cookie.name}=${cookie.value}` } });
    expect(replayed.status).toBe(401);
    await signIn(mona);

    await text(page.locator('header .me .role')).toBe('Lab manager');
    await text(page.locator('.nav-link .count')).toBe('1');
    expect(await navLinks()).toEqual(['Schedule', 'Request', 'My bookings', 'Rounds', 'Wait list', 'Approvals1', 'Lots', 'Round review', 'Attention', 'Qualifications', 'Facility', 'E-mail & calendars', 'Utilisation']);
    await page.getByRole('link', { name: /Approvals/ }).click();
    const card = page.locator(`.approval-card[data-booking="${held.id}"]`);
    await text(card).toContain('HEMT buffer');
    await card.getByLabel('Reason or note').fill('OK, chamber baked on Monday');
    await card.getByRole('button', { name: 'Approve' }).click();
    await text(page.locator('.toast')).toContain('approved');
    await page.locator('.nav-link .count').waitFor({ state: 'hidden' });

    const after = await fetch(`${api.url}/api/bookings/${held.id}`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect((await after.json()).state).toBe('confirmed');
    expect(app.pageErrors).toEqual([]);
  });

  it('lets ops preview and confirm maintenance that moves a booking, and report an outage', async () => {
    const booked = await book(alice, {
      toolIds: ['SEM-2'],
      durationMin: 60,
      earliestStart: at(14),
      latestEnd: at(15),
    });
    await switchUser(otto);
    await text(page.locator('header .me .role')).toBe('Ops');
    expect(await navLinks()).toEqual(['Schedule', 'Request', 'My bookings', 'Rounds', 'Wait list', 'My qualifications', 'Lots', 'Maintenance', 'Facility', 'E-mail & calendars', 'Utilisation']);

    await nav('Maintenance').click();
    await page.locator('input[name=toolIds][value="SEM-2"]').check();
    await page.locator('input[name=startsAt]').fill(toLocalInput(tomorrow + 13 * hourMs));
    await page.locator('input[name=endsAt]').fill(toLocalInput(tomorrow + 16 * hourMs));
    await page.locator('input[name=reason]').fill('Column bake-out');
    await page.getByRole('button', { name: 'Preview impact' }).click();

    // The preview: the booking in the way, from → to, and nothing applied yet.
    const proposal = page.locator('.proposal[data-state=proposed]');
    const move = proposal.locator(`.move[data-booking="${booked.id}"]`);
    await text(move.locator('.from')).toMatch(/SEM-\d.*14:00–15:00/);
    await text(proposal.locator('.metric').first()).toBe('1displaced');
    const before = await fetch(`${api.url}/api/bookings/${booked.id}`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect((await before.json()).startsAt).toBe(at(14));
    // Later on SEM-2 or the same time on SEM-1: somewhere else than where it was.
    expect(await move.locator('.to').textContent()).not.toBe(await move.locator('.from').textContent());

    await proposal.getByRole('button', { name: 'Confirm' }).click();
    await text(page.locator('.proposal h3')).toContain('Applied');
    await text(page.locator('.proposal .badge')).toBe('scheduled');
    const after = await fetch(`${api.url}/api/bookings/${booked.id}`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    const moved = await after.json();
    expect([moved.toolId, moved.startsAt]).not.toEqual(['SEM-2', at(14)]);
    movedBookingId = booked.id;

    // The Gantt shows the window hatched on SEM-2.
    await page.getByRole('link', { name: 'Show on the schedule' }).click();
    const window = page.locator('.tool-row[data-tool="SEM-2"] .block.maintenance');
    await label(window).toMatch(/^Tabletop SEM: maintenance \(scheduled\), .*13:00–16:00/);
    expect(await window.evaluate((el) => getComputedStyle(el).backgroundImage)).toContain(
      'repeating-linear-gradient',
    );

    // An outage: the tool goes down at once.
    await nav('Maintenance').click();
    const epi = page.locator('tr[data-tool="EPI-1"]');
    await epi.getByRole('button', { name: 'Report outage…' }).click();
    const outage = page.locator('form.outage-form');
    await outage.locator('input[name=reason]').fill('Heater thermocouple failure');
    await outage.getByRole('button', { name: 'Take tool down now' }).click();
    await page.locator('.toast').filter({ hasText: 'EPI-1 is down' }).waitFor();
    await text(epi.locator('.tool-status')).toBe('down');
    await text(page.locator('.maint-group[data-group=in_progress] .mnt')).toContain('EPI-1');

    // Preventive maintenance: schedule the plan, skip its first window on SEM-1, pause it.
    const plan = page.locator('.plan[data-plan="pm-sem"]');
    await plan.getByRole('button', { name: 'Schedule' }).click();
    await eventually(() => plan.getAttribute('data-state')).toBe('active');
    const sem1Windows = plan.locator('tr[data-tool="SEM-1"]');
    const firstWindow = (await sem1Windows.locator('.window-chip').first().textContent()) ?? '';
    await sem1Windows.getByRole('button', { name: 'skip' }).first().click();
    await text(sem1Windows.locator('td').nth(2)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await eventually(() => sem1Windows.locator('.window-chip').first().textContent()).not.toBe(firstWindow);
    await plan.getByRole('button', { name: 'Pause' }).click();
    await eventually(() => plan.getAttribute('data-state')).toBe('paused');

    await nav('Schedule').click();
    const epiRow = page.locator('.tool-row[data-tool="EPI-1"]');
    await text(epiRow.locator('.status')).toBe('down');
    await epiRow.locator('.block.maintenance.mkind-outage').waitFor();
    expect(app.pageErrors).toEqual([]);
  });

  it('offers a tenant the decline only on a booking maintenance moved', async () => {
    await switchUser(alice);
    await page.getByRole('link', { name: 'My bookings' }).click();
    // The SEM-1 booking was never moved: nothing to decline.
    const unmoved = page
      .locator('tr[data-state=confirmed]')
      .filter({ hasText: 'SEM-1' })
      .filter({ hasText: '09:00–10:00' });
    await unmoved.getByRole('button', { name: 'Cancel…' }).waitFor();
    expect(await unmoved.getByRole('button', { name: 'Decline move' }).count()).toBe(0);

    // The booking ops' maintenance moved: declined, cancelled without penalty.
    const moved = page.locator(`tr[data-booking="${movedBookingId}"]`);
    await moved.getByRole('button', { name: 'Decline move' }).click();
    await page.locator('.toast').filter({ hasText: 'Move declined' }).waitFor();
    await eventually(() => moved.getAttribute('data-state')).toBe('cancelled');
    expect(app.pageErrors).toEqual([]);
  });

  it('shows a held lot route as one entry in the approvals queue, approved as a whole, and as one card in My bookings', async () => {
    // Two days out: clear of the maintenance and the outage above.
    const day = tomorrow + dayMs;
    const created = await fetch(`${api.url}/api/lots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        requestId: newRequestId(),
        name: 'HEMT wafer lot 12',
        material: 'GaN',
        waferSize: 150,
        earliestStart: new Date(day + 9 * hourMs).toISOString(),
        latestEnd: new Date(day + 18 * hourMs).toISOString(),
        steps: [
          { name: 'GaN buffer epitaxy', toolTypeId: 'epi', durationMin: 120, maxLagToNextMin: 60 },
          { name: 'SEM cross-section', toolTypeId: 'sem', durationMin: 30 },
        ],
      }),
    });
    expect(created.status).toBe(201);
    const lot = (await created.json()).lot as { id: string; state: string; steps: Array<{ booking: { id: string } }> };
    expect(lot.state).toBe('held');
    const stepIds = lot.steps.map((s) => s.booking.id);

    await switchUser(mona);
    // One request waiting, not one per step.
    await text(page.locator('.nav-link .count')).toBe('1');
    await page.getByRole('link', { name: /Approvals/ }).click();
    const card = page.locator(`.approval-card[data-lot="${lot.id}"]`);
    await text(card).toContain('HEMT wafer lot 12');
    await text(card.locator('.who')).toBe('uni-a (university) · alice');
    await text(card.locator('.lot-step-list [data-seq="1"]')).toContain('MOCVD reactor 1');
    await text(card.locator('.lot-step-list [data-seq="2"]')).toMatch(/Field-emission SEM|Tabletop SEM/);
    await text(card.locator('.deadline')).toContain('Decide by');
    for (const id of stepIds) expect(await page.locator(`.approval-card[data-booking="${id}"]`).count()).toBe(0);
    const decided = page.waitForResponse((r) => r.url().endsWith(`/api/lots/${lot.id}/approve`));
    await card.getByRole('button', { name: 'Approve' }).click();
    expect((await decided).status()).toBe(200);
    await text(page.locator('.toast').last()).toContain('HEMT wafer lot 12: approved');
    await page.locator('.nav-link .count').waitFor({ state: 'hidden' });
    const approved = await (await fetch(`${api.url}/api/lots/${lot.id}`, { headers: { authorization: `Bearer ${alice.token}` } })).json();
    expect(approved.state).toBe('confirmed');
    expect(approved.steps.map((s: { booking: { state: string } }) => s.booking.state)).toEqual(['confirmed', 'confirmed']);

    // Ops' preview of work on the reactor shows what happens to the route as a whole.
    await switchUser(otto);
    await nav('Maintenance').click();
    await page.locator('input[name=toolIds][value="EPI-1"]').check();
    await page.locator('input[name=startsAt]').fill(toLocalInput(day + 8 * hourMs));
    await page.locator('input[name=endsAt]').fill(toLocalInput(day + 12 * hourMs));
    await page.locator('input[name=reason]').fill('Susceptor swap');
    await page.getByRole('button', { name: 'Preview impact' }).click();
    const repair = page.locator(`.proposal[data-state=proposed] .lot-repair[data-lot="${lot.id}"]`);
    await text(repair).toContain('HEMT wafer lot 12');
    await eventually(() => repair.getAttribute('data-outcome')).toBe('moved');
    await text(repair).toContain('will move as a route');
    await eventually(() => repair.locator('li').count()).toBe(2);

    // The owner sees the route as one card; its steps are not loose rows with their own buttons.
    await switchUser(alice);
    await page.getByRole('link', { name: 'My bookings' }).click();
    const lotCard = page.locator(`.lot-card[data-lot="${lot.id}"]`);
    await eventually(() => lotCard.locator('.lot-step').count()).toBe(2);
    await text(lotCard.locator('.lot-head')).toContain('HEMT wafer lot 12');
    for (const id of stepIds) expect(await page.locator(`tr[data-booking="${id}"]`).count()).toBe(0);
    const first = lotCard.locator('.lot-step[data-seq="1"]');
    const checkedIn = page.waitForResponse((r) => r.url().endsWith(`/api/lots/${lot.id}/steps/1/check-in`));
    await first.getByRole('button', { name: 'Check in' }).click();
    expect((await checkedIn).status()).toBe(200);
    await eventually(() => lotCard.getAttribute('data-state')).toBe('in_progress');
    await eventually(() => first.getAttribute('data-state')).toBe('in_use');
    expect(await lotCard.locator('.lot-step[data-seq="2"]').getByRole('button', { name: 'Check in' }).count()).toBe(1);
    await first.getByRole('button', { name: 'Check out' }).click();
    await eventually(() => first.getAttribute('data-state')).toBe('completed');
    expect(app.pageErrors).toEqual([]);
  });

  it('serves the page and assets without shadowing the API', async () => {
    const index = await fetch(`${api.url}/`);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    const script = await fetch(`${api.url}/ui/app.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
    const again = await fetch(`${api.url}/ui/app.js`, {
      headers: { 'if-none-match': script.headers.get('etag') ?? '' },
    });
    expect(again.status).toBe(304);
    const unknown = await fetch(`${api.url}/api/nothing`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`${api.url}/openapi.json`)).status).toBe(200);
  });
});
