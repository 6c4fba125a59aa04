import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import type { PlaceLotResult } from '../../src/domain/lot.js';
import type { Actor } from '../../src/domain/actor.js';
import type { LotRequest, LotStepRequest, LotView } from '../../src/domain/lot.js';
import type { lotRouteWorkflow } from '../../workflows/lot.js';
import { approveLotUpdate, cancelLotUpdate, checkInLotStepUpdate, checkOutLotStepUpdate, lotStatusQuery, placeLotUpdate } from '../../workflows/messages.js';
import { lotWorkflowId } from '../../src/domain/ids.js';
import { steerableClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { keepHistory } from '../support/histories.js';
import { aPolicy, aTool, aUser, newRequestId } from '../support/scenario.js';
import { connectTestClient, startTestWorker, type TestClient, type TestWorker } from '../support/temporal.js';

const clock = steerableClock();
let database: TestDatabase;
let worker: TestWorker;
let temporal: TestClient;
let client: Client;
let hana: Actor;
let ivan: Actor;
let mona: Actor;

const minute = 60_000;

/** A 12-step GaN HEMT front end: clean → epi → mesa litho and etch → ohmic metal → anneal → test. */
const ganHemt: LotStepRequest[] = [
  { name: 'pre-epi clean', toolTypeId: 'gan-wet', durationMin: 30, minLagToNextMin: 0, maxLagToNextMin: 240 },
  { name: 'AlGaN/GaN epitaxy', toolTypeId: 'mocvd', durationMin: 240, minLagToNextMin: 0 },
  { name: 'XRD rocking curve', toolTypeId: 'xrd', durationMin: 30, minLagToNextMin: 0 },
  { name: 'resist coat', toolTypeId: 'track', durationMin: 30, minLagToNextMin: 0, maxLagToNextMin: 60 },
  { name: 'mesa exposure', toolTypeId: 'stepper', durationMin: 30, minLagToNextMin: 0, maxLagToNextMin: 120 },
  { name: 'mesa etch', toolTypeId: 'icp', durationMin: 60, minLagToNextMin: 0 },
  { name: 'resist strip', toolTypeId: 'asher', durationMin: 30, minLagToNextMin: 0 },
  { name: 'pre-metal clean', toolTypeId: 'gan-wet', durationMin: 30, minLagToNextMin: 0, maxLagToNextMin: 60 },
  { name: 'Ti/Al/Ni/Au ohmic metal', toolTypeId: 'ebeam', durationMin: 60, minLagToNextMin: 0, contaminationGroup: 'au-metal' },
  { name: 'ohmic anneal', toolTypeId: 'rta', durationMin: 30, minLagToNextMin: 0, contaminationGroup: 'au-metal' },
  { name: 'DC parametric test', toolTypeId: 'probe', durationMin: 60, minLagToNextMin: 0, contaminationGroup: 'au-metal' },
  { name: 'SEM inspection', toolTypeId: 'sem', durationMin: 30, minLagToNextMin: 0, contaminationGroup: 'au-metal' },
];

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const standard = { contaminationClass: 'standard' };
  await aTool(db, 'WET-G', 'gan-wet', standard);
  await aTool(db, 'MOCVD-1', 'mocvd', standard);
  await aTool(db, 'MOCVD-2', 'mocvd', standard);
  await aTool(db, 'XRD-1', 'xrd');
  await aTool(db, 'TRACK-1', 'track', standard);
  await aTool(db, 'STEP-1', 'stepper', standard);
  await aTool(db, 'ICP-1', 'icp', standard);
  await aTool(db, 'ASH-1', 'asher');
  await aTool(db, 'EB-1', 'ebeam'); // gold allowed
  await aTool(db, 'EB-2', 'ebeam', standard);
  await aTool(db, 'RTA-1', 'rta');
  await aTool(db, 'PROBE-1', 'probe');
  await aTool(db, 'SEM-1', 'sem');
  for (const type of ['gan-wet', 'xrd', 'track', 'stepper', 'icp', 'asher', 'ebeam', 'rta', 'probe', 'sem']) await aPolicy(db, type);
  await aPolicy(db, 'mocvd', { approvalRequired: true, minDurationMin: 60, bufferAfterMin: 60 });
  const all = ['gan-wet', 'mocvd', 'xrd', 'track', 'stepper', 'icp', 'asher', 'ebeam', 'rta', 'probe', 'sem'];
  hana = (await aUser(db, 'hana', 'uni-h', 'tenant_user', all)).actor;
  ivan = (await aUser(db, 'ivan', 'co-i', 'tenant_user', all.filter((t) => t !== 'rta'))).actor;
  mona = (await aUser(db, 'mona', 'institute', 'lab_manager')).actor;
  worker = await startTestWorker(createActivities({ db, clock, lotPlanTimeLimitMs: 300 }));
  temporal = await connectTestClient();
  client = temporal.client;
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.[Symbol.asyncDispose]();
  await database?.[Symbol.asyncDispose]();
});

let day = 0;
function nextMorning(): Date {
  day += 1;
  const start = new Date(Date.UTC(2035, 2, 4 + day, 0, 0));
  clock.jumpTo(start.getTime() - 5 * minute);
  return start;
}

async function submit(actor: Actor, start: Date, steps: LotStepRequest[], hours = 48) {
  const request: LotRequest = {
    requestId: newRequestId(),
    name: 'HEMT lot 7',
    material: 'GaN',
    waferSize: 100,
    contaminationGroup: 'standard',
    earliestStart: start.toISOString(),
    latestEnd: new Date(start.getTime() + hours * 3_600_000).toISOString(),
    steps,
  };
  const op = new WithStartWorkflowOperation<typeof lotRouteWorkflow>('lotRouteWorkflow', {
    workflowId: lotWorkflowId(request.requestId),
    taskQueue: worker.taskQueue,
    args: [{ request, actor }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  const result: PlaceLotResult = await client.workflow.executeUpdateWithStart(placeLotUpdate, { updateId: 'placeLot', startWorkflowOperation: op });
  return { request, result, handle: await op.workflowHandle() };
}

function placedLot(result: PlaceLotResult): LotView {
  if (result.kind !== 'placed') throw new Error(`not placed: ${JSON.stringify(result)}`);
  return result.snapshot.lot;
}

async function stepBookings(lotId: string) {
  return database.db.booking.findMany({ where: { lotStep: { lotId } }, include: { lotStep: true }, orderBy: { lotStep: { seq: 'asc' } } });
}

describe('lotRouteWorkflow', () => {
  it('holds all 12 steps of a GaN HEMT route together, in order and within their Q-time limits', async () => {
    const start = nextMorning();
    const { result, handle } = await submit(hana, start, ganHemt);
    const lot = placedLot(result);
    expect(result.kind === 'placed' && result.approvalRequired).toBe(true);
    expect(lot.state).toBe('held');
    expect(lot.steps).toHaveLength(12);

    const rows = await stepBookings(lot.id);
    expect(rows).toHaveLength(12);
    expect(rows.every((b) => b.state === 'held')).toBe(true);
    for (let i = 1; i < rows.length; i++) {
      const [prev, next] = [rows[i - 1]!, rows[i]!];
      const lag = (next.startsAt.getTime() - prev.endsAt.getTime()) / minute;
      expect(lag, `step ${i} → ${i + 1}`).toBeGreaterThanOrEqual(prev.lotStep!.minLagToNextMin);
      if (prev.lotStep!.maxLagToNextMin !== null) expect(lag, `Q-time ${i} → ${i + 1}`).toBeLessThanOrEqual(prev.lotStep!.maxLagToNextMin);
    }
    // The gold step runs in the evaporator that allows gold, the contaminated wafers on tools that take them.
    expect(rows[8]!.toolId).toBe('EB-1');
    expect(rows[9]!.contaminationGroup).toBe('au-metal');

    const approved = await handle.executeUpdate(approveLotUpdate, { args: [{ actor: mona }] });
    expect(approved.state).toBe('confirmed');
    expect((await stepBookings(lot.id)).every((b) => b.state === 'confirmed')).toBe(true);
    await handle.executeUpdate(cancelLotUpdate, { args: [{ actor: hana, reason: 'test done' }] });
    expect(await handle.result()).toMatchObject({ lot: { state: 'cancelled' } });
    expect((await stepBookings(lot.id)).every((b) => b.state === 'cancelled')).toBe(true);
    await keepHistory('lot-held-approved-cancelled', handle);
  });

  it('books none of the steps when one cannot be placed, and says which and why', async () => {
    const start = nextMorning();
    const before = await database.db.booking.count();
    const { result, handle } = await submit(ivan, start, ganHemt);
    expect(result.kind).toBe('unplaced');
    if (result.kind === 'unplaced') {
      expect(result.explanation).toEqual([
        expect.objectContaining({ seq: 10, name: 'ohmic anneal', tools: [{ toolId: 'RTA-1', reasons: [expect.objectContaining({ code: 'NOT_QUALIFIED' })] }] }),
      ]);
    }
    expect(await database.db.booking.count()).toBe(before);
    expect(await database.db.lot.count({ where: { userId: 'ivan' } })).toBe(0);
    expect(await handle.result()).toMatchObject({ lot: null });
  });

  it('re-plans the rest of the route when a step ends late', async () => {
    const start = nextMorning();
    const steps = ganHemt.slice(2, 5); // XRD → coat → exposure (Q-time 60 min after the coat)
    const { result, handle } = await submit(hana, start, steps);
    const lot = placedLot(result);
    expect(lot.state).toBe('confirmed');
    const [xrd, coat] = await stepBookings(lot.id);
    expect(xrd!.startsAt).toEqual(start);

    await handle.executeUpdate(checkInLotStepUpdate, { args: [{ actor: hana, seq: 1 }] });
    // The XRD run overruns by 45 minutes.
    const actualEnd = xrd!.endsAt.getTime() + 45 * minute;
    clock.jumpTo(actualEnd);
    await handle.executeUpdate(checkOutLotStepUpdate, { args: [{ actor: hana, seq: 1 }] });

    const after = await stepBookings(lot.id);
    expect(after[1]!.startsAt.getTime()).toBeGreaterThanOrEqual(actualEnd);
    expect(after[1]!.startsAt.getTime()).toBeGreaterThan(coat!.startsAt.getTime());
    const lag = (after[2]!.startsAt.getTime() - after[1]!.endsAt.getTime()) / minute;
    expect(lag).toBeLessThanOrEqual(60);
    expect(await database.db.auditLog.count({ where: { entityId: lot.id, action: 'lot.replanned' } })).toBe(1);
    expect((await handle.query(lotStatusQuery)).alerts).toEqual([]);
    await handle.executeUpdate(cancelLotUpdate, { args: [{ actor: hana } ] }).catch(() => undefined);
  });

  it('alerts the tenant and the lab managers when a step can no longer meet its Q-time', async () => {
    const start = nextMorning();
    const steps = ganHemt.slice(3, 5); // coat → exposure within 60 min
    const { result, handle } = await submit(hana, start, steps);
    const lot = placedLot(result);
    const [coat] = await stepBookings(lot.id);
    await handle.executeUpdate(checkInLotStepUpdate, { args: [{ actor: hana, seq: 1 }] });

    // Someone else takes the stepper for three hours after the coat's planned end.
    clock.jumpTo(coat!.endsAt.getTime() + 20 * minute);
    await database.db.booking.create({
      data: {
        requestId: newRequestId(),
        workflowId: `external-${newRequestId()}`,
        tenantId: 'co-i',
        userId: 'ivan',
        toolId: 'STEP-1',
        startsAt: new Date(coat!.endsAt.getTime() + 30 * minute),
        endsAt: new Date(coat!.endsAt.getTime() + 240 * minute),
        state: 'confirmed',
        material: 'GaN',
        waferSize: 100,
      },
    });
    await handle.executeUpdate(checkOutLotStepUpdate, { args: [{ actor: hana, seq: 1 }] });

    const status = await handle.query(lotStatusQuery);
    expect(status.alerts).toEqual([expect.objectContaining({ afterSeq: 1, nextSeq: 2, limitMin: 60 })]);
    expect(status.alerts[0]!.exceededByMin).toBeGreaterThan(0);
    const alerts = await database.db.notification.findMany({ where: { kind: 'lot.qtime_alert' } });
    expect(alerts.map((n) => n.recipientId ?? n.audience).sort()).toEqual(['hana', 'lab_manager']);
    await handle.executeUpdate(checkInLotStepUpdate, { args: [{ actor: hana, seq: 2 }] });
    await handle.executeUpdate(checkOutLotStepUpdate, { args: [{ actor: hana, seq: 2 }] });
    expect(await handle.result()).toMatchObject({ lot: { state: 'completed' } });
    await keepHistory('lot-qtime-alert', handle);
  });
});
