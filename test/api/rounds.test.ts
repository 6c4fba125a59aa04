import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { hongKongWeekStart, roundIdOf, roundWeekMs } from '../../src/domain/round.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { steerableClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { databaseFingerprint as dbFingerprint } from '../support/db-fingerprint.js';
import { aPolicy, aTenant, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { connectTestClient, startTestWorker, type TestClient, type TestWorker } from '../support/temporal.js';

// Allocation rounds through the HTTP API: the whole life of a round with every answer checked against
// the OpenAPI document, what tenants may see of it, and the bad input it refuses without writing.

const clock = steerableClock();
let database: TestDatabase;
let worker: TestWorker;
let temporal: TestClient;
let api: TestApi;
let ines: TestUser;
let ulla: TestUser;
let ivan: TestUser;
let mona: TestUser;
const hourMs = 3_600_000;

beforeAll(async () => {
  clock.jumpTo(new Date('2038-06-02T00:00:00Z'));
  database = await createTestDatabase();
  const { db } = database;
  const reactor = { contaminationClass: 'standard', materials: ['GaN', 'GaN-on-Si'] };
  await aTool(db, 'MOCVD-1', 'mocvd', reactor);
  await aTool(db, 'MOCVD-2', 'mocvd', reactor);
  await aTool(db, 'SEM-1', 'sem');
  await aPolicy(db, 'mocvd', { minDurationMin: 60, bufferAfterMin: 60 });
  await aPolicy(db, 'sem');
  await aTenant(db, 'inst', 'institute');
  await aTenant(db, 'uni', 'university');
  await aTenant(db, 'ind', 'industry');
  ines = await aUser(db, 'ines', 'inst', 'tenant_user', ['mocvd']);
  ulla = await aUser(db, 'ulla', 'uni', 'tenant_user', ['mocvd']);
  ivan = await aUser(db, 'ivan', 'ind', 'tenant_user', ['mocvd']);
  mona = await aUser(db, 'mona', 'inst', 'lab_manager');
  worker = await startTestWorker(createActivities({ db, clock }));
  temporal = await connectTestClient();
  api = await startTestApi({
    db,
    clock,
    temporal: { client: temporal.client, namespace: 'default', taskQueue: worker.taskQueue },
  });
});

afterAll(async () => {
  await api?.[Symbol.asyncDispose]();
  await worker?.stop();
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

let weeks = 0;
/** A week far enough on for a round of its own, and the day that names it. */
function nextWeek(): { weekStart: Date; day: string } {
  weeks += 1;
  const weekStart = new Date(hongKongWeekStart(clock.now()).getTime() + (2 + weeks) * roundWeekMs);
  return { weekStart, day: roundIdOf(weekStart) };
}

async function openRound(day: string, closesInMs: number, extra: Record<string, unknown> = {}) {
  const now = clock.now().getTime();
  const opened = await api.call('POST', '/api/rounds', {
    token: mona.token,
    body: {
      weekStart: day,
      closesAt: new Date(now + closesInMs).toISOString(),
      approvalDeadline: new Date(now + 120_000).toISOString(),
      toolTypeIds: ['mocvd'],
      ...extra,
    },
  });
  expect(opened.statusCode).toBe(201);
  return opened.json();
}

const aRequest = (weekStart: Date, extra: Record<string, unknown> = {}) => ({
  requestId: newRequestId(),
  toolTypeId: 'mocvd',
  durationMin: 600,
  earliestStart: weekStart.toISOString(),
  latestEnd: new Date(weekStart.getTime() + roundWeekMs).toISOString(),
  material: 'GaN',
  waferSize: 100,
  ...extra,
});

describe('allocation rounds through the API', () => {
  it('takes requests, proposes, lets a lab manager drop one and re-run, publishes, and shows each tenant only its own', async () => {
    const { weekStart, day } = nextWeek();
    const round = await openRound(day, 120_000);
    expect(round).toMatchObject({
      id: day,
      state: 'open',
      toolTypeIds: ['mocvd'],
      shares: { institute: 40, university: 30, industry: 30 },
    });
    const ids: Record<string, string[]> = { ines: [], ulla: [], ivan: [] };
    for (let i = 0; i < 5; i++) {
      for (const [name, user] of [
        ['ines', ines],
        ['ulla', ulla],
        ['ivan', ivan],
      ] as const) {
        const made = await api.call('POST', `/api/rounds/${day}/requests`, {
          token: user.token,
          body: aRequest(weekStart, { priority: 1 + (i % 3) }),
        });
        expect(made.statusCode).toBe(201);
        ids[name]!.push(made.json().id);
      }
    }
    // The same requestId again is the same request; from another user it is refused.
    const again = aRequest(weekStart);
    const first = (
      await api.call('POST', `/api/rounds/${day}/requests`, { token: ulla.token, body: again })
    ).json();
    expect(
      (await api.call('POST', `/api/rounds/${day}/requests`, { token: ulla.token, body: again })).json().id,
    ).toBe(first.id);
    expect(
      (await api.call('POST', `/api/rounds/${day}/requests`, { token: ivan.token, body: again })).statusCode,
    ).toBe(403);
    expect(
      (await api.call('POST', `/api/round-requests/${first.id}/withdraw`, { token: ulla.token })).json()
        .state,
    ).toBe('withdrawn');

    // A tenant sees its own requests only, and no proposal.
    const seen = (await api.call('GET', `/api/rounds/${day}/requests`, { token: ulla.token })).json()
      .requests;
    expect(new Set(seen.map((r: { tenantId: string }) => r.tenantId))).toEqual(new Set(['uni']));
    expect((await api.call('GET', `/api/rounds/${day}/proposal`, { token: ulla.token })).statusCode).toBe(
      403,
    );

    // Everyone is in: the lab manager closes the round before its deadline and gets the proposal.
    expect(
      (await api.call('POST', `/api/rounds/${day}/close`, { token: ulla.token, body: {} })).statusCode,
    ).toBe(403);
    expect(
      (await api.call('POST', `/api/rounds/${day}/close`, { token: mona.token, body: {} })).json(),
    ).toMatchObject({ state: 'proposed', revision: 1 });
    const review = (await api.call('GET', `/api/rounds/${day}/proposal`, { token: mona.token })).json();
    expect(review.proposal.revision).toBe(1);
    expect(review.proposal.grants.length + review.proposal.leftOut.length).toBe(15);
    expect(review.proposal.diff.map((d: { toolId: string }) => d.toolId)).toEqual(['MOCVD-1', 'MOCVD-2']);
    expect(review.proposal.firstComeFirstServed.grantedMinutes).toBeGreaterThan(0);

    const dropped = review.proposal.grants.find((g: { tenantId: string }) => g.tenantId === 'ind')
      .requestId as string;
    const rerun = await api.call('POST', `/api/rounds/${day}/rerun`, {
      token: mona.token,
      body: { dropped: [dropped], note: 'tool qualification pending' },
    });
    expect(rerun.statusCode).toBe(200);
    expect(rerun.json().proposal.revision).toBe(2);
    expect(
      rerun.json().proposal.leftOut.find((l: { requestId: string }) => l.requestId === dropped).reason,
    ).toBe('DROPPED_BY_MANAGER');

    const approved = await api.call('POST', `/api/rounds/${day}/approve`, {
      token: mona.token,
      body: { revision: 2 },
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().state).toBe('published');

    const mine = (await api.call('GET', '/api/round-requests', { token: ulla.token })).json()
      .requests as Array<{
      tenantId: string;
      state: string;
      outcome: { kind: string; toolId?: string; words?: string } | null;
      bookingId: string | null;
    }>;
    expect(mine.every((r) => r.tenantId === 'uni')).toBe(true);
    const granted = mine.filter((r) => r.state === 'granted');
    expect(granted.length).toBeGreaterThan(0);
    for (const r of granted)
      expect(r.outcome).toMatchObject({ kind: 'granted', toolId: expect.stringMatching(/^MOCVD-/) });
    for (const r of mine.filter((m) => m.state === 'left_out'))
      expect(r.outcome?.words).toMatch(/round|class|time/);
    const bookings = (await api.call('GET', '/api/bookings', { token: ulla.token })).json()
      .bookings as Array<{ id: string; state: string }>;
    expect(bookings.map((b) => b.id).sort()).toEqual(granted.map((r) => r.bookingId).sort());
    // Another tenant's round bookings are busy time on the schedule, nothing more.
    const schedule = (
      await api.call(
        'GET',
        `/api/schedule?from=${weekStart.toISOString()}&to=${new Date(weekStart.getTime() + roundWeekMs).toISOString()}`,
        { token: ulla.token },
      )
    ).json();
    const blocks = schedule.tools.flatMap(
      (t: { blocks: Array<{ kind: string; tenantId?: string }> }) => t.blocks,
    );
    expect(
      blocks
        .filter((b: { kind: string }) => b.kind === 'booking')
        .every((b: { tenantId?: string }) => b.tenantId === 'uni'),
    ).toBe(true);
    expect(blocks.some((b: { kind: string }) => b.kind === 'busy')).toBe(true);

    // A published round is over: nothing more changes it.
    const late = await api.call('POST', `/api/rounds/${day}/rerun`, { token: mona.token, body: {} });
    expect(late.statusCode).toBe(409);
    expect(late.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses a share table that does not add up to 100 %, naming the field, and writes nothing', async () => {
    const before = await dbFingerprint(database.db);
    const settings = await api.call('PUT', '/api/allocation/settings', {
      token: mona.token,
      body: {
        toolTypeIds: ['mocvd'],
        shares: { institute: 40, university: 30, industry: 20 },
        tolerancePts: 1,
      },
    });
    expect(settings.statusCode).toBe(422);
    expect(settings.json().issues).toEqual([
      expect.objectContaining({ field: 'body.shares', message: expect.stringContaining('100 %') }),
    ]);
    const { day } = nextWeek();
    const opened = await api.call('POST', '/api/rounds', {
      token: mona.token,
      body: { weekStart: day, shares: { institute: 50, university: 30, industry: 30 } },
    });
    expect(opened.statusCode).toBe(422);
    expect(opened.json().issues[0].field).toBe('body.shares');
    expect(await dbFingerprint(database.db)).toEqual(before);

    const good = await api.call('PUT', '/api/allocation/settings', {
      token: mona.token,
      body: {
        toolTypeIds: ['mocvd'],
        shares: { institute: 50, university: 25, industry: 25 },
        tolerancePts: 1.5,
      },
    });
    expect(good.json()).toEqual({
      toolTypeIds: ['mocvd'],
      shares: { institute: 50, university: 25, industry: 25 },
      tolerancePts: 1.5,
    });
    expect(
      (await api.call('PUT', '/api/allocation/settings', { token: ulla.token, body: good.json() }))
        .statusCode,
    ).toBe(403);
  });

  it('refuses a request after the deadline and a window outside the round’s week, and writes nothing', async () => {
    const { weekStart, day } = nextWeek();
    const round = await openRound(day, 60_000);
    const before = await dbFingerprint(database.db);
    const early = await api.call('POST', `/api/rounds/${day}/requests`, {
      token: ines.token,
      body: aRequest(weekStart, { earliestStart: new Date(weekStart.getTime() - hourMs).toISOString() }),
    });
    expect(early.statusCode).toBe(422);
    expect(early.headers['content-type']).toContain('application/problem+json');
    expect(early.json().issues.map((i: { field: string }) => i.field)).toEqual(['body.earliestStart']);
    const beyond = await api.call('POST', `/api/rounds/${day}/requests`, {
      token: ines.token,
      body: aRequest(weekStart, {
        latestEnd: new Date(weekStart.getTime() + roundWeekMs + hourMs).toISOString(),
      }),
    });
    expect(beyond.json().issues.map((i: { field: string }) => i.field)).toEqual(['body.latestEnd']);
    const otherType = await api.call('POST', `/api/rounds/${day}/requests`, {
      token: ines.token,
      body: aRequest(weekStart, { toolTypeId: 'sem' }),
    });
    expect(otherType.json().issues.map((i: { field: string }) => i.field)).toEqual(['body.toolTypeId']);
    const strangeTool = await api.call('POST', `/api/rounds/${day}/requests`, {
      token: ines.token,
      body: aRequest(weekStart, { toolIds: ['SEM-1'] }),
    });
    expect(strangeTool.json().issues.map((i: { field: string }) => i.field)).toEqual(['body.toolIds']);
    expect(await dbFingerprint(database.db)).toEqual(before);

    // The deadline passes.
    clock.jumpTo(Date.parse(round.closesAt) + 1_000);
    const after = await dbFingerprint(database.db);
    const late = await api.call('POST', `/api/rounds/${day}/requests`, {
      token: ines.token,
      body: aRequest(weekStart),
    });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({
      code: 'INVALID_STATE',
      detail: expect.stringContaining('requests are taken until its deadline'),
    });
    expect(await dbFingerprint(database.db)).toEqual(after);
  });

  it('refuses a rerun whose shares do not add up, and decisions from anyone but a lab manager', async () => {
    const { weekStart, day } = nextWeek();
    await openRound(day, 120_000);
    await api.call('POST', `/api/rounds/${day}/requests`, { token: ivan.token, body: aRequest(weekStart) });
    await api.call('POST', `/api/rounds/${day}/close`, { token: mona.token, body: {} });
    const before = await dbFingerprint(database.db);
    const bad = await api.call('POST', `/api/rounds/${day}/rerun`, {
      token: mona.token,
      body: { shares: { institute: 60, university: 30, industry: 30 } },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().issues[0].field).toBe('body.shares');
    const unknown = await api.call('POST', `/api/rounds/${day}/rerun`, {
      token: mona.token,
      body: { dropped: [newRequestId()] },
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().detail).toContain('body.dropped');
    expect(
      (await api.call('POST', `/api/rounds/${day}/approve`, { token: ivan.token, body: { revision: 1 } }))
        .statusCode,
    ).toBe(403);
    expect(
      (await api.call('POST', `/api/rounds/${day}/approve`, { token: mona.token, body: { revision: 7 } }))
        .statusCode,
    ).toBe(409);
    expect(await dbFingerprint(database.db)).toEqual(before);
  });
});
