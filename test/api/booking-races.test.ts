import { Context } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { refereeCalendar } from '../../src/calendar/referee.js';
import { systemClock } from '../../src/clock.js';
import { listenTestApi, type HttpAnswer, type ListeningTestApi } from '../support/api.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { gatedPurpose, gateKey, holdAdvisoryLock, installBookingGates } from '../support/gates.js';
import { aPolicy, aTool, aUser, newRequestId, type TestUser } from '../support/scenario.js';
import { connectTestClient, startTestWorker, type TestClient, type TestWorker } from '../support/temporal.js';

// Concurrent bookings of one slot over real HTTP, and placements that race past the per-type lock
// to the exclusion constraint, whose loser re-places, or hears why it cannot.

const maxPlacementAttempts = 3;
const halfHour = 30 * 60_000;
let database: TestDatabase;
let temporal: TestClient;
const workers: TestWorker[] = [];
/** The API as deployed: placements on a tool type take turns. */
let lockedApi: ListeningTestApi;
/** The API on a worker whose placements skip the lock: only the constraint stands between them. */
let racingApi: ListeningTestApi;
/** Placement transactions the racing worker began (its no-op lock is called once in each). */
let racingAttempts = 0;
/** Of those, the ones in a retry of the whole activity by Temporal rather than the activity's own re-place. */
let inTemporalRetries = 0;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await installBookingGates(database.url);
  await aTool(db, 'SEM-9', 'sem');
  await aPolicy(db, 'sem');
  alice = await aUser(db, 'alice', 'uni-a', 'tenant_user', ['sem']);
  bob = await aUser(db, 'bob', 'co-b', 'tenant_user', ['sem']);
  temporal = await connectTestClient();
  const locked = await startTestWorker(createActivities({ db, clock: systemClock }));
  const racing = await startTestWorker(
    createActivities({
      db,
      clock: systemClock,
      maxPlacementAttempts,
      placementLock: async () => {
        racingAttempts += 1;
        if (Context.current().info.attempt > 1) inTemporalRetries += 1;
      },
    }),
  );
  workers.push(locked, racing);
  const apiOn = (worker: TestWorker) =>
    listenTestApi({ db, clock: systemClock, temporal: { client: temporal.client, namespace: 'default', taskQueue: worker.taskQueue } });
  lockedApi = await apiOn(locked);
  racingApi = await apiOn(racing);
});

afterAll(async () => {
  await lockedApi?.[Symbol.asyncDispose]();
  await racingApi?.[Symbol.asyncDispose]();
  for (const worker of workers) await worker.stop();
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

let day = 0;
/** 09:00 HKT on a day of its own, so tests never share a calendar. */
function nextMorning(): Date {
  day += 1;
  return new Date(Date.UTC(2031, 5, 1 + day, 1));
}

function requestFor(start: Date, windowMs: number, extra: Record<string, unknown> = {}) {
  return {
    requestId: newRequestId(),
    toolIds: ['SEM-9'],
    durationMin: 30,
    earliestStart: start.toISOString(),
    latestEnd: new Date(start.getTime() + windowMs).toISOString(),
    material: 'SiC',
    waferSize: 150,
    ...extra,
  };
}

/** Active bookings on SEM-9 that overlap [from, to), read from the bookings themselves. */
async function activeBookingsIn(from: Date, to: Date) {
  return database.db.booking.findMany({
    where: { toolId: 'SEM-9', state: { in: ['held', 'confirmed', 'in_use'] }, startsAt: { lt: to }, endsAt: { gt: from } },
    orderBy: { startsAt: 'asc' },
  });
}

/** The solver's referee finds nothing wrong with the calendar the race left behind. */
async function expectSoundCalendar() {
  expect((await refereeCalendar(database.db)).violations).toEqual([]);
}

function expectProblem(answer: HttpAnswer, code: string) {
  expect(answer.status).toBe(409);
  expect(answer.contentType).toContain('application/problem+json');
  expect(answer.body).toMatchObject({ code, status: 409 });
}

describe('50 concurrent requests over HTTP for one exact slot', () => {
  it.each([
    ['with placements taking turns on the tool type', () => lockedApi],
    ['with the lock skipped, the exclusion constraint alone deciding', () => racingApi],
  ])('gives the slot to exactly one, %s', async (_, api) => {
    const start = nextMorning();
    const requests = Array.from({ length: 50 }, (_, i) => ({ token: (i % 2 ? alice : bob).token, body: requestFor(start, halfHour) }));
    const answers = await Promise.all(requests.map(({ token, body }) => api().call('POST', '/api/bookings', { token, body })));

    const winners = answers.filter((a) => a.status === 201);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.body.booking).toMatchObject({ toolId: 'SEM-9', startsAt: start.toISOString() });
    for (const loser of answers.filter((a) => a.status !== 201)) {
      expectProblem(loser, loser.body.code === 'SLOT_TAKEN' ? 'SLOT_TAKEN' : 'NO_FEASIBLE_SLOT');
    }
    const rows = await database.db.booking.findMany({ where: { requestId: { in: requests.map((r) => r.body.requestId) } } });
    expect(rows.map((r) => r.id)).toEqual([winners[0]!.body.booking.id]);
    expect(await activeBookingsIn(start, new Date(start.getTime() + halfHour))).toHaveLength(1);
    await expectSoundCalendar();
  });
});

describe('two placements that read the same calendar before either writes', () => {
  // Both requests wait at a gate just before their INSERT, having chosen the same free slot from
  // the same calendar; let go together, one writes first and the constraint refuses the other.
  async function raceTwo(start: Date, windowMs: number) {
    await using gate = await holdAdvisoryLock(database.url, gateKey('before-insert'));
    const attemptsBefore = racingAttempts;
    const retriesBefore = inTemporalRetries;
    const purpose = gatedPurpose('before-insert');
    const pending = [alice, bob].map((user) =>
      racingApi.call('POST', '/api/bookings', { token: user.token, body: requestFor(start, windowMs, { purpose }) }),
    );
    await gate.untilWaiters(2);
    await gate.release();
    const answers = await Promise.all(pending);
    expect(inTemporalRetries - retriesBefore).toBe(0);
    await expectSoundCalendar();
    return { answers, attempts: racingAttempts - attemptsBefore };
  }

  it('re-places the loser into the next free slot', async () => {
    const start = nextMorning();
    const { answers, attempts } = await raceTwo(start, 4 * halfHour);
    expect(answers.map((a) => a.status)).toEqual([201, 201]);
    const starts = answers.map((a) => a.body.booking.startsAt).sort();
    expect(starts).toEqual([start.toISOString(), new Date(start.getTime() + halfHour).toISOString()]);
    // Three transactions, all in the activities' first runs: both first tries, and the loser's
    // second, after the constraint refused it.
    expect(attempts).toBe(3);
    expect(await activeBookingsIn(start, new Date(start.getTime() + 4 * halfHour))).toHaveLength(2);
  });

  it('answers NO_FEASIBLE_SLOT when the slot it lost was the only one', async () => {
    const start = nextMorning();
    const { answers, attempts } = await raceTwo(start, halfHour);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expectProblem(answers.find((a) => a.status === 409)!, 'NO_FEASIBLE_SLOT');
    expect(attempts).toBe(3);
    expect(await activeBookingsIn(start, new Date(start.getTime() + halfHour))).toHaveLength(1);
  });

  it(`answers SLOT_TAKEN when each of its ${maxPlacementAttempts} attempts loses its slot to another booking`, async () => {
    const start = nextMorning();
    await using gate = await holdAdvisoryLock(database.url, gateKey('before-insert'));
    const attemptsBefore = racingAttempts;
    const retriesBefore = inTemporalRetries;
    const unlucky = requestFor(start, 8 * halfHour, { purpose: gatedPurpose('before-insert') });
    const answer = racingApi.call('POST', '/api/bookings', { token: alice.token, body: unlucky });
    const answered = answer.then(() => 'answered' as const);

    // Each time the unlucky placement has chosen a slot and waits to write it, another request
    // (reading the same calendar) books that slot first; then the unlucky one may write.
    const takenFirst: string[] = [];
    for (;;) {
      const stop = new AbortController();
      const next = await Promise.race([answered, gate.untilWaiters(1, { signal: stop.signal }).then(() => 'waiting' as const)]);
      stop.abort();
      if (next === 'answered') break;
      expect(takenFirst.length).toBeLessThan(maxPlacementAttempts);
      const rival = await racingApi.call('POST', '/api/bookings', { token: bob.token, body: requestFor(start, 8 * halfHour) });
      expect(rival.status).toBe(201);
      takenFirst.push(rival.body.booking.startsAt);
      await gate.letOneThrough();
    }

    expectProblem(await answer, 'SLOT_TAKEN');
    expect(takenFirst).toEqual([0, 1, 2].map((k) => new Date(start.getTime() + k * halfHour).toISOString()));
    // The unlucky request's three tries and one for each rival: no retry past the limit.
    expect(racingAttempts - attemptsBefore).toBe(2 * maxPlacementAttempts);
    expect(inTemporalRetries - retriesBefore).toBe(0);
    expect(await database.db.booking.count({ where: { requestId: unlucky.requestId } })).toBe(0);
    expect(await activeBookingsIn(start, new Date(start.getTime() + 8 * halfHour))).toHaveLength(maxPlacementAttempts);
    await expectSoundCalendar();
  });
});
