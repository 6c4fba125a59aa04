import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayMs, hourMs, isoDay, startOfDay, toLocalInput } from '../../src/web/client/time.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aPolicy, aTool, aToolType, aUser, type TestUser } from '../support/scenario.js';
import { openBrowserApp, type BrowserApp } from './browser-app.js';
import type { ListeningApi } from './browser.js';

// Issue 13, done when 1, in real Chromium: an admin admits a university tenant, opens a project
// and adds a student; the student asks for training on an MOCVD reactor; the lab manager books the
// training, records it and grants the qualification with an expiry; the student books the reactor;
// the admin retires the reactor and deactivates the student, and the UI lists what each affects.
// Everyone signs in with e-mail and password; the student's comes from the one-time link the admin
// hands out on the student's row.

let database: TestDatabase;
let app: BrowserApp;
let api: ListeningApi;
let page: Page;
let ada: TestUser;
let mia: TestUser;

const tomorrow = startOfDay(Date.now()) + dayMs;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await aToolType(db, 'gan-mocvd', { name: 'GaN MOCVD reactor', area: 'epitaxy' });
  await aTool(db, 'MOCVD-1', 'gan-mocvd', { name: 'MOCVD reactor 1', materials: ['GaN', 'GaN-on-Si'] });
  await aTool(db, 'MOCVD-2', 'gan-mocvd', { name: 'MOCVD reactor 2', materials: ['GaN', 'GaN-on-Si'] });
  await aPolicy(db, 'gan-mocvd', { minDurationMin: 60, maxDurationMin: 12 * 60, approvalRequired: true });
  ada = await aUser(db, 'ada', 'institute', 'admin', [], { password: 'ada password 12345' });
  mia = await aUser(db, 'mia', 'institute', 'lab_manager', [], { password: 'mia password 12345' });
  app = await openBrowserApp(db);
  ({ api, page } = app);
});

afterAll(async () => {
  await app?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 50 });
const text = (locator: Locator) => eventually(async () => (await locator.textContent()) ?? '');

async function signOut() {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#email').waitFor();
}

/** The sign-in form: e-mail and password (never a token). */
async function signInAs(person: { email: string; password: string }) {
  if (await page.locator('header.topbar').count()) await signOut();
  await page.locator('#email').fill(person.email);
  await page.locator('#password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('header.topbar').waitFor();
}

const password = (user: TestUser) => ({ email: user.email, password: user.password! });

const nav = (name: string) => page.locator('header.topbar nav').getByRole('link', { name, exact: true });

describe('running the facility in the browser (issue 13, done when 1)', () => {
  const student = { email: 'lee@bay.example', password: 'gallium nitride on sapphire' };
  let welcomeLink = '';

  it('lets the admin admit a university tenant, open a project and add a student to it', async () => {
    await page.goto(api.url);
    await signInAs(password(ada));
    await nav('Facility').click();
    await page.getByRole('link', { name: 'Tenants' }).click();
    const admit = page.locator('form.new-tenant');
    await admit.locator('input[name=id]').fill('uni-bay');
    await admit.locator('input[name=name]').fill('Bay University');
    await admit.locator('select[name=class]').selectOption('university');
    await admit.locator('input[name=contactName]').fill('Prof. Ho');
    await admit.locator('input[name=contactEmail]').fill('ho@bay.example');
    await admit.getByRole('button', { name: 'Admit tenant' }).click();
    await text(page.locator('.tenant-head h2')).toContain('Bay University');
    await text(page.locator('.tenant-head')).toContain('ho@bay.example');

    const open = page.locator('form.new-project');
    await open.locator('input[name=code]').fill('GRF-123');
    await open.locator('input[name=name]').fill('Vertical GaN devices');
    await open.getByRole('button', { name: 'Open project' }).click();
    await text(page.locator('.project[data-project="GRF-123"] h4')).toContain('Vertical GaN devices');

    const add = page.locator('form.new-person');
    await add.locator('input[name=id]').fill('bay-lee');
    await add.locator('input[name=name]').fill('Lee Student');
    await add.locator('input[name=email]').fill('lee@bay.example');
    await add.locator('select[name=projectIds]').selectOption({ label: 'GRF-123 — Vertical GaN devices' });
    await add.getByRole('button', { name: 'Add person' }).click();
    const row = page.locator('.people-list tr[data-person="bay-lee"]');
    await text(row).toContain('GRF-123');
    await text(row).toContain('Tenant user');
    await text(page.locator('.project[data-project="GRF-123"] .members')).toContain('Lee Student');
    // A duplicate e-mail is refused on the field that is wrong.
    await add.locator('input[name=id]').fill('bay-lee-2');
    await add.locator('input[name=name]').fill('Lee Again');
    await add.locator('input[name=email]').fill('LEE@bay.example');
    await add.getByRole('button', { name: 'Add person' }).click();
    await text(add.locator('.field[data-field="email"] .field-error')).toContain('already the e-mail');

    // A way in for the student: a one-time welcome link, shown once on their row.
    await row.getByRole('button', { name: 'Sign-in link…' }).click();
    const link = await row.getByRole('textbox', { name: 'Sign-in link' }).inputValue();
    expect(link).toMatch(new RegExp(`^${api.url}/#/welcome\\?token=`));
    await text(row.locator('.new-secret')).toContain('Welcome link for Lee Student');
    welcomeLink = link;
  });

  it('lets the student choose a password through the link, then sign in with it and ask for training on the MOCVD reactor', async () => {
    await signOut();
    await page.goto(welcomeLink);
    await page.locator('#new-password').fill(student.password);
    await page.locator('#new-password-again').fill(student.password);
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await text(page.locator('header.topbar')).toContain('Lee Student');
    // From now on the student signs in like everyone: e-mail and password.
    await signInAs(student);
    await text(page.locator('header.topbar')).toContain('Lee Student');
    await nav('My qualifications').click();
    await text(page.locator('.my-qualifications')).toContain('None yet');
    const form = page.locator('form.request-training');
    await form.locator('select[name=scope]').selectOption('type:gan-mocvd');
    await form.locator('input[name=note]').fill('GaN buffer growth for my thesis');
    await form.getByRole('button', { name: 'Request training' }).click();
    await text(page.locator('.training-requests')).toContain('GaN MOCVD reactor — requested');
  });

  it('lets the lab manager book the training, record it and grant the qualification with an expiry', async () => {
    await signInAs(password(mia));
    await nav('Qualifications').click();
    const card = page.locator('.training[data-status="requested"]');
    await text(card).toContain('Lee Student');
    await card.locator('select[name=toolId]').selectOption('MOCVD-1');
    await card.locator('input[name=start]').fill(toLocalInput(tomorrow + 9 * hourMs));
    await card.getByRole('button', { name: 'Book the training' }).click();
    const scheduled = page.locator('.training[data-status="scheduled"]');
    await text(scheduled).toContain('Training on MOCVD-1');
    await scheduled.locator('input[name=expires]').fill(isoDay(tomorrow + 365 * dayMs));
    await scheduled.getByRole('button', { name: 'Record training & grant' }).click();
    await page.locator('.training').waitFor({ state: 'detached' });
    const granted = page.locator('.qualifications-list tr[data-state="active"]');
    await text(granted).toContain('Lee Student');
    await text(granted).toContain('mia');
    const training = await database.db.booking.findFirstOrThrow({ where: { userId: 'bay-lee' } });
    expect(training).toMatchObject({ trainerId: 'mia', toolId: 'MOCVD-1', state: 'confirmed' });
  });

  it('lets the student book the reactor, charged to the project', async () => {
    await signInAs(student);
    await nav('My qualifications').click();
    await text(page.locator('.qualifications-list tr[data-state="active"]')).toContain('GaN MOCVD reactor');
    await nav('Request').click();
    await page.locator('select[name=toolTypeId]').selectOption('gan-mocvd');
    await page.locator('input[name=durationMin]').fill('4');
    await page.locator('input[name=earliestStart]').fill(toLocalInput(tomorrow + dayMs + 9 * hourMs));
    await page.locator('input[name=latestEnd]').fill(toLocalInput(tomorrow + dayMs + 21 * hourMs));
    await page.locator('select[name=material]').selectOption('GaN');
    await page.locator('select[name=waferSize]').selectOption('100');
    await text(page.locator('.field[data-field="projectId"]')).toContain('GRF-123');
    await page.getByRole('button', { name: 'Book best slot' }).click();
    await text(page.locator('.booked')).toContain('held');
    const booked = await database.db.booking.findFirstOrThrow({ where: { userId: 'bay-lee', trainerId: null }, include: { project: true } });
    expect(booked).toMatchObject({ state: 'held', project: { code: 'GRF-123' } });
  });

  it('lets the admin retire the reactor and deactivate the student, listing what each affects', async () => {
    const booked = await database.db.booking.findFirstOrThrow({ where: { userId: 'bay-lee', trainerId: null } });
    await signInAs(password(ada));
    await nav('Facility').click();
    await page.getByRole('link', { name: 'Tools & tool types' }).click();
    const row = page.locator(`.tools-list tr[data-tool="${booked.toolId}"]`);
    await row.getByRole('button', { name: 'Retire…' }).click();
    await row.getByRole('button', { name: 'Check what it affects' }).click();
    const listed = row.locator(`.change-answer[data-applied="false"] tr[data-booking="${booked.id}"]`);
    await text(listed).toContain('tool retired');
    await text(listed).toContain('bay-lee');
    await row.getByRole('button', { name: 'Retire', exact: true }).click();
    await text(row.locator('.change-answer[data-applied="true"]')).toContain('tool retired');
    await text(row).toContain('retired');

    await nav('Facility').click();
    await page.getByRole('link', { name: 'Tenants' }).click();
    await page.getByRole('link', { name: 'Bay University' }).click();
    const person = page.locator('.people-list tr[data-person="bay-lee"]');
    await person.getByRole('button', { name: 'Deactivate…' }).click();
    const affected = person.locator('.affected-card');
    await text(affected).toContain('person deactivated');
    expect(await affected.locator('tr[data-booking]').count()).toBe(2);
    await affected.getByRole('button', { name: 'Deactivate', exact: true }).click();
    await text(affected).toContain('Lee Student is deactivated');
    await affected.getByRole('button', { name: 'Done' }).click();
    await text(person).toContain('deactivated');

    await signInAs(password(mia));
    await nav('Attention').click();
    const attention = page.locator(`.attention tr[data-booking="${booked.id}"]`);
    await eventually(() => attention.count()).toBe(2);
    expect(await attention.evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.reason).sort())).toEqual(['tool_retired', 'user_deactivated']);
    // Deactivated: the student's password opens nothing any more.
    const refused = await fetch(`${api.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(student) });
    expect(refused.status).toBe(401);
    expect(app.pageErrors).toEqual([]);
  });
});
