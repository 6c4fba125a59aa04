import { lotSnapshot, lotWithSteps, type LotRow } from '../../src/data/lot-view.js';
import type { Actor } from '../../src/domain/actor.js';
import type { LotSnapshot } from '../../src/domain/lot.js';
import type { Booking, Lot, Prisma } from '../../src/generated/prisma/client.js';
import { PilotlineError } from '../../src/errors.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { recordChange, type NotificationDraft } from '../records.js';
import { toLotOwner } from './rows.js';

interface LotTransition {
  from: readonly Lot['state'][];
  to: Lot['state'];
  /** What the lot's held and confirmed step bookings become with it. */
  bookingState: Booking['state'];
  actor: Actor | undefined;
  action: string;
  data?: Prisma.LotUpdateInput;
  /** Why the steps end (cancelled or rejected): kept on each step's booking. */
  reason?: string | null;
  notify: (row: Lot) => NotificationDraft[];
  /** A last check of the lot and its steps before it moves on. */
  guard?: (row: LotRow) => void;
}

/** Moves the lot and every active step booking together; a retry that finds it moved succeeds. */
async function transitionLot(deps: ActivityDeps, lotId: string, step: LotTransition): Promise<LotSnapshot> {
  const { db, clock } = deps;
  try {
    const row = await db.$transaction(async (tx) => {
      const lot = await tx.lot.findUnique({ where: { id: lotId }, include: lotWithSteps });
      if (!lot) throw new PilotlineError('NOT_FOUND', `No lot ${lotId}`);
      if (lot.state !== step.to) {
        if (!step.from.includes(lot.state)) throw new PilotlineError('INVALID_STATE', `The lot is ${lot.state}; it cannot become ${step.to}`);
        step.guard?.(lot);
        await tx.lot.update({ where: { id: lotId }, data: { state: step.to, ...step.data } });
        await tx.booking.updateMany({
          where: { lotStep: { lotId }, state: { in: ['held', 'confirmed'] } },
          data: { state: step.bookingState, ...(step.bookingState === 'cancelled' || step.reason ? { cancelReason: step.reason ?? `lot ${step.to}` } : {}) },
        });
        await recordChange(tx, {
          actor: step.actor,
          action: step.action,
          entityType: 'lot',
          entityId: lotId,
          data: { from: lot.state, to: step.to },
          notify: step.notify(lot),
        });
      }
      return tx.lot.findUniqueOrThrow({ where: { id: lotId }, include: lotWithSteps });
    });
    return lotSnapshot(row, clock.now());
  } catch (err) {
    throw asActivityFailure(err);
  }
}

export function decideLotActivity(deps: ActivityDeps) {
  return (input: { lotId: string; approve: boolean; actor: Actor; note?: string }) =>
    transitionLot(deps, input.lotId, {
      from: ['held'],
      to: input.approve ? 'confirmed' : 'rejected',
      bookingState: input.approve ? 'confirmed' : 'rejected',
      actor: input.actor,
      action: input.approve ? 'lot.approved' : 'lot.rejected',
      data: { decidedById: input.actor.userId, approvalDeadline: null, ...(input.approve ? {} : { cancelReason: input.note ?? null }) },
      ...(input.approve ? {} : { reason: input.note ?? null }),
      // All or none: a route with a step no longer held is not confirmed in part.
      guard: (lot) => {
        const loose = lot.steps.filter((s) => s.booking?.state !== 'held');
        if (input.approve && loose.length) {
          throw new PilotlineError('INVALID_STATE', `${lot.name}: step ${loose.map((s) => s.seq).join(', ')} no longer held; the route cannot be confirmed in part`);
        }
      },
      notify: (lot) => [
        toLotOwner(lot, input.approve ? 'lot.approved' : 'lot.rejected', `${lot.name} ${input.approve ? 'approved' : 'rejected'}`, {
          note: input.note ?? null,
        }),
      ],
    });
}

export function expireLotActivity(deps: ActivityDeps) {
  return (input: { lotId: string }) =>
    transitionLot(deps, input.lotId, {
      from: ['held'],
      to: 'expired',
      bookingState: 'expired',
      actor: undefined,
      action: 'lot.expired',
      notify: (lot) => [toLotOwner(lot, 'lot.expired', `${lot.name}: no decision in time; its holds were released`)],
    });
}

export function cancelLotActivity(deps: ActivityDeps) {
  return (input: { lotId: string; actor: Actor; reason?: string }) =>
    transitionLot(deps, input.lotId, {
      from: ['held', 'confirmed'],
      to: 'cancelled',
      bookingState: 'cancelled',
      actor: input.actor,
      action: 'lot.cancelled',
      data: { cancelReason: input.reason ?? null },
      notify: (lot) => [toLotOwner(lot, 'lot.cancelled', `${lot.name} cancelled`)],
    });
}

/** The lot as the database holds it now (its workflow catching up with a change made elsewhere). */
export function currentLotActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function currentLot(input: { lotId: string }): Promise<LotSnapshot> {
    const row = await db.lot.findUnique({ where: { id: input.lotId }, include: lotWithSteps });
    if (!row) throw asActivityFailure(new PilotlineError('NOT_FOUND', `No lot ${input.lotId}`));
    return lotSnapshot(row, clock.now());
  };
}
