import { randomBytes } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { refereeCalendar } from '../../src/calendar/referee.js';
import type { Actor } from '../../src/domain/actor.js';
import { bookingWorkflowId, roundWorkflowId } from '../../src/domain/ids.js';
import { roundProposalSchema } from '../../src/domain/round-proposal.js';
import {
  hongKongWeekStart,
  roundIdOf,
  roundWeekMs,
  type RoundOutcomeOfWorkflow,
  type RoundRequestSubmit,
  type RoundView,
} from '../../src/domain/round.js';
import { ensureRoundSchedule } from '../../src/schedules/round-opening.js';
import {
  approveRoundUpdate,
  bookingStatusQuery,
  closeRoundUpdate,
  rerunRoundUpdate,
  roundStatusQuery,
} from '../../workflows/messages.js';
import { submitRoundRequest } from '../../src/data/round-requests.js';
import { PilotlineError } from '../../src/errors.js';
import type { roundWorkflow } from '../../workflows/round.js';
import { steerableClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { keepHistory } from '../support/histories.js';
import { aPolicy, aTenant, aTool, aUser, newRequestId } from '../support/scenario.js';
import { connectTestClient, startTestWorker, type TestClient, type TestWorker } from '../support/temporal.js';

// Allocation rounds against the dev server: a round opened by its Schedule runs to publication with
// a lab manager's changes on the way; one nobody approves lapses; one the calendar overtakes is
// proposed again instead of written in part.

const clock = steerableClock();
let database: TestDatabase;
let worker: TestWorker;
let temporal: TestClient;
let client: Client;
const users = {} as Record<'inst' | 'uni' | 'ind' | 'mona', Actor>;
const hourMs = 3_600_000;
const search = { iterations: 300 };

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const reactor = { contaminationClass: 'standard', materials: ['GaN', 'GaN-on-Si'] };
  await aTool(db, 'MOCVD-1', 'mocvd', reactor);
  await aTool(db, 'MOCVD-2', 'mocvd', reactor);
  await aTool(db, 'SEM-1', 'sem');
  await db.toolType.update({ where: { id: 'mocvd' }, data: { allocated: true } });
  await aPolicy(db, 'mocvd', { minDurationMin: 60, bufferAfterMin: 60, approvalRequired: true });
  await aPolicy(db, 'sem');
  await aTenant(db, 'inst', 'institute');
  await aTenant(db, 'uni', 'university');
  await aTenant(db, 'ind', 'industry');
  users.inst = (await aUser(db, 'ines', 'inst', 'tenant_user', ['mocvd'])).actor;
  users.uni = (await aUser(db, 'ulla', 'uni', 'tenant_user', ['mocvd'])).actor;
  users.ind = (await aUser(db, 'ivan', 'ind', 'tenant_user', ['mocvd'])).actor;
  users.mona = (await aUser(db, 'mona', 'inst', 'lab_manager')).actor;
  worker = await startTestWorker(createActivities({ db, clock }));
  temporal = await connectTestClient();
  client = temporal.client;
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

/** Puts the clock `weeks` weeks further on (each test its own rounds, none in another's week). */
let week = 0;
function aFreshWeek(): void {
  week += 4;
  clock.jumpTo(new Date(Date.UTC(2037, 0, 7) + week * roundWeekMs));
}

function aRequest(weekStart: Date, overrides: Partial<RoundRequestSubmit> = {}): RoundRequestSubmit {
  return {
    requestId: newRequestId(),
    toolTypeId: 'mocvd',
    durationMin: 10 * 60,
    earliestStart: weekStart.toISOString(),
    latestEnd: new Date(weekStart.getTime() + roundWeekMs).toISOString(),
    material: 'GaN',
    waferSize: 100,
    contaminationGroup: 'standard',
    priority: 2,
    ...overrides,
  };
}

/** Requests are written beside the workflow, under the round's row lock (as the API does). */
async function submit(handle: WorkflowHandle, actor: Actor, request: RoundRequestSubmit) {
  return submitRoundRequest(database.db, clock.now(), {
    roundId: handle.workflowId.replace(/^round-/, ''),
    actor,
    request,
  });
}

/** Each class asks for more than the two reactors have in the week. */
async function submitContestedWeek(handle: WorkflowHandle, weekStart: Date) {
  const submitted = [];
  for (let i = 0; i < 8; i++) {
    for (const tenant of ['inst', 'uni', 'ind'] as const) {
      submitted.push(
        await submit(
          handle,
          users[tenant],
          aRequest(weekStart, { material: i % 3 === 0 ? 'GaN-on-Si' : 'GaN' }),
        ),
      );
    }
  }
  return submitted;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting; last: ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const roundState = (handle: WorkflowHandle) => handle.query(roundStatusQuery).then((s) => s.round?.state);

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure))
    throw new Error(`expected a refusal, got ${String(err)}`);
  return err.cause;
}

describe('roundWorkflow', () => {
  it('opens on its Schedule, takes requests, closes at its deadline, is changed and re-run by a lab manager, then approved and published', async () => {
    aFreshWeek();
    const weekStart = new Date(hongKongWeekStart(clock.now()).getTime() + 2 * roundWeekMs);
    const roundId = roundIdOf(weekStart);
    const scheduleId = `test-rounds-${randomBytes(4).toString('hex')}`;
    await ensureRoundSchedule(client, {
      taskQueue: worker.taskQueue,
      scheduleId,
      opening: { weeksAhead: 2, closeAfterMs: 8_000, approvalAfterMs: 90_000 },
    });
    const schedule = client.schedule.getHandle(scheduleId);
    try {
      await schedule.trigger();
      const round = await until(
        () => database.db.allocationRound.findUnique({ where: { id: roundId } }),
        (r) => r !== null,
      );
      expect(round).toMatchObject({
        state: 'open',
        toolTypeIds: ['mocvd'],
        institutePct: 40,
        universityPct: 30,
        industryPct: 30,
      });
      expect(round!.weekStart.toISOString()).toBe(weekStart.toISOString());
      const handle = client.workflow.getHandle(roundWorkflowId(roundId));
      const submitted = await submitContestedWeek(handle, weekStart);
      expect(submitted.every((r) => r.state === 'submitted')).toBe(true);

      // The deadline passes: the round closes on its own timer and the solver proposes.
      expect(
        await until(
          () => roundState(handle),
          (s) => s === 'proposed',
        ),
      ).toBe('proposed');
      const late = await submit(handle, users.uni, aRequest(weekStart)).catch((e: unknown) => e);
      expect(late).toBeInstanceOf(PilotlineError);
      expect((late as PilotlineError).code).toBe('INVALID_STATE');
      const first = roundProposalSchema.parse(
        (await database.db.allocationRound.findUniqueOrThrow({ where: { id: roundId } })).proposal,
      );
      expect(first.revision).toBe(1);
      expect(first.grants.length).toBeGreaterThan(10);
      expect(first.grants.length + first.leftOut.length).toBe(submitted.length);
      expect(await database.db.booking.count()).toBe(0);

      // The lab manager drops a granted request and gives the universities more, then re-runs.
      const droppedId = first.grants.find((g) => g.tenantId === 'ind')!.requestId;
      const tenantOnly = await failureOf(
        handle.executeUpdate(rerunRoundUpdate, { args: [{ actor: users.uni, dropped: [droppedId] }] }),
      );
      expect(tenantOnly.type).toBe('FORBIDDEN');
      const shares = { institute: 30, university: 40, industry: 30 };
      const second: RoundView = await handle.executeUpdate(rerunRoundUpdate, {
        args: [{ actor: users.mona, dropped: [droppedId], shares }],
      });
      expect(second).toMatchObject({ revision: 2, state: 'proposed', shares });
      const proposal = roundProposalSchema.parse(
        (await database.db.allocationRound.findUniqueOrThrow({ where: { id: roundId } })).proposal,
      );
      expect(proposal.leftOut.find((l) => l.requestId === droppedId)?.reason).toBe('DROPPED_BY_MANAGER');
      const university = proposal.figures.classes.find((c) => c.tenantClass === 'university')!;
      expect(university.grantedPct).toBeGreaterThan(
        first.figures.classes.find((c) => c.tenantClass === 'university')!.grantedPct,
      );

      // Approving the proposal before the one in review is refused; the one in review is published.
      const stale = await failureOf(
        handle.executeUpdate(approveRoundUpdate, { args: [{ actor: users.mona, revision: 1 }] }),
      );
      expect(stale.type).toBe('INVALID_STATE');
      const approved: RoundView = await handle.executeUpdate(approveRoundUpdate, {
        args: [{ actor: users.mona, revision: 2, note: 'as discussed' }],
      });
      expect(approved.state).toBe('published');
      const outcome = (await handle.result()) as RoundOutcomeOfWorkflow;
      expect(outcome).toMatchObject({ kind: 'published', bookings: proposal.grants.length });

      const requests = await database.db.allocationRequest.findMany({
        where: { roundId },
        include: { booking: true },
      });
      const granted = requests.filter((r) => r.state === 'granted');
      expect(granted.length).toBe(proposal.grants.length);
      expect(requests.filter((r) => r.state === 'left_out').length).toBe(proposal.leftOut.length);
      for (const r of granted) {
        const grant = proposal.grants.find((g) => g.requestId === r.id)!;
        expect(r.booking).toMatchObject({
          state: 'confirmed',
          toolId: grant.toolId,
          tenantId: r.tenantId,
          userId: r.userId,
        });
        expect(r.booking!.startsAt.toISOString()).toBe(grant.startsAt);
      }
      expect((await refereeCalendar(database.db)).violations).toEqual([]);

      // Each booking lives on in its own booking workflow (reminders, check-in, no-show).
      expect(await handle.query(roundStatusQuery)).toMatchObject({ bookingsStarted: granted.length });
      const one = granted[0]!.booking!;
      const status = await client.workflow
        .getHandle(bookingWorkflowId(one.requestId))
        .query(bookingStatusQuery);
      expect(status.booking).toMatchObject({ id: one.id, state: 'confirmed' });

      const told = await database.db.notification.findMany({
        where: { kind: { in: ['round.granted', 'round.left_out'] } },
      });
      expect(told.length).toBe(requests.filter((r) => r.state !== 'withdrawn').length);
      const audit = await database.db.auditLog.findMany({
        where: { entityType: 'round', entityId: roundId },
        orderBy: { id: 'asc' },
      });
      expect(audit.map((a) => a.action)).toEqual([
        'round.opened',
        'round.closed',
        'round.proposed',
        'round.changed',
        'round.proposed',
        'round.published',
      ]);

      await keepHistory('round-published', handle);
      const firings = await schedule.describe();
      const opening = firings.info.recentActions[0]?.action.workflow;
      if (opening) await keepHistory('round-opening', client.workflow.getHandle(opening.workflowId));
    } finally {
      await schedule.delete();
    }
  });

  it('publishes nothing when no lab manager approves it by its deadline, and tells every requester', async () => {
    aFreshWeek();
    const weekStart = new Date(hongKongWeekStart(clock.now()).getTime() + 2 * roundWeekMs);
    const roundId = roundIdOf(weekStart);
    const now = clock.now().getTime();
    const handle = await client.workflow.start<typeof roundWorkflow>('roundWorkflow', {
      workflowId: roundWorkflowId(roundId),
      taskQueue: worker.taskQueue,
      args: [
        {
          plan: {
            id: roundId,
            weekStart: weekStart.toISOString(),
            closesAt: new Date(now + 3_000).toISOString(),
            approvalDeadline: new Date(now + 6_000).toISOString(),
          },
          actor: users.mona,
          search,
        },
      ],
    });
    await until(
      () => handle.query(roundStatusQuery),
      (s) => s.round !== null,
    );
    await submit(handle, users.inst, aRequest(weekStart));
    await submit(handle, users.uni, aRequest(weekStart));
    const outcome = (await handle.result()) as RoundOutcomeOfWorkflow;
    expect(outcome.kind).toBe('lapsed');
    expect(outcome.round.state).toBe('lapsed');
    expect(
      await database.db.booking.count({
        where: { createdAt: { gte: new Date(now - hourMs) }, purpose: { contains: roundId } },
      }),
    ).toBe(0);
    const requests = await database.db.allocationRequest.findMany({ where: { roundId } });
    expect(requests.map((r) => r.state)).toEqual(['lapsed', 'lapsed']);
    expect(requests.every((r) => r.bookingId === null)).toBe(true);
    expect(requests[0]!.outcome).toMatchObject({
      kind: 'lapsed',
      words: expect.stringContaining('not approved by its deadline'),
    });
    const told = await database.db.notification.findMany({
      where: { kind: 'round.lapsed', payload: { path: ['roundId'], equals: roundId } },
    });
    expect(told.map((n) => n.recipientId ?? n.audience).sort()).toEqual(['ines', 'lab_manager', 'ulla']);
    await keepHistory('round-lapsed', handle);
  });

  it('closes early for a lab manager; writes nothing when the calendar changed since the proposal, and proposes again on the calendar as it is', async () => {
    aFreshWeek();
    const weekStart = new Date(hongKongWeekStart(clock.now()).getTime() + 2 * roundWeekMs);
    const roundId = roundIdOf(weekStart);
    const now = clock.now().getTime();
    const handle = await client.workflow.start<typeof roundWorkflow>('roundWorkflow', {
      workflowId: roundWorkflowId(roundId),
      taskQueue: worker.taskQueue,
      args: [
        {
          plan: {
            id: roundId,
            weekStart: weekStart.toISOString(),
            closesAt: new Date(now + 120_000).toISOString(),
            approvalDeadline: new Date(now + 180_000).toISOString(),
          },
          actor: users.mona,
          search,
        },
      ],
    });
    await until(
      () => handle.query(roundStatusQuery),
      (s) => s.round !== null,
    );
    await submitContestedWeek(handle, weekStart);
    // Everyone has submitted: the lab manager closes the round before its deadline.
    expect(
      (await failureOf(handle.executeUpdate(closeRoundUpdate, { args: [{ actor: users.ind }] }))).type,
    ).toBe('FORBIDDEN');
    const closed: RoundView = await handle.executeUpdate(closeRoundUpdate, {
      args: [{ actor: users.mona, note: 'all in' }],
    });
    expect(closed).toMatchObject({ state: 'proposed', revision: 1 });
    const proposal = roundProposalSchema.parse(
      (await database.db.allocationRound.findUniqueOrThrow({ where: { id: roundId } })).proposal,
    );
    const taken = proposal.grants[0]!;
    const before = await database.db.booking.count();
    // First come, first served got there first: a booking on a granted slot, written after the proposal.
    await database.db.booking.create({
      data: {
        requestId: newRequestId(),
        workflowId: `booking-outside-${randomBytes(3).toString('hex')}`,
        tenantId: 'uni',
        userId: 'ulla',
        toolId: taken.toolId,
        startsAt: new Date(taken.startsAt),
        endsAt: new Date(Date.parse(taken.startsAt) + hourMs),
        state: 'confirmed',
        material: 'GaN',
        waferSize: 100,
      },
    });
    const refused = await failureOf(
      handle.executeUpdate(approveRoundUpdate, { args: [{ actor: users.mona, revision: 1 }] }),
    );
    expect(refused.type).toBe('SLOT_TAKEN');
    expect(refused.details?.[0]).toMatchObject({
      revision: 2,
      conflicts: [expect.objectContaining({ requestId: taken.requestId })],
    });
    expect(await database.db.booking.count()).toBe(before + 1);
    expect(await database.db.allocationRequest.count({ where: { roundId, state: 'granted' } })).toBe(0);

    const approved: RoundView = await handle.executeUpdate(approveRoundUpdate, {
      args: [{ actor: users.mona, revision: 2 }],
    });
    expect(approved.state).toBe('published');
    await handle.result();
    expect((await refereeCalendar(database.db)).violations).toEqual([]);
  });
});
