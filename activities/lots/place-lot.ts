import { planRoute, type RouteStep } from '../../src/calendar/lot-plan.js';
import { lotSnapshot, lotWithSteps } from '../../src/data/lot-view.js';
import { projectToCharge } from '../../src/data/project-charge.js';
import type { Actor } from '../../src/domain/actor.js';
import { lotWorkflowId } from '../../src/domain/ids.js';
import type { LotRequest, PlaceLotResult } from '../../src/domain/lot.js';
import { stableHash } from '../../src/domain/stable-hash.js';
import { dateFromMinute, minuteAtOrAfter, minuteFromDate } from '../../src/domain/time.js';
import { PilotlineError } from '../../src/errors.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { recordChange } from '../records.js';
import { approvalDeadline, resolveTiming } from '../timing.js';
import { defaultLotPlanTimeLimitMs } from './replan.js';
import { routeState, slotData, stepBooking, toLotOwner } from './rows.js';

export interface PlaceLotInput {
  request: LotRequest;
  actor: Actor;
  timingOverrides: { approvalTimeoutMs?: number };
}

/** The route's first step: every step placed by the optimizer and held in one transaction, or none. */
export function placeLotActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function placeLot(input: PlaceLotInput): Promise<PlaceLotResult> {
    const { request, actor } = input;
    try {
      const existing = await db.lot.findUnique({
        where: { requestId: request.requestId },
        include: lotWithSteps,
      });
      if (existing) {
        if (existing.userId !== actor.userId)
          throw new PilotlineError('FORBIDDEN', 'That requestId belongs to another request');
        return {
          kind: 'placed',
          snapshot: lotSnapshot(existing, clock.now()),
          approvalRequired: existing.state === 'held' || existing.decidedById !== null,
        };
      }
      return await db.$transaction(
        async (tx): Promise<PlaceLotResult> => {
          const earliest = minuteAtOrAfter(new Date(request.earliestStart));
          const latest = minuteFromDate(new Date(request.latestEnd));
          const state = await routeState(
            tx,
            request.steps.map((s) => s.toolTypeId),
            earliest,
            latest,
            actor.userId,
          );
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
            {
              tenantId: actor.tenantId,
              userId: actor.userId,
              material: request.material,
              waferSize: request.waferSize,
              steps,
              earliestStart: earliest,
              latestEnd: latest,
            },
            state,
            {
              now: minuteAtOrAfter(clock.now()),
              seed: stableHash(request.requestId),
              timeLimitMs: deps.lotPlanTimeLimitMs ?? defaultLotPlanTimeLimitMs,
            },
          );
          if (plan.kind === 'unplaced') return plan;

          const approvalRequired = plan.slots.some(
            (slot) => state.toolContext(slot.toolId).policy.approvalRequired,
          );
          const policies = await tx.policy.findMany({
            where: { toolTypeId: { in: steps.map((s) => s.toolTypeId) } },
          });
          const approvalTimeoutMs =
            input.timingOverrides.approvalTimeoutMs ??
            Math.max(...policies.map((p) => resolveTiming(p, {}).approvalTimeoutMs), 0);
          const now = clock.now();
          // Checked again here: a membership may have ended since the API looked.
          const projectId = await projectToCharge(tx, actor, request.projectId, now);
          const firstStart = dateFromMinute(plan.slots[0]!.start);
          const lot = await tx.lot.create({
            data: {
              requestId: request.requestId,
              workflowId: lotWorkflowId(request.requestId),
              tenantId: actor.tenantId,
              userId: actor.userId,
              projectId,
              name: request.name,
              material: request.material,
              waferSize: request.waferSize,
              contaminationGroup: request.contaminationGroup,
              state: approvalRequired ? 'held' : 'confirmed',
              earliestStart: new Date(request.earliestStart),
              latestEnd: new Date(request.latestEnd),
              approvalDeadline: approvalRequired ? approvalDeadline(now, firstStart, approvalTimeoutMs) : null,
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
                  toLotOwner(
                    lot,
                    'lot.held',
                    `${lot.name}: ${plan.slots.length} steps held, waiting for approval`,
                  ),
                  {
                    audience: 'lab_manager',
                    kind: 'approval.needed',
                    subject: `Approval needed: lot route ${lot.name}`,
                    payload: { lotId: lot.id },
                  },
                ]
              : [toLotOwner(lot, 'lot.confirmed', `${lot.name}: ${plan.slots.length} steps confirmed`)],
          });
          const row = await tx.lot.findUniqueOrThrow({ where: { id: lot.id }, include: lotWithSteps });
          return { kind: 'placed', snapshot: lotSnapshot(row, clock.now()), approvalRequired };
        },
        { timeout: 30_000 },
      );
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}
