import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import type { Actor } from '../../src/domain/actor.js';
import { qualificationWorkflowId } from '../../src/domain/ids.js';
import type { GrantInput, QualificationScope } from '../../src/domain/qualification.js';
import {
  grantQualificationUpdate,
  qualificationStatusQuery,
  renewQualificationUpdate,
  revokeQualificationUpdate,
} from '../../workflows/messages.js';
import { qualificationWorkflow } from '../../workflows/qualification.js';
import { steerableClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { keepHistory } from '../support/histories.js';
import { aBooking as aBookingRow, aTool, aUser } from '../support/scenario.js';
import { connectTestClient, startTestWorker, type TestClient, type TestWorker } from '../support/temporal.js';

// The expiry of a qualification is a durable timer on the real dev server: the reminder lead and
// the expiry are inputs, so the reminder comes after ~1 s and the lapse after ~2 s.

const clock = steerableClock();
let database: TestDatabase;
let worker: TestWorker;
let temporal: TestClient;
let client: Client;
let manager: Actor;
let student: Actor;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await aTool(db, 'MOCVD-1', 'mocvd');
  await aTool(db, 'MOCVD-2', 'mocvd');
  await aTool(db, 'SEM-1', 'sem');
  manager = (await aUser(db, 'mona', 'institute', 'lab_manager')).actor;
  student = (await aUser(db, 'sam', 'uni-s', 'tenant_user', ['sem'])).actor;
  await aUser(db, 'tim', 'uni-s', 'tenant_user', ['mocvd']);
  worker = await startTestWorker(createActivities({ db, clock }));
  temporal = await connectTestClient();
  client = temporal.client;
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

const aBooking = (userId: string, tenantId: string, toolId: string, startsAt: Date) =>
  aBookingRow(database.db, { userId, tenantId }, toolId, startsAt, { endsAt: new Date(startsAt.getTime() + 4 * 3_600_000) });

const inSeconds = (s: number) => new Date(clock.now().getTime() + s * 1000).toISOString();
const tomorrow = () => new Date(clock.now().getTime() + 86_400_000);

function grant(expiresAt: string | null, extra: Partial<GrantInput> = {}): GrantInput {
  return { actor: manager, expiresAt, trainerId: 'mona', trainedAt: clock.now().toISOString(), trainingRequestId: null, ...extra };
}

async function start(userId: string, scope: QualificationScope, input: GrantInput, reminderLeadMs: number) {
  const startWorkflowOperation = new WithStartWorkflowOperation(qualificationWorkflow, {
    workflowId: qualificationWorkflowId(userId, scope),
    taskQueue: worker.taskQueue,
    args: [{ userId, scope, timing: { reminderLeadMs } }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
  const change = await client.workflow.executeUpdateWithStart(grantQualificationUpdate, { args: [input], startWorkflowOperation });
  return { change, handle: await startWorkflowOperation.workflowHandle() };
}

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return err.cause.type ?? undefined;
    throw err;
  }
}

describe('qualificationWorkflow', () => {
  it('reminds before the expiry, then lapses and flags the later bookings on the tools it covered for the lab managers', async () => {
    const { db } = database;
    const later = await aBooking('sam', 'uni-s', 'MOCVD-2', tomorrow());
    const onOtherType = await aBooking('sam', 'uni-s', 'SEM-1', tomorrow());
    const someoneElses = await aBooking('tim', 'uni-s', 'MOCVD-1', tomorrow());

    const { change, handle } = await start('sam', { toolTypeId: 'mocvd' }, grant(inSeconds(4)), 3_000);
    expect(change.snapshot.qualification).toMatchObject({ userId: 'sam', toolTypeId: 'mocvd', state: 'active', trainerId: 'mona' });
    const { qualification } = await handle.result();
    expect(qualification).toMatchObject({ state: 'expired' });

    const row = await db.qualification.findUniqueOrThrow({ where: { id: change.snapshot.qualification.id } });
    expect(row.remindedAt).not.toBeNull();
    expect(row.lapsedAt).not.toBeNull();
    expect(row.remindedAt!.getTime()).toBeLessThan(row.expiresAt!.getTime());
    expect(row.lapsedAt!.getTime()).toBeGreaterThanOrEqual(row.expiresAt!.getTime());

    const flagged = await db.booking.findMany({ where: { flaggedAt: { not: null } }, select: { id: true, flagQualificationId: true } });
    expect(flagged).toEqual([{ id: later.id, flagQualificationId: row.id }]);
    expect(flagged.map((b) => b.id)).not.toContain(onOtherType.id);
    expect(flagged.map((b) => b.id)).not.toContain(someoneElses.id);

    const notes = await db.notification.findMany({ where: { kind: { startsWith: 'qualification.' } }, orderBy: { id: 'asc' } });
    expect(notes.map((n) => `${n.kind} → ${n.recipientId ?? n.audience}`)).toEqual([
      'qualification.granted → sam',
      'qualification.expiring → sam',
      'qualification.expiring → lab_manager',
      'qualification.lapsed → sam',
      'qualification.bookings_flagged → lab_manager',
    ]);
    expect(notes.at(-1)!.payload).toMatchObject({ bookings: [{ bookingId: later.id, toolId: 'MOCVD-2' }] });
    const actions = (await db.auditLog.findMany({ where: { entityId: row.id }, orderBy: { id: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(['qualification.granted', 'qualification.reminded', 'qualification.lapsed']);
    await keepHistory('qualification-lapsed', handle);
  });

  it('moves its timers on a renewal and ends on a revocation that flags at once; a fresh grant clears the flags it covers', async () => {
    const { db } = database;
    const booking = await aBooking('sam', 'uni-s', 'MOCVD-1', new Date(tomorrow().getTime() + 86_400_000));
    // Four seconds leave a loaded machine room for the renewal to land before the first expiry.
    const { change, handle } = await start('sam', { toolId: 'MOCVD-1' }, grant(inSeconds(4)), 1_000);
    const id = change.snapshot.qualification.id;
    expect(await refusal(handle.executeUpdate(grantQualificationUpdate, { args: [grant(inSeconds(60))] }))).toBe('INVALID_STATE');
    expect(await refusal(handle.executeUpdate(renewQualificationUpdate, { args: [{ actor: student, expiresAt: inSeconds(60), trainerId: null, trainedAt: null }] }))).toBe('FORBIDDEN');

    const renewed = await handle.executeUpdate(renewQualificationUpdate, {
      args: [{ actor: manager, expiresAt: inSeconds(3_600), trainerId: null, trainedAt: null }],
    });
    expect(renewed.snapshot.qualification.expiresAt).not.toBe(change.snapshot.qualification.expiresAt);
    const status = await handle.query(qualificationStatusQuery);
    expect(Date.parse(status.nextTimerAt!)).toBeGreaterThan(Date.now() + 3_500_000 - 1_000);
    // The old expiry passes: nothing lapses.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(change.snapshot.qualification.expiresAt!) + 500 - Date.now())));
    expect((await db.qualification.findUniqueOrThrow({ where: { id } })).lapsedAt).toBeNull();

    const revoked = await handle.executeUpdate(revokeQualificationUpdate, { args: [{ actor: manager, reason: 'left the group' }] });
    expect(revoked.snapshot.qualification).toMatchObject({ state: 'revoked', revokeReason: 'left the group', revokedById: 'mona' });
    expect(revoked.affected.map((b) => [b.bookingId, b.reason])).toEqual([[booking.id, 'qualification_revoked']]);
    expect(await handle.result()).toMatchObject({ qualification: { state: 'revoked' } });
    expect((await db.booking.findUniqueOrThrow({ where: { id: booking.id } })).flagQualificationId).toBe(id);
    await keepHistory('qualification-renewed-revoked', handle);

    // Granted afresh: a new run of the same workflow; the renewal-covered flag goes.
    const again = await start('sam', { toolId: 'MOCVD-1' }, grant(inSeconds(3 * 86_400)), 1_000);
    expect(again.change.snapshot.qualification).toMatchObject({ id, state: 'active', revokedAt: null });
    expect((await db.booking.findUniqueOrThrow({ where: { id: booking.id } })).flaggedAt).toBeNull();
    await again.handle.executeUpdate(revokeQualificationUpdate, { args: [{ actor: manager, reason: 'test over' }] });
    await again.handle.result();
  });

  it('refuses an expiry in the past without writing anything, and ends with nothing to time', async () => {
    const { db } = database;
    const before = await db.qualification.count();
    const attempt = start('tim', { toolTypeId: 'sem' }, grant(new Date(clock.now().getTime() - 1_000).toISOString()), 1_000);
    await expect(attempt).rejects.toMatchObject({ cause: { type: 'VALIDATION_FAILED' } });
    expect(await db.qualification.count()).toBe(before);
  });

  it('watches a qualification that exists without a workflow (the seed’s) and lapses it on time', async () => {
    const { db } = database;
    const seeded = await db.qualification.create({
      data: { userId: 'tim', toolTypeId: 'sem', grantedAt: clock.now(), expiresAt: new Date(clock.now().getTime() + 1_500) },
    });
    const handle = await client.workflow.start(qualificationWorkflow, {
      workflowId: qualificationWorkflowId('tim', { toolTypeId: 'sem' }),
      taskQueue: worker.taskQueue,
      args: [{ userId: 'tim', scope: { toolTypeId: 'sem' }, watch: true, timing: { reminderLeadMs: 0 } }],
    });
    expect(await handle.result()).toMatchObject({ qualification: { id: seeded.id, state: 'expired' } });
    expect((await db.qualification.findUniqueOrThrow({ where: { id: seeded.id } })).lapsedAt).not.toBeNull();
  });
});
