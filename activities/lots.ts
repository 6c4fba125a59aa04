import type { Booking, Lot, LotStep, Prisma } from '../src/generated/prisma/client.js';
import type { Clock } from '../src/clock.js';
import { planRoute, type LotExplanation, type RouteStep, type StepSlot } from '../src/calendar/lot-plan.js';
import { loadSolverSnapshot } from '../src/calendar/snapshot.js';
import type { Actor } from '../src/domain/actor.js';
import type { LotRequest, LotSnapshot, LotView, QtimeAlert } from '../src/domain/lot.js';
import { dateFromMinute, minuteAtOrAfter, minuteFromDate } from '../src/domain/time.js';
import { PilotlineError } from '../src/errors.js';
import type { Db } from '../src/runtime/database/prisma.js';
import type { ContaminationGroup, Material, WaferSize } from '../src/solver/model.js';
import { buildSolverState } from '../src/solver/state.js';
import { stableHash } from '../src/domain/stable-hash.js';
import { lotWorkflowId } from '../workflows/messages.js';
import { resolveTiming } from './booking-rows.js';
import { asActivityFailure } from './failure.js';
import { lockToolTypes } from './locks.js';
import { recordChange, type NotificationDraft } from './records.js';
import { billUsage } from './usage.js';

type Tx = Prisma.TransactionClient;
type LotRow = Lot & { steps: Array<LotStep & { booking: Booking | null }> };

export interface LotActivityDeps {
  db: Db;
  clock: Clock;
  /** The optimizer's budget per lot placement (it stops earlier when the plan is provably best). */
  lotPlanTimeLimitMs?: number;
}

export type PlaceLotResult =
  | { kind: 'placed'; snapshot: LotSnapshot; approvalRequired: boolean }
  | { kind: 'unplaced'; explanation: LotExplanation };

const withSteps = { steps: { orderBy: { seq: 'asc' }, include: { booking: true } } } as const;

export function lotView(row: LotRow): LotView {
  return {
    id: row.id,
    requestId: row.requestId,
    name: row.name,
    tenantId: row.tenantId,
    userId: row.userId,
    material: row.material,
    waferSize: row.waferSize,
    state: row.state,
    earliestStart: row.earliestStart.toISOString(),
    latestEnd: row.latestEnd.toISOString(),
    approvalDeadline: row.approvalDeadline?.toISOString() ?? null,
    steps: row.steps.map((s) => ({
      seq: s.seq,
      name: s.name,
      toolTypeId: s.toolTypeId,
      durationMin: s.durationMin,
      minLagToNextMin: s.minLagToNextMin,
      maxLagToNextMin: s.maxLagToNextMin,
      booking: s.booking
        ? {
            id: s.booking.id,
            toolId: s.booking.toolId,
            startsAt: s.booking.startsAt.toISOString(),
            endsAt: s.booking.endsAt.toISOString(),
            state: s.booking.state,
            checkedInAt: s.booking.checkedInAt?.toISOString() ?? null,
            checkedOutAt: s.booking.checkedOutAt?.toISOString() ?? null,
          }
        : null,
    })),
  };
}

function routeStep(step: LotStep, lot: Pick<Lot, 'contaminationGroup'>): RouteStep {
  return {
    seq: step.seq,
    name: step.name,
    toolTypeId: step.toolTypeId,
    durationMin: step.durationMin,
    minLagToNextMin: step.minLagToNextMin,
    maxLagToNextMin: step.maxLagToNextMin,
    contaminationGroup: (step.contaminationGroup ?? lot.contaminationGroup) as ContaminationGroup,
  };
}

/** Lot-route side effects: all steps of a route held, moved or released together. */
export function createLotActivities(deps: LotActivityDeps) {
  const { db, clock } = deps;
  const timeLimitMs = deps.lotPlanTimeLimitMs ?? 500;

  const snapshotOf = (row: LotRow): LotSnapshot => ({
    lot: lotView(row),
    approvalDeadlineInMs: row.state === 'held' && row.approvalDeadline ? row.approvalDeadline.getTime() - clock.now().getTime() : null,
  });

  const toTenant = (row: Lot, kind: string, subject: string, payload: Record<string, unknown> = {}): NotificationDraft => ({
    recipientId: row.userId,
    tenantId: row.tenantId,
    kind,
    subject,
    payload: { lotId: row.id, ...payload },
  });

  /** The route's calendar, with its tool types locked against concurrent placements. */
  async function routeState(tx: Tx, toolTypeIds: string[], from: number, to: number, userId: string) {
    await lockToolTypes(tx, [...new Set(toolTypeIds)]);
    const snapshot = await loadSolverSnapshot(tx, { toolTypeIds: [...new Set(toolTypeIds)], fromMinute: from, toMinute: to, userIds: [userId] });
    return buildSolverState(snapshot);
  }

  /** Moves every active step booking of the lot from one of `from` to `to`. */
  async function transitionLot(
    lotId: string,
    step: { from: readonly Lot['state'][]; to: Lot['state']; bookingState: Booking['state']; actor: Actor | undefined; action: string; data?: Prisma.LotUpdateInput; notify: (row: Lot) => NotificationDraft[] },
  ): Promise<LotSnapshot> {
    try {
      const row = await db.$transaction(async (tx) => {
        const lot = await tx.lot.findUnique({ where: { id: lotId } });
        if (!lot) throw new PilotlineError('NOT_FOUND', `No lot ${lotId}`);
        if (lot.state !== step.to) {
          if (!step.from.includes(lot.state)) throw new PilotlineError('INVALID_STATE', `The lot is ${lot.state}; it cannot become ${step.to}`);
          await tx.lot.update({ where: { id: lotId }, data: { state: step.to, ...step.data } });
          await tx.booking.updateMany({
            where: { lotStep: { lotId }, state: { in: ['held', 'confirmed'] } },
            data: { state: step.bookingState, ...(step.bookingState === 'cancelled' ? { cancelReason: `lot ${step.to}` } : {}) },
          });
          await recordChange(tx, { actor: step.actor, action: step.action, entityType: 'lot', entityId: lotId, data: { from: lot.state, to: step.to }, notify: step.notify(lot) });
        }
        return tx.lot.findUniqueOrThrow({ where: { id: lotId }, include: withSteps });
      });
      return snapshotOf(row);
    } catch (err) {
      throw asActivityFailure(err);
    }
  }

  /** Re-plans the steps not yet started, after `afterSeq` ended at `endedAt`; alerts on a missed Q-time. */
  async function replanRemaining(tx: Tx, lot: LotRow, afterSeq: number, endedAt: Date): Promise<{ alert: QtimeAlert | null; moved: number }> {
    const finished = lot.steps.find((s) => s.seq === afterSeq)!;
    const remaining = lot.steps.filter((s) => s.seq > afterSeq && s.booking && ['held', 'confirmed'].includes(s.booking.state));
    if (!remaining.length) return { alert: null, moved: 0 };
    const end = minuteAtOrAfter(endedAt);
    const state = await routeState(tx, remaining.map((s) => s.toolTypeId), end, minuteFromDate(lot.latestEnd), lot.userId);
    for (const s of remaining) state.remove(s.booking!.id);
    const plan = await planRoute(
      {
        tenantId: lot.tenantId,
        userId: lot.userId,
        material: lot.material as Material,
        waferSize: lot.waferSize as WaferSize,
        steps: remaining.map((s) => routeStep(s, lot)),
        earliestStart: end,
        latestEnd: minuteFromDate(lot.latestEnd),
        after: { end, minLag: finished.minLagToNextMin, maxLag: finished.maxLagToNextMin },
        current: new Map(remaining.map((s) => [s.seq, { toolId: s.booking!.toolId, start: minuteFromDate(s.booking!.startsAt), end: minuteFromDate(s.booking!.endsAt) }])),
      },
      state,
      { now: minuteAtOrAfter(clock.now()), seed: stableHash(lot.requestId), timeLimitMs },
    );
    const next = remaining[0]!;
    if (plan.kind === 'unplaced') {
      const alert: QtimeAlert = {
        afterSeq,
        nextSeq: next.seq,
        limitMin: finished.maxLagToNextMin ?? 0,
        exceededByMin: 0,
        detail: `The rest of the route no longer fits: ${plan.explanation.map((e) => `step ${e.seq} ${e.name}: ${e.detail ?? 'no tool'}`).join('; ')}`,
      };
      await alertLot(tx, lot, alert);
      return { alert, moved: 0 };
    }
    await tx.$executeRaw`SET CONSTRAINTS reservations_no_overlap DEFERRED`;
    let moved = 0;
    for (const slot of plan.slots) {
      const step = remaining.find((s) => s.seq === slot.seq)!;
      const booking = step.booking!;
      if (booking.toolId === slot.toolId && minuteFromDate(booking.startsAt) === slot.start) continue;
      await tx.booking.update({
        where: { id: booking.id },
        data: { toolId: slot.toolId, startsAt: dateFromMinute(slot.start), endsAt: dateFromMinute(slot.end), windowStart: dateFromMinute(slot.start), windowEnd: dateFromMinute(slot.end) },
      });
      moved++;
    }
    await recordChange(tx, {
      actor: undefined,
      action: 'lot.replanned',
      entityType: 'lot',
      entityId: lot.id,
      data: { afterSeq, endedAt: endedAt.toISOString(), slots: plan.slots.map(slotData) },
      notify: moved ? [toTenant(lot, 'lot.replanned', `${lot.name}: step ${afterSeq} ended late; ${moved} later step(s) moved`)] : [],
    });
    if (plan.qtimeExceededByMin > 0 && finished.maxLagToNextMin !== null) {
      const alert: QtimeAlert = {
        afterSeq,
        nextSeq: next.seq,
        limitMin: finished.maxLagToNextMin,
        exceededByMin: plan.qtimeExceededByMin,
        detail: `Step ${next.seq} (${next.name}) can start ${plan.qtimeExceededByMin} min after its Q-time limit of ${finished.maxLagToNextMin} min`,
      };
      await alertLot(tx, lot, alert);
      return { alert, moved };
    }
    return { alert: null, moved };
  }

  async function alertLot(tx: Tx, lot: Lot, alert: QtimeAlert) {
    await recordChange(tx, {
      actor: undefined,
      action: 'lot.qtime_alert',
      entityType: 'lot',
      entityId: lot.id,
      data: { ...alert },
      notify: [
        toTenant(lot, 'lot.qtime_alert', `Q-time alert for ${lot.name}: ${alert.detail}`, { ...alert }),
        { audience: 'lab_manager', tenantId: lot.tenantId, kind: 'lot.qtime_alert', subject: `Q-time alert (${lot.name}): ${alert.detail}`, payload: { lotId: lot.id, ...alert } },
      ],
    });
  }

  return {
    /** The route's first step: every step placed by the optimizer and held in one transaction, or none. */
    async placeLot(input: { request: LotRequest; actor: Actor; timingOverrides: { approvalTimeoutMs?: number } }): Promise<PlaceLotResult> {
      const { request, actor } = input;
      try {
        const existing = await db.lot.findUnique({ where: { requestId: request.requestId }, include: withSteps });
        if (existing) {
          if (existing.userId !== actor.userId) throw new PilotlineError('FORBIDDEN', 'That requestId belongs to another request');
          return { kind: 'placed', snapshot: snapshotOf(existing), approvalRequired: existing.state === 'held' || existing.decidedById !== null };
        }
        return await db.$transaction(
          async (tx): Promise<PlaceLotResult> => {
            const earliest = minuteAtOrAfter(new Date(request.earliestStart));
            const latest = minuteFromDate(new Date(request.latestEnd));
            const state = await routeState(tx, request.steps.map((s) => s.toolTypeId), earliest, latest, actor.userId);
            const steps: RouteStep[] = request.steps.map((s, i) => ({
              seq: i + 1,
              name: s.name,
              toolTypeId: s.toolTypeId,
              durationMin: s.durationMin,
              minLagToNextMin: s.minLagToNextMin,
              maxLagToNextMin: s.maxLagToNextMin ?? null,
              contaminationGroup: s.contaminationGroup ?? request.contaminationGroup,
            }));
            const plan = await planRoute(
              { tenantId: actor.tenantId, userId: actor.userId, material: request.material, waferSize: request.waferSize, steps, earliestStart: earliest, latestEnd: latest },
              state,
              { now: minuteAtOrAfter(clock.now()), seed: stableHash(request.requestId), timeLimitMs },
            );
            if (plan.kind === 'unplaced') return plan;

            const approvalRequired = plan.slots.some((slot) => state.toolContext(slot.toolId).policy.approvalRequired);
            const policies = await tx.policy.findMany({ where: { toolTypeId: { in: steps.map((s) => s.toolTypeId) } } });
            const approvalTimeoutMs = input.timingOverrides.approvalTimeoutMs ?? Math.max(...policies.map((p) => resolveTiming(p, {}).approvalTimeoutMs), 0);
            const now = clock.now();
            const firstStart = dateFromMinute(plan.slots[0]!.start);
            const lot = await tx.lot.create({
              data: {
                requestId: request.requestId,
                workflowId: lotWorkflowId(request.requestId),
                tenantId: actor.tenantId,
                userId: actor.userId,
                name: request.name,
                material: request.material,
                waferSize: request.waferSize,
                contaminationGroup: request.contaminationGroup,
                state: approvalRequired ? 'held' : 'confirmed',
                earliestStart: new Date(request.earliestStart),
                latestEnd: new Date(request.latestEnd),
                approvalDeadline: approvalRequired ? new Date(Math.min(now.getTime() + approvalTimeoutMs, firstStart.getTime())) : null,
              },
            });
            for (const [i, slot] of plan.slots.entries()) {
              const step = steps[i]!;
              const row = await tx.lotStep.create({
                data: {
                  lotId: lot.id,
                  seq: step.seq,
                  name: step.name,
                  toolTypeId: step.toolTypeId,
                  durationMin: step.durationMin,
                  minLagToNextMin: step.minLagToNextMin,
                  maxLagToNextMin: step.maxLagToNextMin,
                  contaminationGroup: request.steps[i]!.contaminationGroup ?? null,
                },
              });
              await tx.booking.create({ data: stepBooking(lot, row, step, slot, approvalRequired) });
            }
            await recordChange(tx, {
              actor,
              action: approvalRequired ? 'lot.held' : 'lot.confirmed',
              entityType: 'lot',
              entityId: lot.id,
              data: { steps: plan.slots.map(slotData) },
              notify: approvalRequired
                ? [
                    toTenant(lot, 'lot.held', `${lot.name}: ${plan.slots.length} steps held, waiting for approval`),
                    { audience: 'lab_manager', kind: 'approval.needed', subject: `Approval needed: lot route ${lot.name}`, payload: { lotId: lot.id } },
                  ]
                : [toTenant(lot, 'lot.confirmed', `${lot.name}: ${plan.slots.length} steps confirmed`)],
            });
            const row = await tx.lot.findUniqueOrThrow({ where: { id: lot.id }, include: withSteps });
            return { kind: 'placed', snapshot: snapshotOf(row), approvalRequired };
          },
          { timeout: 30_000 },
        );
      } catch (err) {
        throw asActivityFailure(err);
      }
    },

    decideLot: (input: { lotId: string; approve: boolean; actor: Actor; note?: string }) =>
      transitionLot(input.lotId, {
        from: ['held'],
        to: input.approve ? 'confirmed' : 'rejected',
        bookingState: input.approve ? 'confirmed' : 'rejected',
        actor: input.actor,
        action: input.approve ? 'lot.approved' : 'lot.rejected',
        data: { decidedById: input.actor.userId, approvalDeadline: null },
        notify: (lot) => [toTenant(lot, input.approve ? 'lot.approved' : 'lot.rejected', `${lot.name} ${input.approve ? 'approved' : 'rejected'}`, { note: input.note ?? null })],
      }),

    expireLot: (input: { lotId: string }) =>
      transitionLot(input.lotId, {
        from: ['held'],
        to: 'expired',
        bookingState: 'expired',
        actor: undefined,
        action: 'lot.expired',
        notify: (lot) => [toTenant(lot, 'lot.expired', `${lot.name}: no decision in time; its holds were released`)],
      }),

    cancelLot: (input: { lotId: string; actor: Actor; reason?: string }) =>
      transitionLot(input.lotId, {
        from: ['held', 'confirmed'],
        to: 'cancelled',
        bookingState: 'cancelled',
        actor: input.actor,
        action: 'lot.cancelled',
        data: { cancelReason: input.reason ?? null },
        notify: (lot) => [toTenant(lot, 'lot.cancelled', `${lot.name} cancelled`)],
      }),

    /** Starts a step; a step starting after its Q-time limit raises the alert. */
    async checkInLotStep(input: { lotId: string; seq: number; actor: Actor }): Promise<{ snapshot: LotSnapshot; alert: QtimeAlert | null }> {
      try {
        return await db.$transaction(async (tx) => {
          const lot = await tx.lot.findUniqueOrThrow({ where: { id: input.lotId }, include: withSteps });
          const step = lot.steps.find((s) => s.seq === input.seq);
          if (!step?.booking) throw new PilotlineError('NOT_FOUND', `The lot has no step ${input.seq}`);
          let alert: QtimeAlert | null = null;
          if (step.booking.state !== 'in_use') {
            if (step.booking.state !== 'confirmed') throw new PilotlineError('INVALID_STATE', `Step ${input.seq} is ${step.booking.state}`);
            const now = clock.now();
            await tx.booking.update({ where: { id: step.booking.id }, data: { state: 'in_use', checkedInAt: now } });
            if (lot.state === 'confirmed') await tx.lot.update({ where: { id: lot.id }, data: { state: 'in_progress' } });
            await recordChange(tx, { actor: input.actor, action: 'lot.step_checked_in', entityType: 'lot', entityId: lot.id, data: { seq: input.seq } });
            const previous = lot.steps.find((s) => s.seq === input.seq - 1);
            const limit = previous?.maxLagToNextMin;
            const endedAt = previous?.booking?.checkedOutAt;
            if (previous && limit !== null && limit !== undefined && endedAt) {
              const lagMin = Math.floor((now.getTime() - endedAt.getTime()) / 60_000);
              if (lagMin > limit) {
                alert = { afterSeq: previous.seq, nextSeq: input.seq, limitMin: limit, exceededByMin: lagMin - limit, detail: `Step ${input.seq} (${step.name}) started ${lagMin} min after step ${previous.seq}; the Q-time limit is ${limit} min` };
                await alertLot(tx, lot, alert);
              }
            }
          }
          return { snapshot: snapshotOf(await tx.lot.findUniqueOrThrow({ where: { id: lot.id }, include: withSteps })), alert };
        });
      } catch (err) {
        throw asActivityFailure(err);
      }
    },

    /** Ends a step (billed); a step ending late re-plans the rest of the route. */
    async checkOutLotStep(input: { lotId: string; seq: number; actor: Actor }): Promise<{ snapshot: LotSnapshot; alert: QtimeAlert | null; replanned: number }> {
      try {
        return await db.$transaction(
          async (tx) => {
            const lot = await tx.lot.findUniqueOrThrow({ where: { id: input.lotId }, include: withSteps });
            const step = lot.steps.find((s) => s.seq === input.seq);
            if (!step?.booking) throw new PilotlineError('NOT_FOUND', `The lot has no step ${input.seq}`);
            let result = { alert: null as QtimeAlert | null, moved: 0 };
            if (step.booking.state !== 'completed') {
              if (step.booking.state !== 'in_use') throw new PilotlineError('INVALID_STATE', `Step ${input.seq} is ${step.booking.state}`);
              const now = clock.now();
              const done = await tx.booking.update({ where: { id: step.booking.id }, data: { state: 'completed', checkedOutAt: now } });
              await billUsage(tx, done);
              await recordChange(tx, { actor: input.actor, action: 'lot.step_checked_out', entityType: 'lot', entityId: lot.id, data: { seq: input.seq, late: now > step.booking.endsAt } });
              if (now > step.booking.endsAt) result = await replanRemaining(tx, lot, input.seq, now);
              const open = await tx.booking.count({ where: { lotStep: { lotId: lot.id }, state: { in: ['held', 'confirmed', 'in_use'] } } });
              if (open === 0) {
                await tx.lot.update({ where: { id: lot.id }, data: { state: 'completed' } });
                await recordChange(tx, { actor: undefined, action: 'lot.completed', entityType: 'lot', entityId: lot.id, notify: [toTenant(lot, 'lot.completed', `${lot.name} completed`)] });
              }
            }
            return {
              snapshot: snapshotOf(await tx.lot.findUniqueOrThrow({ where: { id: lot.id }, include: withSteps })),
              alert: result.alert,
              replanned: result.moved,
            };
          },
          { timeout: 30_000 },
        );
      } catch (err) {
        throw asActivityFailure(err);
      }
    },
  };
}

export type LotActivities = ReturnType<typeof createLotActivities>;

function slotData(slot: StepSlot) {
  return { seq: slot.seq, toolId: slot.toolId, startsAt: dateFromMinute(slot.start).toISOString(), endsAt: dateFromMinute(slot.end).toISOString() };
}

function stepBooking(lot: Lot, step: LotStep, route: RouteStep, slot: StepSlot, held: boolean): Prisma.BookingUncheckedCreateInput {
  const startsAt = dateFromMinute(slot.start);
  const endsAt = dateFromMinute(slot.end);
  return {
    requestId: `${lot.requestId}#${step.seq}`,
    workflowId: `${lot.workflowId}#${step.seq}`,
    tenantId: lot.tenantId,
    userId: lot.userId,
    toolId: slot.toolId,
    startsAt,
    endsAt,
    state: held ? 'held' : 'confirmed',
    material: lot.material,
    waferSize: lot.waferSize,
    contaminationGroup: route.contaminationGroup,
    // A step's slot is tied to its neighbours by Q-time: repair may not move it in time.
    windowStart: startsAt,
    windowEnd: endsAt,
    purpose: `${lot.name}: step ${step.seq} ${step.name}`,
    lotStepId: step.id,
    approvalDeadline: held ? lot.approvalDeadline : null,
  };
}
