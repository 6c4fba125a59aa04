import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db.js';
import type { UtilisationReport } from '../../src/domain/utilisation.js';
import { aBooking, aTenant, aTool, aToolType, aUser, type TestUser } from '../support/scenario.js';
import { startApiWorld, type ApiWorld } from '../support/world.js';

// Utilisation over the first week of March 2035 (Hong Kong days 1–7: 168 hours a tool), on a
// hand-built line whose every figure is worked out by hand below. No workflow is involved: the
// bookings and maintenance are written as the activities leave them.

/** Hong Kong local time on a day of March 2035 (day 0 is 28 February). */
const hk = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2035, 2, day, hour - 8, minute));
const hoursBefore = (at: Date, h: number) => new Date(at.getTime() - h * 3_600_000);
const now = hk(10, 20); // 20:00 in Hong Kong on 10 March

let world: ApiWorld;
const u = {} as Record<'mia' | 'ann' | 'amy' | 'bob' | 'cat', TestUser>;

async function aMaintenance(
  db: Db,
  kind: 'planned' | 'recurring' | 'outage',
  state: 'completed' | 'cancelled' | 'in_progress',
  windows: ReadonlyArray<{ toolId: string; active: boolean }>,
  startsAt: Date,
  endsAt: Date,
) {
  const id = `m-${kind}-${startsAt.toISOString()}`;
  await db.maintenance.create({
    data: {
      requestId: id,
      workflowId: id,
      kind,
      state,
      startsAt,
      endsAt,
      reason: kind,
      createdById: 'mia',
      windows: { create: windows.map((w) => ({ toolId: w.toolId, startsAt, endsAt, active: w.active })) },
    },
  });
}

beforeAll(async () => {
  world = await startApiWorld(
    now,
    async (db) => {
      await aToolType(db, 'epi', { name: 'SiC epi reactor', area: 'epitaxy' });
      await aToolType(db, 'furnace', { name: 'Anneal furnace', area: 'implant' });
      await aTool(db, 'EPI-1', 'epi');
      await aTool(db, 'EPI-2', 'epi');
      await aTool(db, 'OLD-1', 'epi', { retiredAt: hk(4, 0) }); // retired at the start of day 4: 72 h
      await aTool(db, 'FURN-1', 'furnace', { batchCapacity: 25 });
      await aTenant(db, 'institute', 'institute');
      await aTenant(db, 'co-b', 'industry');
      u.mia = await aUser(db, 'mia', 'institute', 'lab_manager');
      u.ann = await aUser(db, 'ann', 'uni-a', 'tenant_user');
      u.amy = await aUser(db, 'amy', 'uni-a', 'tenant_user');
      u.bob = await aUser(db, 'bob', 'co-b', 'tenant_user');
      u.cat = await aUser(db, 'cat', 'uni-c', 'tenant_user');

      // EPI-1: a recurring PM written as history (completed, window inactive) 8 h on day 2; a planned
      // PM from 20:00 on 28 February to 02:00 on day 1 (2 h inside the period); an outage 4 h on day 5;
      // a cancelled PM on day 3 (not counted); a window dropped from the day-6 PM before it was applied
      // (inactive while EPI-2's is active: not counted). Down 14 h, of it 4 h outage: available 154 h.
      await aMaintenance(db, 'recurring', 'completed', [{ toolId: 'EPI-1', active: false }], hk(2, 8), hk(2, 16));
      await aMaintenance(db, 'planned', 'completed', [{ toolId: 'EPI-1', active: true }], hk(0, 20), hk(1, 2));
      await aMaintenance(db, 'outage', 'completed', [{ toolId: 'EPI-1', active: true }], hk(5, 0), hk(5, 4));
      await aMaintenance(db, 'planned', 'cancelled', [{ toolId: 'EPI-1', active: false }], hk(3, 8), hk(3, 20));
      // EPI-2: that day-6 PM, 6 h: available 162 h.
      await aMaintenance(db, 'recurring', 'completed', [{ toolId: 'EPI-2', active: true }, { toolId: 'EPI-1', active: false }], hk(6, 8), hk(6, 14));

      // EPI-1, booked 18 h, used 10.5 h, 4 h no-show; waits 48, 24, 12 h.
      const b1 = hk(1, 9);
      await aBooking(db, u.ann.actor, 'EPI-1', b1, { endsAt: hk(1, 17), state: 'completed', checkedInAt: hk(1, 9, 30), checkedOutAt: hk(1, 16), createdAt: hoursBefore(b1, 48) });
      const b2 = hk(3, 9);
      await aBooking(db, u.bob.actor, 'EPI-1', b2, { endsAt: hk(3, 13), state: 'no_show', createdAt: hoursBefore(b2, 24) });
      await aBooking(db, u.ann.actor, 'EPI-1', hk(4, 9), { endsAt: hk(4, 13), state: 'cancelled', createdAt: hoursBefore(hk(4, 9), 5) });
      // From 22:00 on 28 February: 2 h of it in the period, 1 h used in it; its wait is February's.
      await aBooking(db, u.bob.actor, 'EPI-1', hk(0, 22), { endsAt: hk(1, 2), state: 'completed', checkedInAt: hk(0, 22), checkedOutAt: hk(1, 1), createdAt: hoursBefore(hk(0, 22), 100) });
      // Into 8 March: 4 h in the period, 3 h used.
      const b5 = hk(7, 20);
      await aBooking(db, u.bob.actor, 'EPI-1', b5, { endsAt: hk(8, 2), state: 'completed', checkedInAt: hk(7, 20), checkedOutAt: hk(7, 23), createdAt: hoursBefore(b5, 12) });
      // EPI-2: 2 h booked, 2.5 h used (checked out late); wait 1 h.
      const b6 = hk(2, 10);
      await aBooking(db, u.amy.actor, 'EPI-2', b6, { endsAt: hk(2, 12), state: 'completed', checkedInAt: hk(2, 10), checkedOutAt: hk(2, 12, 30), createdAt: hoursBefore(b6, 1) });
      // FURN-1: one 8 h run shared by uni-a (2 wafers, wait 72 h) and co-b (6 wafers, wait 48 h): 2 h and 6 h each.
      const run = hk(3, 8);
      const holder = await aBooking(db, u.ann.actor, 'FURN-1', run, { endsAt: hk(3, 16), state: 'completed', recipe: 'anneal', waferCount: 2, checkedInAt: run, checkedOutAt: hk(3, 16), createdAt: hoursBefore(run, 72) });
      await aBooking(db, u.bob.actor, 'FURN-1', run, { endsAt: hk(3, 16), state: 'completed', recipe: 'anneal', waferCount: 6, sharedRunId: holder.id, checkedInAt: run, checkedOutAt: hk(3, 16), createdAt: hoursBefore(run, 48) });
    },
    { worker: false },
  );
});

afterAll(async () => {
  await world?.[Symbol.asyncDispose]();
});

const week = 'from=2035-03-01&to=2035-03-07';
const get = (url: string, who: TestUser) => world.api.call('GET', url, { token: who.token });
const report = async (query: string, who: TestUser = u.mia) => {
  const response = await get(`/api/utilisation?${query}`, who);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as UtilisationReport;
};
const byId = <T extends { id: string }>(rows: readonly T[], id: string) => rows.find((r) => r.id === id);

describe('utilisation of the line over a week', () => {
  it('gives each tool its available, booked, used and idle hours, no-shows, maintenance and waits', async () => {
    const r = await report(week);
    expect(r.period).toEqual({ from: '2035-03-01', to: '2035-03-07', startsAt: '2035-02-28T16:00:00.000Z', endsAt: '2035-03-07T16:00:00.000Z', bucket: 'day' });
    expect(byId(r.tools, 'EPI-1')).toMatchObject({
      calendarHours: 168,
      maintenanceHours: 10,
      outageHours: 4,
      availableHours: 154,
      bookedHours: 18,
      usedHours: 10.5,
      idleHours: 143.5,
      noShowHours: 4,
      noShowShare: 0.2222, // 4 / 18
      utilisation: 0.0682, // 10.5 / 154
      bookedShare: 0.1169, // 18 / 154
      maintenanceShare: 0.0833, // 14 / 168
      bookings: 3,
      waitMedianHours: 24,
      waitP90Hours: 43.2, // 24 + 0.8 × (48 − 24)
    });
    expect(byId(r.tools, 'EPI-2')).toMatchObject({ maintenanceHours: 6, outageHours: 0, availableHours: 162, bookedHours: 2, usedHours: 2.5, idleHours: 159.5, bookings: 1, waitMedianHours: 1 });
    expect(byId(r.tools, 'OLD-1')).toMatchObject({ calendarHours: 72, availableHours: 72, bookedHours: 0, utilisation: 0, noShowShare: null, waitMedianHours: null });
    expect(byId(r.tools, 'FURN-1')).toMatchObject({ availableHours: 168, bookedHours: 8, usedHours: 8, bookings: 2, waitMedianHours: 60, waitP90Hours: 69.6 });
  });

  it('adds the tools up by type and for the whole line, and cuts the period into days that add up to it', async () => {
    const r = await report(week);
    expect(byId(r.toolTypes, 'epi')).toMatchObject({ tools: 3, calendarHours: 408, maintenanceHours: 16, outageHours: 4, availableHours: 388, bookedHours: 20, usedHours: 13, idleHours: 375, bookings: 4, waitMedianHours: 18, waitP90Hours: 40.8 });
    expect(r.total).toMatchObject({ tools: 4, calendarHours: 576, availableHours: 556, bookedHours: 28, usedHours: 21, noShowHours: 4, bookings: 6, waitMedianHours: 36, waitP90Hours: 60 });
    expect(r.series.map((p) => p.availableHours)).toEqual([94, 88, 96, 72, 68, 66, 72]);
    expect(r.series[0]).toEqual({ from: '2035-03-01', to: '2035-03-01', availableHours: 94, bookedHours: 10, usedHours: 7.5, utilisation: 0.0798 });
    expect(r.series[2]).toMatchObject({ from: '2035-03-03', bookedHours: 12, usedHours: 8 });
    expect(r.series.reduce((sum, p) => sum + p.usedHours, 0)).toBeCloseTo(21, 6);
  });

  it('splits a shared furnace run between tenants by wafers and sums tenants into classes', async () => {
    const r = await report(week);
    expect(byId(r.tenants, 'uni-a')).toMatchObject({ class: 'university', bookedHours: 12, usedHours: 11, noShowHours: 0, bookings: 3, waitMedianHours: 48, shareOfUsed: 0.5238 });
    expect(byId(r.tenants, 'co-b')).toMatchObject({ class: 'industry', bookedHours: 16, usedHours: 10, noShowHours: 4, noShowShare: 0.25, bookings: 3, waitMedianHours: 24, shareOfUsed: 0.4762 });
    expect(byId(r.tenants, 'uni-c')).toMatchObject({ bookedHours: 0, usedHours: 0, bookings: 0, shareOfUsed: 0 });
    expect(r.tenantClasses).toEqual([
      expect.objectContaining({ class: 'institute', tenants: 1, usedHours: 0 }),
      expect.objectContaining({ class: 'university', tenants: 2, bookedHours: 12, usedHours: 11 }),
      expect.objectContaining({ class: 'industry', tenants: 1, bookedHours: 16, usedHours: 10 }),
    ]);
    const coB = await report(`${week}&tenant=co-b&tool=FURN-1`);
    expect(coB.tools).toEqual([expect.objectContaining({ id: 'FURN-1', bookedHours: 6, usedHours: 6, bookings: 1 })]);
  });

  it('counts a period that runs to today up to now', async () => {
    const r = await report('from=2035-03-10&to=2035-03-10&tool=EPI-1');
    // The test's clock runs on from `now` at real speed.
    expect(Date.parse(r.period.endsAt) - now.getTime()).toBeGreaterThanOrEqual(0);
    expect(Date.parse(r.period.endsAt) - now.getTime()).toBeLessThan(60_000);
    expect(r.tools[0]).toMatchObject({ id: 'EPI-1', calendarHours: 20 });
  });

  it("shows a tenant's people the tools' figures and their own tenant, never another tenant's", async () => {
    const response = await get(`/api/utilisation?${week}`, u.bob);
    const r = response.json() as UtilisationReport;
    expect(r.tenants.map((t) => t.id)).toEqual(['co-b']);
    expect(r.tenantClasses).toEqual([]);
    expect(byId(r.tools, 'EPI-1')).toMatchObject({ bookedHours: 18, usedHours: 10.5 });
    expect(response.body).not.toMatch(/uni-a|uni-c/);
    const csv = await get(`/api/utilisation.csv?${week}`, u.bob);
    expect(csv.body).toContain('co-b');
    expect(csv.body).not.toMatch(/uni-a|uni-c/);
    for (const url of [`/api/utilisation?${week}&tenant=uni-a`, `/api/utilisation?${week}&tenantClass=industry`, `/api/utilisation.csv?${week}&tenant=uni-a`]) {
      const refused = await get(url, u.bob);
      expect(refused.statusCode, url).toBe(403);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await report(`${week}&tenant=co-b`, u.bob)).tools.find((t) => t.id === 'EPI-1')).toMatchObject({ bookedHours: 10, usedHours: 4 });
  });

  it('downloads the report as CSV with the same figures', async () => {
    const response = await get(`/api/utilisation.csv?${week}`, u.mia);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toBe('attachment; filename="utilisation-2035-03-01-to-2035-03-07.csv"');
    const rows = parse(response.body, { columns: true }) as Array<Record<string, string>>;
    const row = (level: string, id: string) => rows.find((r) => r.level === level && r.id === id);
    expect(row('total', 'all')).toMatchObject({ availableHours: '556', bookedHours: '28', usedHours: '21', bookings: '6' });
    expect(row('tool', 'EPI-1')).toMatchObject({ of: 'epi', availableHours: '154', usedHours: '10.5', idleHours: '143.5', noShowShare: '0.2222', waitP90Hours: '43.2' });
    expect(row('tenant', 'co-b')).toMatchObject({ of: 'industry', usedHours: '10', calendarHours: '' });
    expect(rows.filter((r) => r.level === 'tool')).toHaveLength(4);
    expect(rows.filter((r) => r.level === 'tenantClass').map((r) => r.id)).toEqual(['institute', 'university', 'industry']);
  });

  it('refuses a period that ends before it starts or lies in the future, and filters that name nothing', async () => {
    const cases: Array<[string, string]> = [
      ['from=2035-03-07&to=2035-03-01', 'query.to'],
      ['from=2035-03-01&to=2035-03-11', 'query.to'],
      ['from=2035-03-12&to=2035-03-14', 'query.to'],
      ['from=2035-3-1&to=2035-03-07', 'query.from'],
      ['from=2031-01-01&to=2035-03-07', 'query.to'],
      [`${week}&tool=NOPE-1`, 'query.tool'],
      [`${week}&toolType=nope`, 'query.toolType'],
      [`${week}&tenant=nobody`, 'query.tenant'],
      [`${week}&tenantClass=guild`, 'query.tenantClass'],
    ];
    for (const [query, field] of cases) {
      for (const path of ['/api/utilisation', '/api/utilisation.csv']) {
        const response = await get(`${path}?${query}`, u.mia);
        expect(response.statusCode, `${path}?${query}`).toBe(422);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.json().issues.map((i: { field: string }) => i.field), query).toEqual([field]);
      }
    }
  });
});
