import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { checkStatements } from '../../src/billing/check.js';
import { runStatementsCommand } from '../../src/runtime/statements-command.js';
import { databaseFingerprint } from '../support/db-fingerprint.js';
import { aBooking, aPolicy, aProject, aRate, aTenant, aTool, aUser, type TestUser } from '../support/scenario.js';
import { startApiWorld, type ApiWorld } from '../support/world.js';

// Usage statements through the real API on a real PostgreSQL: charges written by the booking
// activities themselves (check-in/out, no-show, cancellation) at a steered clock, then drafted,
// adjusted, issued and corrected; what an issued statement refuses; bad input writing nothing;
// a tenant seeing only its own. No request here reaches a workflow (test/workflows/month-close
// has the Schedule).

const at = (iso: string) => new Date(iso);
let world: ApiWorld;
let activities: ReturnType<typeof createActivities>;
const u = {} as Record<'mia' | 'ann' | 'una' | 'bob', TestUser>;
const ids = {} as Record<'used' | 'noShow' | 'lateCancel' | 'earlyCancel' | 'runHolder' | 'runLoad' | 'lateLine', string>;
let annProject: string;

beforeAll(async () => {
  world = await startApiWorld(
    at('2035-03-01T00:00:00Z'),
    async (db) => {
      await aTool(db, 'SEM-1', 'sem');
      await aTool(db, 'ANNEAL-1', 'anneal', { materials: ['SiC'], contaminationClass: 'standard', batchCapacity: 25 });
      // Cancelling less than a day ahead is late: half the booked time's cost; a no-show pays all of it.
      await aPolicy(db, 'sem', { lateCancelMin: 24 * 60, lateCancelChargePercent: 50, noShowChargePercent: 100 });
      await aPolicy(db, 'anneal', { minDurationMin: 60 });
      await aTenant(db, 'co-b', 'industry');
      await aRate(db, 'sem', 'university', 60_000);
      await aRate(db, 'sem', 'industry', 150_000);
      await aRate(db, 'anneal', 'university', 60_000);
      await aRate(db, 'anneal', 'industry', 150_000);
      u.mia = await aUser(db, 'mia', 'institute', 'lab_manager');
      u.ann = await aUser(db, 'ann', 'uni-a', 'tenant_user', ['sem', 'anneal']);
      u.una = await aUser(db, 'una', 'uni-a', 'tenant_manager');
      u.bob = await aUser(db, 'bob', 'co-b', 'tenant_user', ['sem', 'anneal']);
      annProject = (await aProject(db, 'uni-a', 'UA-1', ['ann'])).id;
      const bobProject = (await aProject(db, 'co-b', 'CB-1', ['bob'])).id;
      const ann = { projectId: annProject, createdAt: at('2035-02-20T00:00:00Z') };
      ids.used = (await aBooking(db, u.ann.actor, 'SEM-1', at('2035-03-05T01:00:00Z'), ann)).id;
      // Booked without a project (as a wait-list offer may be): its own statement, "no project".
      ids.noShow = (await aBooking(db, u.ann.actor, 'SEM-1', at('2035-03-06T02:00:00Z'), { createdAt: ann.createdAt })).id;
      ids.lateCancel = (await aBooking(db, u.ann.actor, 'SEM-1', at('2035-03-08T02:00:00Z'), { ...ann, endsAt: at('2035-03-08T03:30:00Z') })).id;
      ids.earlyCancel = (await aBooking(db, u.ann.actor, 'SEM-1', at('2035-03-20T02:00:00Z'), ann)).id;
      const run = { recipe: 'activation-1700C-4h', material: 'SiC', waferSize: 150, endsAt: at('2035-03-12T05:00:00Z') };
      ids.runHolder = (await aBooking(db, u.ann.actor, 'ANNEAL-1', at('2035-03-12T01:00:00Z'), { ...ann, ...run, waferCount: 10 })).id;
      ids.runLoad = (await aBooking(db, u.bob.actor, 'ANNEAL-1', at('2035-03-12T01:00:00Z'), { ...run, projectId: bobProject, waferCount: 15, sharedRunId: ids.runHolder, createdAt: ann.createdAt })).id;
      ids.lateLine = (await aBooking(db, u.ann.actor, 'SEM-1', at('2035-03-31T14:00:00Z'), { ...ann, endsAt: at('2035-03-31T15:00:00Z') })).id;
    },
    { worker: false },
  );
  activities = createActivities({ db: world.db, clock: world.clock, announceFreedTime: async () => undefined });
});

afterAll(async () => {
  await world?.[Symbol.asyncDispose]();
});

const call = (method: 'GET' | 'POST', url: string, who: TestUser, body?: unknown) =>
  world.api.call(method, url, { token: who.token, ...(body === undefined ? {} : { body }) });
const lineOf = (bookingId: string) => world.db.usageLine.findUniqueOrThrow({ where: { bookingId } });

function expectFieldRefused(response: { statusCode: number; headers: Record<string, unknown>; json(): { code: string; issues?: Array<{ field: string }> } }, field: string) {
  expect(response.statusCode).toBe(422);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json().code).toBe('VALIDATION_FAILED');
  expect(response.json().issues?.map((i) => i.field)).toContain(field);
}

describe('charges from what happened', () => {
  it('charges a late check-in and an early check-out for the time used only', async () => {
    // The clock runs on between the jumps: half a minute of slack keeps it 75 started minutes on a slow machine.
    world.clock.jumpTo(at('2035-03-05T01:20:30Z'));
    await activities.recordCheckIn({ bookingId: ids.used, actor: u.ann.actor });
    world.clock.jumpTo(at('2035-03-05T02:35:00Z'));
    await activities.recordCheckOut({ bookingId: ids.used, actor: u.ann.actor, auto: false });
    // Booked 2 h, used 75 min: HK$600.00 an hour × 75 min.
    expect(await lineOf(ids.used)).toMatchObject({ kind: 'use', minutes: 75, rateCents: 60_000, amountCents: 75_000, projectId: annProject, month: '2035-03' });
  });

  it('charges a no-show and a late cancellation their policy’s share of the booked time, and an early cancellation nothing', async () => {
    world.clock.jumpTo(at('2035-03-06T02:16:00Z'));
    await activities.markNoShow({ bookingId: ids.noShow });
    world.clock.jumpTo(at('2035-03-07T12:00:00Z'));
    await activities.cancelBooking({ bookingId: ids.lateCancel, actor: u.ann.actor });
    await activities.cancelBooking({ bookingId: ids.earlyCancel, actor: u.ann.actor });
    // 2 h booked × HK$600.00 × 100 %; 90 min × HK$600.00 × 50 %, dated at the booked start.
    expect(await lineOf(ids.noShow)).toMatchObject({ kind: 'no_show', minutes: 120, chargePercent: 100, amountCents: 120_000, projectId: null, chargedAt: at('2035-03-06T02:00:00Z') });
    expect(await lineOf(ids.lateCancel)).toMatchObject({ kind: 'late_cancel', minutes: 90, chargePercent: 50, amountCents: 45_000, chargedAt: at('2035-03-08T02:00:00Z') });
    expect(await world.db.usageLine.findUnique({ where: { bookingId: ids.earlyCancel } })).toBeNull();
  });

  it('splits a shared furnace run between the tenants by their wafers, each at its own class rate', async () => {
    world.clock.jumpTo(at('2035-03-12T01:00:00Z'));
    for (const id of [ids.runHolder, ids.runLoad]) await activities.recordCheckIn({ bookingId: id, actor: u.mia.actor });
    world.clock.jumpTo(at('2035-03-12T05:00:00Z'));
    for (const id of [ids.runHolder, ids.runLoad]) await activities.recordCheckOut({ bookingId: id, auto: true });
    // 4 h: HK$2,400 at the research rate × 10/25; HK$6,000 at the commercial rate × 15/25.
    expect(await lineOf(ids.runHolder)).toMatchObject({ tenantId: 'uni-a', loadWafers: 10, runWafers: 25, amountCents: 96_000 });
    expect(await lineOf(ids.runLoad)).toMatchObject({ tenantId: 'co-b', loadWafers: 15, runWafers: 25, amountCents: 360_000 });
  });
});

describe('statements', () => {
  let annMarch: string;
  let annNoProject: string;
  let bobMarch: string;

  it('drafts March per tenant and project (and "no project"), each total the sum of its rounded lines, as the checker recomputes from the bookings', async () => {
    world.clock.jumpTo(at('2035-04-10T00:00:00Z'));
    const drafted = await call('POST', '/api/statements/drafts', u.mia, { from: '2035-03' });
    expect(drafted.statusCode).toBe(200);
    const rows = drafted.json().statements as Array<{ id: string; tenantId: string; projectCode: string | null; usageCents: number; totalCents: number; lineCount: number; state: string }>;
    const byKey = (a: unknown[], b: unknown[]) => String(a).localeCompare(String(b));
    expect(rows.map((s) => [s.tenantId, s.projectCode, s.lineCount, s.usageCents, s.totalCents, s.state]).sort(byKey)).toEqual([
      ['co-b', 'CB-1', 1, 360_000, 360_000, 'draft'],
      ['uni-a', null, 1, 120_000, 120_000, 'draft'],
      ['uni-a', 'UA-1', 3, 216_000, 216_000, 'draft'],
    ]);
    annMarch = rows.find((s) => s.projectCode === 'UA-1')!.id;
    annNoProject = rows.find((s) => s.tenantId === 'uni-a' && s.projectCode === null)!.id;
    bobMarch = rows.find((s) => s.tenantId === 'co-b')!.id;
    const detail = (await call('GET', `/api/statements/${annMarch}`, u.una)).json();
    expect(detail.lines.map((l: { kind: string; amountCents: number }) => [l.kind, l.amountCents])).toEqual([
      ['use', 75_000],
      ['late_cancel', 45_000],
      ['use', 96_000],
    ]);
    expect((await checkStatements(world.db, { from: '2035-03', to: '2035-03' })).differences).toEqual([]);
    // Drafting again writes the same.
    const again = await call('POST', '/api/statements/drafts', u.mia, { from: '2035-03' });
    expect(again.json().statements.map((s: { id: string; totalCents: number }) => [s.id, s.totalCents]).sort()).toEqual(rows.map((s) => [s.id, s.totalCents]).sort());
  });

  it('has a checker that finds a statement not matching the bookings', async () => {
    const line = await lineOf(ids.used);
    await world.db.usageLine.update({ where: { id: line.id }, data: { amountCents: line.amountCents + 1 } });
    try {
      await call('POST', '/api/statements/drafts', u.mia, { from: '2035-03', tenantId: 'uni-a' });
      const found = (await checkStatements(world.db, { from: '2035-03', to: '2035-03' })).differences;
      expect(found).toEqual([{ key: `uni-a/${annProject}/2035-03/HKD`, what: 'usage', expected: 216_000, found: 216_001 }]);
    } finally {
      await world.db.usageLine.update({ where: { id: line.id }, data: { amountCents: line.amountCents } });
      await call('POST', '/api/statements/drafts', u.mia, { from: '2035-03', tenantId: 'uni-a' });
    }
  });

  it('takes a lab manager’s adjustment with its reason, audited, into the total', async () => {
    const adjusted = await call('POST', `/api/statements/${annMarch}/adjustments`, u.mia, { amountCents: -5_000, reason: 'SEM stage drifted for 20 min' });
    expect(adjusted.statusCode).toBe(201);
    const statement = (await call('GET', `/api/statements/${annMarch}`, u.mia)).json();
    expect(statement).toMatchObject({ usageCents: 216_000, adjustmentsCents: -5_000, totalCents: 211_000 });
    const audit = await world.db.auditLog.findFirstOrThrow({ where: { action: 'statement.adjusted', entityId: annMarch } });
    expect(audit).toMatchObject({ actorId: 'mia', data: expect.objectContaining({ amountCents: -5_000, reason: 'SEM stage drifted for 20 min' }) });
  });

  it('serves the statement as CSV whose rows add up to its total, and as a PDF', async () => {
    const csv = await call('GET', `/api/statements/${annMarch}/csv`, u.ann);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...rows] = csv.body.trim().split('\n').map((r) => r.split(','));
    const amount = header!.indexOf('amount_cents');
    const kind = header!.indexOf('kind');
    const sum = (kinds: string[]) => rows.filter((r) => kinds.includes(r[kind]!)).reduce((n, r) => n + Number(r[amount]), 0);
    expect(sum(['use', 'no_show', 'late_cancel'])).toBe(216_000);
    expect(sum(['adjustment'])).toBe(-5_000);
    expect(Number(rows.find((r) => r[kind] === 'total')![amount])).toBe(211_000);
    const pdf = await call('GET', `/api/statements/${annMarch}/pdf`, u.ann);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.length).toBeGreaterThan(1_000);
  });

  it('issues a reviewed statement, which then refuses every change with 409 and keeps late lines out', async () => {
    const issued = await call('POST', `/api/statements/${annMarch}/issue`, u.mia);
    expect(issued.json()).toMatchObject({ state: 'issued', issuedById: 'mia', totalCents: 211_000 });
    const before = await databaseFingerprint(world.db);
    const refusals = [
      await world.api.send('POST', `/api/statements/${annMarch}/adjustments`, { token: u.mia.token, body: { amountCents: 100, reason: 'one more' } }),
      await world.api.send('POST', `/api/statements/${annMarch}/issue`, { token: u.mia.token }),
    ];
    for (const refused of refusals) {
      expect(refused.statusCode).toBe(409);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json().code).toBe('STATEMENT_ISSUED');
    }
    expect(await databaseFingerprint(world.db)).toEqual(before);
    // The database refuses too, whatever the application does.
    await expect(world.db.statement.update({ where: { id: annMarch }, data: { totalCents: 1 } })).rejects.toThrow(/issued/);
    await expect(world.db.usageLine.update({ where: { bookingId: ids.used }, data: { amountCents: 1 } })).rejects.toThrow(/issued/);

    // A charge for March written after March was issued goes onto April.
    await activities.markNoShow({ bookingId: ids.lateLine });
    expect(await lineOf(ids.lateLine)).toMatchObject({ kind: 'no_show', chargedAt: at('2035-03-31T14:00:00Z'), month: '2035-04' });
    await call('POST', '/api/statements/drafts', u.mia, { from: '2035-03', to: '2035-04' });
    const still = (await call('GET', `/api/statements/${annMarch}`, u.mia)).json();
    expect(still).toMatchObject({ state: 'issued', lineCount: 3, usageCents: 216_000, totalCents: 211_000 });
    expect(still.lines).toHaveLength(3);
  });

  it('puts a correction of an issued month into the next month’s draft, referring to the issued statement', async () => {
    const corrected = await call('POST', `/api/statements/${annMarch}/corrections`, u.mia, { amountCents: -12_000, reason: 'credit: the 5 March session was a demo' });
    expect(corrected.statusCode).toBe(201);
    const { adjustment, statement } = corrected.json();
    expect(adjustment).toMatchObject({ correctsStatementId: annMarch, amountCents: -12_000 });
    expect(statement).toMatchObject({ month: '2035-04', tenantId: 'uni-a', projectCode: 'UA-1', state: 'draft', adjustmentsCents: -12_000 });
    // The late no-show (60 min at HK$600.00) and the correction.
    expect(statement.totalCents).toBe(60_000 - 12_000);
    expect(statement.adjustments[0].id).toBe(adjustment.id);
    expect((await call('GET', `/api/statements/${annMarch}`, u.mia)).json().totalCents).toBe(211_000);
    // A draft is adjusted, not corrected; a month not ended is not issued.
    const onDraft = await world.api.send('POST', `/api/statements/${bobMarch}/corrections`, { token: u.mia.token, body: { amountCents: 1, reason: 'x' } });
    expect(onDraft.json().code).toBe('INVALID_STATE');
    const early = await world.api.send('POST', `/api/statements/${statement.id}/issue`, { token: u.mia.token });
    expect([early.statusCode, early.json().code]).toEqual([409, 'INVALID_STATE']);
  });

  it('shows a tenant only its own statements', async () => {
    const seenByAnn = (await call('GET', '/api/statements', u.ann)).json().statements;
    expect(seenByAnn.length).toBeGreaterThan(0);
    expect(new Set(seenByAnn.map((s: { tenantId: string }) => s.tenantId))).toEqual(new Set(['uni-a']));
    for (const url of [`/api/statements/${bobMarch}`, `/api/statements/${bobMarch}/csv`, `/api/statements/${bobMarch}/pdf`]) {
      const hidden = await world.api.send('GET', url, { token: u.ann.token });
      expect(hidden.statusCode).toBe(404);
      expect(hidden.body).not.toMatch(/co-b|CB-1|360/);
    }
    expect((await world.api.send('GET', '/api/statements?tenantId=co-b', { token: u.una.token })).statusCode).toBe(403);
    expect((await world.api.send('POST', '/api/statements/drafts', { token: u.una.token, body: { from: '2035-03' } })).statusCode).toBe(403);
    expect((await world.api.send('POST', `/api/statements/${annNoProject}/adjustments`, { token: u.ann.token, body: { amountCents: -1, reason: 'please' } })).statusCode).toBe(403);
    const bobSees = (await call('GET', '/api/statements', u.bob)).json().statements;
    expect(bobSees.map((s: { id: string }) => s.id)).toEqual([bobMarch]);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await databaseFingerprint(world.db);
    const send = (method: 'GET' | 'POST', url: string, body?: unknown) => world.api.call(method, url, { token: u.mia.token, ...(body === undefined ? {} : { body }) });
    expectFieldRefused(await send('POST', '/api/statements/drafts', { from: '2035-03', to: '2035-02' }), 'body.to');
    expectFieldRefused(await send('GET', '/api/statements?from=2035-03&to=2035-01'), 'query.to');
    expectFieldRefused(await send('POST', '/api/statements/drafts', { from: '2035-05' }), 'body.from');
    expectFieldRefused(await send('POST', '/api/statements/drafts', { from: '2035-03', to: '2035-06' }), 'body.to');
    expectFieldRefused(await send('POST', '/api/statements/drafts', { from: '2035-13' }), 'body.from');
    expectFieldRefused(await send('POST', `/api/statements/${bobMarch}/adjustments`, { amountCents: -500 }), 'body.reason');
    expectFieldRefused(await send('POST', `/api/statements/${bobMarch}/adjustments`, { amountCents: -500, reason: '   ' }), 'body.reason');
    expectFieldRefused(await send('POST', `/api/statements/${bobMarch}/adjustments`, { amountCents: 0, reason: 'nothing' }), 'body.amountCents');
    expectFieldRefused(await send('POST', '/api/statements/drafts', { from: '2035-03', tenantId: 'no-such-tenant' }), 'body.tenantId');
    expectFieldRefused(await send('GET', '/api/statements?tenantId=no-such-tenant'), 'query.tenantId');
    expectFieldRefused(await send('GET', '/api/statements/not-a-uuid'), 'params.id');
    expect(await databaseFingerprint(world.db)).toEqual(before);
  });

  it('prints a month’s statements from the command line as JSON or CSV', async () => {
    const json = JSON.parse(await runStatementsCommand(world.db, world.clock, { month: '2035-03', tenant: 'co-b' }));
    expect(json.statements.map((s: { id: string; lines: unknown[] }) => [s.id, s.lines.length])).toEqual([[bobMarch, 1]]);
    const csv = await runStatementsCommand(world.db, world.clock, { month: '2035-03', format: 'csv' });
    const rows = csv.trim().split('\n');
    expect(rows[0]).toMatch(/^statement,tenant,project,month/);
    expect(rows.filter((r) => r.startsWith('statement,'))).toHaveLength(1);
    await expect(runStatementsCommand(world.db, world.clock, { month: '2035-03', tenant: 'nobody' })).rejects.toThrow(/flags.tenant/);
  });
});
