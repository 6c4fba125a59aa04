import type { Impact } from '../../src/domain/maintenance.js';
import type { FreedInterval } from '../../src/domain/wait-list.js';

type Slot = { toolId: string; startsAt: string; endsAt: string };

/**
 * The time a repair gave back: the old slots of the bookings it moved or cancelled, less the part
 * the maintenance window itself now covers (nobody can have that) and less the past.
 */
export function timeFreedByRepair(
  impact: Impact,
  window: { toolIds: readonly string[]; startsAt: Date; endsAt: Date },
  now: Date,
): FreedInterval[] {
  const moved = impact.moves.map((m) => ({ slot: m.from, id: m.bookingId }));
  const cancelled = impact.unplaceable.map((u) => ({ slot: u.from, id: u.bookingId }));
  const lotSteps = impact.lots.flatMap((l) => l.steps.map((s) => ({ slot: s.from, id: s.bookingId })));
  return [...moved, ...cancelled, ...lotSteps].flatMap(({ slot, id }) =>
    outsideWindow(slot, window).flatMap(([start, end]) => {
      const from = Math.max(start, now.getTime());
      return from < end ? [{ toolId: slot.toolId, startsAt: new Date(from), endsAt: new Date(end), reason: 'maintenance_moved', sourceId: id }] : [];
    }),
  );
}

function outsideWindow(slot: Slot, window: { toolIds: readonly string[]; startsAt: Date; endsAt: Date }): Array<[number, number]> {
  const start = Date.parse(slot.startsAt);
  const end = Date.parse(slot.endsAt);
  if (!window.toolIds.includes(slot.toolId)) return [[start, end]];
  const parts: Array<[number, number]> = [];
  if (start < window.startsAt.getTime()) parts.push([start, Math.min(end, window.startsAt.getTime())]);
  if (end > window.endsAt.getTime()) parts.push([Math.max(start, window.endsAt.getTime()), end]);
  return parts;
}
