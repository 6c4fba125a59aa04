import type { RepairJob } from './problem.js';
import type { RepairSchedule } from './schedule.js';

/**
 * The first answer, at once: the jobs with the fewest free starts (alone) take their room first, the
 * flexible ones after them, each at its cheapest free start; higher priority first among equals. The
 * narrow room next to a window goes to the bookings that can use nothing else.
 */
export function constructTightestFirst(schedule: RepairSchedule, freeStarts: readonly number[]): void {
  const order = [...schedule.problem.jobs].sort(
    (a, b) => freeStarts[a.index]! - freeStarts[b.index]! || a.level - b.level || a.index - b.index,
  );
  placeInOrder(schedule, order);
}

function placeInOrder(schedule: RepairSchedule, order: readonly RepairJob[]): void {
  for (const job of order) {
    const slot = schedule.best(job.index);
    if (slot !== undefined) schedule.place(job.index, slot.option, slot.start);
  }
  schedule.commit();
}
