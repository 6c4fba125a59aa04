import type { Booking, Maintenance, RepairMove, RepairPlan, RepairUnplaceable, ToolSlot } from '../solver/model.js';
import { placeLinkedGroup, type LinkedGroup } from '../solver/linked.js';
import type { SolverState } from '../solver/state.js';
import { compareIds } from '../solver/state.js';

// A linked group (a primary booking and its linked tools' member bookings) shares one interval, so
// maintenance never repairs its bookings one by one: the group moves as one to the nearest joint
// start on its own tools, or is displaced as a whole. Groups in use are left to the single repair,
// which lists them as conflicts.

/** What maintenance does to the linked groups in its way: moves and cancellations of every booking of each group. */
export interface LinkedRepair {
  moves: RepairMove[];
  unplaceable: RepairUnplaceable[];
}

/**
 * Repairs the groups in a window's way on `state` (the calendar without the window): `maintenance`
 * is in place while they are placed. Leaves the moved groups on `state` at their new slots and the
 * displaced ones off it, so the single bookings are repaired around them.
 */
export function repairLinkedGroups(
  state: SolverState,
  window: { toolIds: readonly string[]; start: number; end: number },
  maintenance: readonly Maintenance[],
  options: { now: number; flexMinutes: number },
): LinkedRepair {
  const groups = groupsInTheWay(state, window);
  const repair: LinkedRepair = { moves: [], unplaceable: [] };
  if (!groups.length) return repair;
  // Each group is placed against the others' new slots, never their old ones.
  for (const group of groups) for (const b of bookingsOf(group)) state.remove(b.id);
  for (const m of maintenance) state.add(m);
  try {
    for (const group of groups) {
      const placed = placeLinkedGroup(group, state, options);
      if (placed.kind === 'placed') {
        const shift = placed.start - group.primary.start;
        for (const b of bookingsOf(group)) {
          const to = { toolId: b.toolId, start: b.start + shift, end: b.end + shift };
          state.add({ ...b, start: to.start, end: to.end });
          repair.moves.push({ bookingId: b.id, tenantId: b.tenantId, from: slotOf(b), to, reason: 'NEAREST_FREE_START' });
        }
      } else {
        for (const b of bookingsOf(group))
          repair.unplaceable.push({ bookingId: b.id, tenantId: b.tenantId, from: slotOf(b), reason: 'NO_FREE_START', explanation: placed.explanation });
      }
    }
    return repair;
  } finally {
    for (const m of maintenance) state.remove(m.id);
  }
}

/** The single repair's plan with the linked groups' moves and cancellations added (metrics counted again). */
export function withLinkedRepair(plan: RepairPlan, linked: LinkedRepair): RepairPlan {
  if (!linked.moves.length && !linked.unplaceable.length) return plan;
  const moves = [...linked.moves, ...plan.moves];
  const unplaceable = [...linked.unplaceable, ...plan.unplaceable];
  const tenants = new Set([...moves, ...unplaceable, ...plan.conflicts].map((x) => x.tenantId));
  const displacement = linked.moves.reduce((sum, m) => sum + Math.abs(m.to.start - m.from.start), 0);
  return {
    ...plan,
    moves,
    unplaceable,
    metrics: {
      ...plan.metrics,
      displaced: plan.metrics.displaced + linked.moves.length + linked.unplaceable.length,
      moved: plan.metrics.moved + linked.moves.length,
      unplaceable: plan.metrics.unplaceable + linked.unplaceable.length,
      displacementMinutes: plan.metrics.displacementMinutes + displacement,
      tenantsTouched: tenants.size,
    },
  };
}

/** Groups with a booking whose footprint overlaps the window on its tools, none in use, by start. */
function groupsInTheWay(state: SolverState, window: { toolIds: readonly string[]; start: number; end: number }): LinkedGroup[] {
  const primaryIds = new Set<string>();
  for (const toolId of window.toolIds) {
    for (const footprint of state.toolContext(toolId).timeline.overlapping(window.start, window.end)) {
      const r = state.reservation(footprint.id);
      if (r?.kind === 'booking') primaryIds.add(r.linkedTo ?? r.id);
    }
  }
  if (!primaryIds.size) return [];
  const members = new Map<string, Booking[]>();
  for (const r of state.allReservations()) {
    if (r.kind !== 'booking' || r.linkedTo === undefined || !primaryIds.has(r.linkedTo)) continue;
    members.set(r.linkedTo, [...(members.get(r.linkedTo) ?? []), r]);
  }
  const groups: LinkedGroup[] = [];
  for (const id of primaryIds) {
    const primary = state.reservation(id);
    const own = (members.get(id) ?? []).sort((a, b) => compareIds(a.toolId, b.toolId));
    if (primary?.kind !== 'booking' || !own.length) continue;
    if ([primary, ...own].some((b) => b.state === 'in_use')) continue;
    groups.push({ primary, members: own });
  }
  return groups.sort((a, b) => a.primary.start - b.primary.start || compareIds(a.primary.id, b.primary.id));
}

const bookingsOf = (group: LinkedGroup): Booking[] => [group.primary, ...group.members];

const slotOf = (b: Booking): ToolSlot => ({ toolId: b.toolId, start: b.start, end: b.end });
