import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFingerprint } from '../support/db-fingerprint.js';
import { aPolicy, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { startApiWorld, type ApiWorld } from '../support/world.js';

// Text PostgreSQL cannot store (NUL), strings Temporal cannot encode (an unpaired surrogate),
// instants outside any plan, numbers past every limit: each is a 422 naming its field, and nothing
// is written — never a 500 from deeper down.

let world: ApiWorld;
let tess: TestUser;
let otto: TestUser;
let mona: TestUser;
let bookingId: string;

const now = new Date('2039-03-01T00:00:00Z');
const NUL = '\u0000';
const LONE = '\ud800';

beforeAll(async () => {
  world = await startApiWorld(now, async (db) => {
    await aTool(db, 'AFM-1', 'afm');
    await aPolicy(db, 'afm', { approvalRequired: true });
    await db.maintenancePlan.create({ data: { id: 'pm-afm', toolTypeId: 'afm', everyDays: 30, durationMin: 240 } });
    tess = await aUser(db, 'tess', 'uni-t', 'tenant_user', ['afm']);
    otto = await aUser(db, 'otto', 'institute', 'ops');
    mona = await aUser(db, 'mona', 'institute', 'lab_manager');
  });
  const booked = await world.api.call('POST', '/api/bookings', { token: tess.token, body: booking() });
  expect(booked.statusCode).toBe(201);
  bookingId = booked.json().booking.id;
});

afterAll(async () => {
  await world?.[Symbol.asyncDispose]();
});

function booking(extra: Record<string, unknown> = {}) {
  return {
    requestId: newRequestId(),
    toolTypeId: 'afm',
    durationMin: 60,
    earliestStart: '2039-03-02T01:00:00Z',
    latestEnd: '2039-03-02T09:00:00Z',
    material: 'GaN',
    waferSize: 100,
    ...extra,
  };
}

function maintenance(extra: Record<string, unknown> = {}) {
  return { requestId: newRequestId(), toolIds: ['AFM-1'], startsAt: '2039-03-05T01:00:00Z', endsAt: '2039-03-05T05:00:00Z', reason: 'tip change', ...extra };
}

function lot(extra: Record<string, unknown> = {}, step: Record<string, unknown> = {}) {
  return {
    requestId: newRequestId(),
    name: 'lot',
    material: 'GaN',
    waferSize: 100,
    earliestStart: '2039-03-03T00:00:00Z',
    latestEnd: '2039-03-04T00:00:00Z',
    steps: [{ name: 'scan', toolTypeId: 'afm', durationMin: 30, ...step }],
    ...extra,
  };
}

interface Refusal {
  method: 'GET' | 'POST';
  url: string;
  token: () => string;
  body?: unknown;
  /** The field the answer must name. */
  field: string;
}

/** Sends each request and expects a 422 naming its field, with the database untouched. */
async function expectRefused(cases: Refusal[]) {
  const before = await databaseFingerprint(world.db);
  for (const c of cases) {
    const response = await world.api.call(c.method, c.url, {
      token: c.token(),
      ...(c.body === undefined ? {} : { payload: JSON.stringify(c.body), headers: { 'content-type': 'application/json' } }),
    });
    expect(response.statusCode, `${c.method} ${c.url} ${JSON.stringify(c.body)}: ${response.body}`).toBe(422);
    expect(response.json().issues.map((i: { field: string }) => i.field), `${c.method} ${c.url}`).toContain(c.field);
  }
  expect(await databaseFingerprint(world.db)).toEqual(before);
}

describe('text and ids at the boundary', () => {
  for (const [name, bad] of [
    ['a NUL character', `a${NUL}b`],
    ['an unpaired surrogate', `a${LONE}b`],
  ] as const) {
    it(`refuses ${name} in any body, query or path field with 422`, async () => {
      const t = () => tess.token;
      const o = () => otto.token;
      const m = () => mona.token;
      // A URL cannot carry an unpaired surrogate (its percent-encoding is no UTF-8): NUL stands for both there.
      const q = encodeURIComponent(`a${NUL}b`);
      await expectRefused([
        { method: 'POST', url: '/api/bookings', token: t, body: booking({ toolTypeId: bad }), field: 'body.toolTypeId' },
        { method: 'POST', url: '/api/bookings', token: t, body: booking({ purpose: bad }), field: 'body.purpose' },
        { method: 'POST', url: '/api/bookings', token: t, body: booking({ toolTypeId: undefined, toolIds: [bad] }), field: 'body.toolIds.0' },
        { method: 'POST', url: '/api/placements/preview', token: t, body: booking({ preferredToolId: bad }), field: 'body.preferredToolId' },
        { method: 'POST', url: `/api/bookings/${bookingId}/cancel`, token: t, body: { reason: bad }, field: 'body.reason' },
        { method: 'POST', url: `/api/bookings/${bookingId}/approve`, token: m, body: { note: bad }, field: 'body.note' },
        { method: 'POST', url: '/api/maintenance', token: o, body: maintenance({ reason: bad }), field: 'body.reason' },
        { method: 'POST', url: '/api/maintenance', token: o, body: maintenance({ toolIds: [bad] }), field: 'body.toolIds.0' },
        { method: 'POST', url: `/api/maintenance/${randomUUID()}/requalify`, token: o, body: { passed: true, notes: bad }, field: 'body.notes' },
        { method: 'POST', url: '/api/tools/AFM-1/outage', token: o, body: { estimatedEnd: '2039-03-01T05:00:00Z', reason: bad }, field: 'body.reason' },
        { method: 'POST', url: `/api/tools/${q}/outage`, token: o, body: { estimatedEnd: '2039-03-01T05:00:00Z', reason: 'x' }, field: 'params.id' },
        { method: 'POST', url: `/api/maintenance/plans/${q}/pause`, token: o, body: { paused: true }, field: 'params.id' },
        { method: 'POST', url: '/api/maintenance/plans/pm-afm/skip', token: o, body: { day: '2039-03-10', toolId: bad }, field: 'body.toolId' },
        { method: 'POST', url: '/api/lots', token: t, body: lot({ name: bad }), field: 'body.name' },
        { method: 'POST', url: '/api/lots', token: t, body: lot({}, { toolTypeId: bad }), field: 'body.steps.0.toolTypeId' },
        { method: 'GET', url: `/api/tools?type=${q}`, token: t, field: 'query.type' },
        { method: 'GET', url: `/api/schedule?from=2039-03-01T00:00:00Z&to=2039-03-02T00:00:00Z&type=${q}`, token: t, field: 'query.type' },
        { method: 'GET', url: `/api/bookings?tool=${q}`, token: t, field: 'query.tool' },
        { method: 'GET', url: `/api/maintenance?tool=${q}`, token: t, field: 'query.tool' },
      ]);
    });
  }

  it('refuses an id longer than 100 characters', async () => {
    await expectRefused([
      { method: 'POST', url: '/api/bookings', token: () => tess.token, body: booking({ toolTypeId: 'x'.repeat(101) }), field: 'body.toolTypeId' },
      { method: 'GET', url: `/api/tools?area=${'x'.repeat(101)}`, token: () => tess.token, field: 'query.area' },
    ]);
  });
});

describe('instants and numbers at the boundary', () => {
  it('refuses instants outside 2000–2100 everywhere', async () => {
    const t = () => tess.token;
    const o = () => otto.token;
    await expectRefused([
      { method: 'POST', url: '/api/bookings', token: t, body: booking({ earliestStart: '0001-01-01T00:00:00Z' }), field: 'body.earliestStart' },
      { method: 'POST', url: '/api/bookings', token: t, body: booking({ latestEnd: '9999-12-31T00:00:00Z' }), field: 'body.latestEnd' },
      { method: 'POST', url: '/api/maintenance', token: o, body: maintenance({ startsAt: '0001-01-01T00:00:00Z' }), field: 'body.startsAt' },
      { method: 'POST', url: '/api/maintenance', token: o, body: maintenance({ endsAt: '9999-12-31T00:00:00Z' }), field: 'body.endsAt' },
      { method: 'POST', url: '/api/tools/AFM-1/outage', token: o, body: { estimatedEnd: '9999-01-01T00:00:00Z', reason: 'x' }, field: 'body.estimatedEnd' },
      { method: 'POST', url: '/api/lots', token: t, body: lot({ earliestStart: '1970-01-01T00:00:00Z' }), field: 'body.earliestStart' },
      { method: 'GET', url: '/api/schedule?from=0001-01-01T00:00:00Z&to=0001-01-02T00:00:00Z', token: t, field: 'query.from' },
      { method: 'GET', url: '/api/bookings?from=0001-01-01T00:00:00Z', token: t, field: 'query.from' },
      { method: 'POST', url: '/api/maintenance/plans/pm-afm/skip', token: o, body: { day: '0001-01-01' }, field: 'body.day' },
    ]);
  });

  it('refuses maintenance that makes no sense: ended already, 1 ms long, months long, years ahead', async () => {
    const o = () => otto.token;
    await expectRefused([
      { method: 'POST', url: '/api/maintenance', token: o, body: maintenance({ startsAt: '2000-01-01T00:00:00Z', endsAt: '2000-01-01T04:00:00Z' }), field: 'body.endsAt' },
      { method: 'POST', url: '/api/maintenance', token: o, body: maintenance({ endsAt: '2039-03-05T01:00:00.001Z' }), field: 'body.endsAt' },
      { method: 'POST', url: '/api/maintenance', token: o, body: maintenance({ endsAt: '2039-09-01T00:00:00Z' }), field: 'body.endsAt' },
      { method: 'POST', url: '/api/maintenance', token: o, body: maintenance({ startsAt: '2045-01-01T00:00:00Z', endsAt: '2045-01-01T04:00:00Z' }), field: 'body.startsAt' },
      { method: 'POST', url: '/api/tools/AFM-1/outage', token: o, body: { estimatedEnd: '2039-03-01T00:05:00Z', reason: 'x' }, field: 'body.estimatedEnd' },
      { method: 'POST', url: '/api/tools/AFM-1/outage', token: o, body: { estimatedEnd: '2039-12-01T00:00:00Z', reason: 'x' }, field: 'body.estimatedEnd' },
      { method: 'POST', url: `/api/maintenance/${randomUUID()}/extend`, token: o, body: { endsAt: '1999-01-01T00:00:00Z' }, field: 'body.endsAt' },
    ]);
  });

  it('refuses numbers past every limit and windows no search should span', async () => {
    const t = () => tess.token;
    await expectRefused([
      { method: 'POST', url: '/api/bookings', token: t, body: booking({ durationMin: 1e308 }), field: 'body.durationMin' },
      { method: 'POST', url: '/api/bookings', token: t, body: booking({ latestEnd: '2041-03-02T09:00:00Z' }), field: 'body.latestEnd' },
      { method: 'POST', url: '/api/lots', token: t, body: lot({}, { minLagToNextMin: 1e300 }), field: 'body.steps.0.minLagToNextMin' },
      { method: 'POST', url: `/api/lots/${randomUUID()}/steps/100000000000000000000/check-in`, token: t, field: 'params.seq' },
      { method: 'GET', url: '/api/bookings?limit=1e9', token: t, field: 'query.limit' },
    ]);
  });
});
