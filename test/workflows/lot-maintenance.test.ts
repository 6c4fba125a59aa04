import { WithStartWorkflowOperation, type Client, type WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import type { Actor } from '../../src/domain/actor.js';
import { lotWorkflowId, maintenanceWorkflowId } from '../../src/domain/ids.js';
import type { LotRequest, LotStepRequest, LotView, PlaceLotResult } from '../../src/domain/lot.js';
import type { MaintenanceRequest } from '../../src/domain/maintenance.js';
import type { lotRouteWorkflow } from '../../workflows/lot.js';
import type { maintenanceWorkflow } from '../../workflows/maintenance.js';
import {
  approveLotUpdate,
  cancelLotUpdate,
  checkInLotStepUpdate,
  completeMaintenanceUpdate,
  confirmMaintenanceUpdate,
  lotStatusQuery,
  maintenanceStatusQuery,
  placeLotUpdate,
  previewMaintenanceUpdate,
} from '../../workflows/messages.js';
import { steerableClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { keepHistory } from '../support/histories.js';
import { aPolicy, aTool, aUser, newRequestId } from '../support/scenario.js';
import { connectTestClient, startTestWorker, type TestClient, type TestWorker } from '../support/temporal.js';

// Maintenance meets a lot route: its steps are repaired as one route (re-planned within the
// Q-times, or the whole lot released and its owner told why), never partly.

const clock = steerableClock();
let database: TestDatabase;
let worker: TestWorker;
let temporal: TestClient;
let client: Client;
let hana: Actor;
let mona: Actor;
let otto: Actor;

const minute = 60_000;
const hour = 60 * minute;

/** Epitaxy, then an XRD check within 60 min, then a probe test within 120 min. */
const route: LotStepRequest[] = [
  { name: 'AlGaN/GaN epitaxy', toolTypeId: 'epi', durationMin: 240, minLagToNextMin: 0, maxLagToNextMin: 60 },
  { name: 'XRD rocking curve', toolTypeId: 'xrd', durationMin: 30, minLagToNextMin: 0, maxLagToNextMin: 120 },
  { name: 'DC probe test', toolTypeId: 'probe', durationMin: 60, minLagToNextMin: 0 },
];

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await aTool(db, 'EPI-1', 'epi');
  await aTool(db, 'XRD-1', 'xrd');
  await aTool(db, 'PROBE-1', 'probe');
  await aPolicy(db, 'epi', { approvalRequired: true, minDurationMin: 60 });
  await aPolicy(db, 'xrd');
  await aPolicy(db, 'probe');
  hana = (await aUser(db, 'hana', 'uni-h', 'tenant_user', ['epi', 'xrd', 'probe'])).actor;
  mona = (await aUser(db, 'mona', 'institute', 'lab_manager')).actor;
  otto = (await aUser(db, 'otto', 'institute', 'ops')).actor;
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
/** A fresh day per test; "now" is 5 min before its first hour. */
function nextMorning(): Date {
  day += 1;
  const start = new Date(Date.UTC(2037, 5, 1 + 3 * day, 0, 0));
  clock.jumpTo(start.getTime() - 5 * minute);
  return start;
}

async function submitLot(start: Date, hours = 48): Promise<{ lot: LotView; handle: WorkflowHandle }> {
  const request: LotRequest = {
    requestId: newRequestId(),
    name: 'HEMT lot 9',
    material: 'GaN',
    waferSize: 100,
    contaminationGroup: 'standard',
    earliestStart: start.toISOString(),
    latestEnd: new Date(start.getTime() + hours * hour).toISOString(),
    steps: route,
  };
  const op = new WithStartWorkflowOperation<typeof lotRouteWorkflow>('lotRouteWorkflow', {
    workflowId: lotWorkflowId(request.requestId),
    taskQueue: worker.taskQueue,
    args: [{ request, actor: hana }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  const result: PlaceLotResult = await client.workflow.executeUpdateWithStart(placeLotUpdate, { updateId: 'placeLot', startWorkflowOperation: op });
  if (result.kind !== 'placed') throw new Error(`not placed: ${JSON.stringify(result)}`);
  return { lot: result.snapshot.lot, handle: await op.workflowHandle() };
}

async function maintain(request: Omit<MaintenanceRequest, 'requestId'>, autoConfirm: boolean) {
  const full: MaintenanceRequest = { requestId: newRequestId(), ...request };
  const op = new WithStartWorkflowOperation<typeof maintenanceWorkflow>('maintenanceWorkflow', {
    workflowId: maintenanceWorkflowId(full.requestId),
    taskQueue: worker.taskQueue,
    args: [{ request: full, actor: otto, autoConfirm }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  const preview = await client.workflow.executeUpdateWithStart(previewMaintenanceUpdate, { updateId: 'preview', startWorkflowOperation: op });
  return { preview, handle: await op.workflowHandle() };
}

/** An outage on `toolId` from now until `until`, applied at once. */
const outage = (toolId: string, until: Date) =>
  maintain({ kind: 'outage', toolIds: [toolId], startsAt: clock.now().toISOString(), endsAt: until.toISOString(), reason: 'heater failure' }, true);

async function stepBookings(lotId: string) {
  return database.db.booking.findMany({ where: { lotStep: { lotId } }, include: { lotStep: true }, orderBy: { lotStep: { seq: 'asc' } } });
}

/** The route's lags, checked against each step's limits. */
function expectQtimesKept(rows: Awaited<ReturnType<typeof stepBookings>>) {
  for (let i = 1; i < rows.length; i++) {
    const [prev, next] = [rows[i - 1]!, rows[i]!];
    const lag = (next.startsAt.getTime() - prev.endsAt.getTime()) / minute;
    expect(lag, `step ${i} → ${i + 1}`).toBeGreaterThanOrEqual(prev.lotStep!.minLagToNextMin);
    if (prev.lotStep!.maxLagToNextMin !== null) expect(lag, `Q-time ${i} → ${i + 1}`).toBeLessThanOrEqual(prev.lotStep!.maxLagToNextMin);
  }
}

/** Waits until the lot workflow has heard of the maintenance and holds what the database holds. */
async function lotWorkflowCaughtUp(handle: WorkflowHandle, maintenance: WorkflowHandle, lotId: string): Promise<LotView> {
  for (let i = 0; i < 300; i++) {
    const sent = (await maintenance.query(maintenanceStatusQuery)).pendingRevisions === 0;
    const seen = (await handle.query(lotStatusQuery)).lot;
    const rows = await stepBookings(lotId);
    const same = seen?.steps.every((s, k) => s.booking?.startsAt === rows[k]!.startsAt.toISOString() && s.booking?.state === rows[k]!.state);
    if (sent && seen && same) return seen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the lot workflow did not hear of the repair');
}

async function notices(lotId: string, kind: string) {
  const rows = await database.db.notification.findMany({ where: { kind } });
  return rows
    .filter((n) => (n.payload as { lotId?: string }).lotId === lotId)
    .map((n) => n.recipientId ?? n.audience)
    .sort();
}

describe('maintenance on a lot route', () => {
  it('re-plans a held route as a whole when an outage hits its first step, and the lot can still be approved', async () => {
    const start = nextMorning();
    const { lot, handle } = await submitLot(start);
    expect(lot.state).toBe('held');
    const before = await stepBookings(lot.id);
    expect(before[0]!.toolId).toBe('EPI-1');
    expect(before[0]!.startsAt).toEqual(start);

    const back = new Date(start.getTime() + 3 * hour);
    const { preview, handle: maintenance } = await outage('EPI-1', back);
    // The impact names the lot and its outcome, not its steps as loose bookings.
    expect(preview.impact?.unplaceable).toEqual([]);
    expect(preview.impact?.moves).toEqual([]);
    expect(preview.impact?.lots).toEqual([
      expect.objectContaining({ lotId: lot.id, outcome: 'moved', steps: expect.arrayContaining([expect.objectContaining({ seq: 1 })]) }),
    ]);

    const after = await stepBookings(lot.id);
    expect(after.map((b) => b.state)).toEqual(['held', 'held', 'held']);
    expect(after[0]!.startsAt.getTime()).toBeGreaterThanOrEqual(back.getTime());
    expectQtimesKept(after);

    const seen = await lotWorkflowCaughtUp(handle, maintenance, lot.id);
    expect(seen.state).toBe('held');
    expect(await notices(lot.id, 'lot.moved_by_maintenance')).toEqual(['hana', 'lab_manager']);

    const approved = await handle.executeUpdate(approveLotUpdate, { args: [{ actor: mona }] });
    expect(approved.state).toBe('confirmed');
    expect((await stepBookings(lot.id)).map((b) => b.state)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    await handle.executeUpdate(cancelLotUpdate, { args: [{ actor: hana, reason: 'test done' }] });
    await handle.result();
    await keepHistory('lot-moved-by-maintenance', handle);
  });

  it('releases the whole held route when no re-plan fits its window, and refuses to approve it', async () => {
    const start = nextMorning();
    const { lot, handle } = await submitLot(start, 24);
    const { preview, handle: maintenance } = await outage('EPI-1', new Date(start.getTime() + 30 * hour));
    expect(preview.impact?.lots).toEqual([expect.objectContaining({ lotId: lot.id, outcome: 'released' })]);

    const after = await stepBookings(lot.id);
    expect(after.map((b) => b.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    const row = await database.db.lot.findUniqueOrThrow({ where: { id: lot.id } });
    expect(row.state).toBe('cancelled');
    expect(row.cancelReason).toMatch(/maintenance/);

    await lotWorkflowCaughtUp(handle, maintenance, lot.id);
    expect(await handle.result()).toMatchObject({ lot: { state: 'cancelled' } });
    await expect(handle.executeUpdate(approveLotUpdate, { args: [{ actor: mona }] })).rejects.toThrow();
    expect((await database.db.lot.findUniqueOrThrow({ where: { id: lot.id } })).state).toBe('cancelled');
    expect(await notices(lot.id, 'lot.released_by_maintenance')).toEqual(['hana', 'lab_manager']);
    const told = await database.db.notification.findFirstOrThrow({ where: { kind: 'lot.released_by_maintenance', recipientId: 'hana' } });
    expect(told.subject).toMatch(/released/);
    await keepHistory('lot-released-by-maintenance', handle);
    await maintenance.executeUpdate(completeMaintenanceUpdate, { args: [{ actor: otto }] });
    await maintenance.result();
    await keepHistory('maintenance-outage-releases-lot', maintenance);
  });

  it('previews a planned window on a later step as the whole route moving, and moves nothing before confirm', async () => {
    const start = nextMorning();
    const { lot, handle } = await submitLot(start);
    const before = await stepBookings(lot.id);
    // The XRD is serviced over the XRD step's slot: the epitaxy before it must move too (60 min Q-time).
    const { preview, handle: maintenance } = await maintain(
      {
        kind: 'planned',
        toolIds: ['XRD-1'],
        startsAt: new Date(start.getTime() + 3 * hour).toISOString(),
        endsAt: new Date(start.getTime() + 8 * hour).toISOString(),
        reason: 'X-ray tube change',
      },
      false,
    );
    const impact = preview.impact!.lots.find((l) => l.lotId === lot.id)!;
    expect(impact.outcome).toBe('moved');
    expect(impact.steps.map((s) => s.seq)).toEqual([1, 2, 3]);
    expect(Date.parse(impact.steps[1]!.to!.startsAt)).toBeGreaterThanOrEqual(start.getTime() + 8 * hour);
    expect(Date.parse(impact.steps[0]!.to!.startsAt)).toBeGreaterThan(start.getTime());
    expect((await stepBookings(lot.id)).map((b) => b.startsAt)).toEqual(before.map((b) => b.startsAt));

    await maintenance.executeUpdate(confirmMaintenanceUpdate, { args: [{ actor: otto }] });
    const after = await stepBookings(lot.id);
    expect(after.map((b) => b.startsAt.toISOString())).toEqual(impact.steps.map((s) => s.to!.startsAt));
    expectQtimesKept(after);
    await lotWorkflowCaughtUp(handle, maintenance, lot.id);
  });

  it('never moves a step in use, and raises the Q-time alert when the next step cannot keep it', async () => {
    const start = nextMorning();
    const { lot, handle } = await submitLot(start);
    await handle.executeUpdate(approveLotUpdate, { args: [{ actor: mona }] });
    clock.jumpTo(start.getTime() + minute);
    await handle.executeUpdate(checkInLotStepUpdate, { args: [{ actor: hana, seq: 1 }] });
    const [epi, xrd] = await stepBookings(lot.id);

    // The XRD breaks until three hours after the epitaxy's end: its Q-time of 60 min cannot hold.
    const { preview, handle: maintenance } = await outage('XRD-1', new Date(epi!.endsAt.getTime() + 3 * hour));
    expect(preview.impact?.lots).toEqual([expect.objectContaining({ lotId: lot.id, outcome: 'moved' })]);
    const after = await stepBookings(lot.id);
    expect(after[0]).toMatchObject({ state: 'in_use', toolId: 'EPI-1', startsAt: epi!.startsAt, endsAt: epi!.endsAt });
    expect(after.slice(1).map((b) => b.state)).toEqual(['confirmed', 'confirmed']);
    expect(after[1]!.startsAt.getTime()).toBeGreaterThanOrEqual(epi!.endsAt.getTime() + 3 * hour);
    expect(after[1]!.startsAt.getTime()).toBeGreaterThan(xrd!.startsAt.getTime());
    expectQtimesKept(after.slice(1));

    await lotWorkflowCaughtUp(handle, maintenance, lot.id);
    const alerts = (await handle.query(lotStatusQuery)).alerts;
    expect(alerts).toEqual([expect.objectContaining({ afterSeq: 1, nextSeq: 2, limitMin: 60 })]);
    expect(alerts[0]!.exceededByMin).toBeGreaterThanOrEqual(120);
    expect(await notices(lot.id, 'lot.qtime_alert')).toEqual(['hana', 'lab_manager']);
  });

  it('re-plans the rest of the route from the moment an outage interrupts the step in use', async () => {
    const start = nextMorning();
    const { lot, handle } = await submitLot(start);
    await handle.executeUpdate(approveLotUpdate, { args: [{ actor: mona }] });
    clock.jumpTo(start.getTime() + 30 * minute);
    await handle.executeUpdate(checkInLotStepUpdate, { args: [{ actor: hana, seq: 1 }] });

    // The reactor fails half an hour into the epitaxy: the run ends now, the rest follows from now.
    const { preview, handle: maintenance } = await outage('EPI-1', new Date(start.getTime() + 6 * hour));
    expect(preview.impact?.conflicts.map((c) => c.bookingId)).toEqual([lot.steps[0]!.booking!.id]);
    expect(preview.impact?.lots).toEqual([
      expect.objectContaining({ lotId: lot.id, outcome: 'moved', steps: [expect.objectContaining({ seq: 2 }), expect.objectContaining({ seq: 3 })] }),
    ]);
    const after = await stepBookings(lot.id);
    expect(after[0]!.state).toBe('completed');
    expect(after.slice(1).map((b) => b.state)).toEqual(['confirmed', 'confirmed']);
    expectQtimesKept(after.slice(1));
    const seen = await lotWorkflowCaughtUp(handle, maintenance, lot.id);
    expect(seen.state).toBe('in_progress');
    // The XRD was planned for after a four-hour run: from an interrupted one, its Q-time is broken.
    const alerts = (await handle.query(lotStatusQuery)).alerts;
    expect(alerts).toEqual([expect.objectContaining({ afterSeq: 1, nextSeq: 2, limitMin: 60 })]);
  });
});
