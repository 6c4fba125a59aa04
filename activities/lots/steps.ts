import { lotSnapshot, lotWithSteps } from '../../src/data/lot-view.js';
import type { Actor } from '../../src/domain/actor.js';
import type { LotSnapshot, QtimeAlert } from '../../src/domain/lot.js';
import { PilotlineError } from '../../src/errors.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { recordChange } from '../records.js';
import { billUsage } from '../usage.js';
import { alertLot, replanRemaining } from './replan.js';
import { toLotOwner } from './rows.js';

// Running a lot's steps: check-in (a start past the Q-time raises an alert) and check-out (billed).

/** Starts a step; a step starting after its Q-time limit raises the alert. */
export function checkInLotStepActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function checkInLotStep(input: {
    lotId: string;
    seq: number;
    actor: Actor;
  }): Promise<{ snapshot: LotSnapshot; alert: QtimeAlert | null }> {
    try {
      return await db.$transaction(async (tx) => {
        const lot = await tx.lot.findUniqueOrThrow({ where: { id: input.lotId }, include: lotWithSteps });
        const step = lot.steps.find((s) => s.seq === input.seq);
        if (!step?.booking) throw new PilotlineError('NOT_FOUND', `The lot has no step ${input.seq}`);
        let alert: QtimeAlert | null = null;
        if (step.booking.state !== 'in_use') {
          if (step.booking.state !== 'confirmed')
            throw new PilotlineError('INVALID_STATE', `Step ${input.seq} is ${step.booking.state}`);
          const now = clock.now();
          await tx.booking.update({
            where: { id: step.booking.id },
            data: { state: 'in_use', checkedInAt: now },
          });
          if (lot.state === 'confirmed')
            await tx.lot.update({ where: { id: lot.id }, data: { state: 'in_progress' } });
          await recordChange(tx, {
            actor: input.actor,
            action: 'lot.step_checked_in',
            entityType: 'lot',
            entityId: lot.id,
            data: { seq: input.seq },
          });
          const previous = lot.steps.find((s) => s.seq === input.seq - 1);
          const limit = previous?.maxLagToNextMin;
          const endedAt = previous?.booking?.checkedOutAt;
          if (previous && limit !== null && limit !== undefined && endedAt) {
            const lagMin = Math.floor((now.getTime() - endedAt.getTime()) / 60_000);
            if (lagMin > limit) {
              alert = {
                afterSeq: previous.seq,
                nextSeq: input.seq,
                limitMin: limit,
                exceededByMin: lagMin - limit,
                detail: `Step ${input.seq} (${step.name}) started ${lagMin} min after step ${previous.seq}; the Q-time limit is ${limit} min`,
              };
              await alertLot(tx, lot, alert);
            }
          }
        }
        return {
          snapshot: lotSnapshot(
            await tx.lot.findUniqueOrThrow({ where: { id: lot.id }, include: lotWithSteps }),
            clock.now(),
          ),
          alert,
        };
      });
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}

/** Ends a step (billed); a step ending late re-plans the rest of the route. */
export function checkOutLotStepActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function checkOutLotStep(input: {
    lotId: string;
    seq: number;
    actor: Actor;
  }): Promise<{ snapshot: LotSnapshot; alert: QtimeAlert | null; replanned: number }> {
    try {
      return await db.$transaction(
        async (tx) => {
          const lot = await tx.lot.findUniqueOrThrow({ where: { id: input.lotId }, include: lotWithSteps });
          const step = lot.steps.find((s) => s.seq === input.seq);
          if (!step?.booking) throw new PilotlineError('NOT_FOUND', `The lot has no step ${input.seq}`);
          let result = { alert: null as QtimeAlert | null, moved: 0 };
          if (step.booking.state !== 'completed') {
            if (step.booking.state !== 'in_use')
              throw new PilotlineError('INVALID_STATE', `Step ${input.seq} is ${step.booking.state}`);
            const now = clock.now();
            const done = await tx.booking.update({
              where: { id: step.booking.id },
              data: { state: 'completed', checkedOutAt: now },
            });
            await billUsage(tx, done);
            await recordChange(tx, {
              actor: input.actor,
              action: 'lot.step_checked_out',
              entityType: 'lot',
              entityId: lot.id,
              data: { seq: input.seq, late: now > step.booking.endsAt },
            });
            if (now > step.booking.endsAt) result = await replanRemaining(deps, tx, lot, input.seq, now);
            const open = await tx.booking.count({
              where: { lotStep: { lotId: lot.id }, state: { in: ['held', 'confirmed', 'in_use'] } },
            });
            if (open === 0) {
              await tx.lot.update({ where: { id: lot.id }, data: { state: 'completed' } });
              await recordChange(tx, {
                actor: undefined,
                action: 'lot.completed',
                entityType: 'lot',
                entityId: lot.id,
                notify: [toLotOwner(lot, 'lot.completed', `${lot.name} completed`)],
              });
            }
          }
          return {
            snapshot: lotSnapshot(
              await tx.lot.findUniqueOrThrow({ where: { id: lot.id }, include: lotWithSteps }),
              clock.now(),
            ),
            alert: result.alert,
            replanned: result.moved,
          };
        },
        { timeout: 30_000 },
      );
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}
