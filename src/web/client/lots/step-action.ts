// What the lot page offers on a step: check-in only for the route's next step, once it opens; the
// check-out of the step in use.
import type { LotStepView, LotView } from '../api.js';

/** A step may be checked in this long before its slot starts (a booking's default early check-in). */
export const earlyCheckInMs = 15 * 60_000;

export type StepAction = { verb: 'check-in' | 'check-out'; seq: number } | { verb: 'wait'; seq: number; opensAt: number } | null;

/** What can be done on a step now: only the route's next step, and check-in only once it opens. */
export function stepAction(lot: LotView, step: LotStepView, now: number): StepAction {
  const booking = step.booking;
  if (!booking || (lot.state !== 'confirmed' && lot.state !== 'in_progress')) return null;
  if (booking.state === 'in_use') return { verb: 'check-out', seq: step.seq };
  if (booking.state !== 'confirmed') return null;
  // Steps run in order: the one before must be done (checked out) first.
  const before = lot.steps.filter((s) => s.seq < step.seq);
  if (before.some((s) => s.booking && s.booking.state !== 'completed')) return null;
  const opensAt = Date.parse(booking.startsAt) - earlyCheckInMs;
  return now >= opensAt ? { verb: 'check-in', seq: step.seq } : { verb: 'wait', seq: step.seq, opensAt };
}
