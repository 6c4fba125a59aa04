import { linkedGroupViolations } from './check-linked.js';
import { minutesByWeek, Rulebook } from './check-rules.js';
import type {
  Booking,
  PlacementRequest,
  Reservation,
  SolverSnapshot,
  Tool,
  ToolSlot,
  Violation,
} from './model.js';
import { SolverState } from './state.js';

// The referee: lists every broken constraint of a schedule. Written apart from placement (no timeline,
// no policy index, no gap search) so that tests and benches can trust it to judge the solver.

/** Every violated constraint of the schedule; an empty list means the schedule is sound. */
export function validateSchedule(schedule: SolverState | SolverSnapshot): Violation[] {
  const snapshot = schedule instanceof SolverState ? schedule.toSnapshot() : schedule;
  const rules = new Rulebook(snapshot);
  const violations: Violation[] = [];
  const seen = new Set<string>();
  const byTool = new Map<string, Reservation[]>();
  for (const r of snapshot.reservations) {
    if (seen.has(r.id))
      violations.push({
        code: 'DUPLICATE_ID',
        reservationIds: [r.id],
        toolId: r.toolId,
        detail: `${r.id} appears twice`,
      });
    seen.add(r.id);
    if (r.end <= r.start) {
      violations.push({
        code: 'INVALID_INTERVAL',
        reservationIds: [r.id],
        toolId: r.toolId,
        detail: `end ${r.end} is not after start ${r.start}`,
      });
      continue;
    }
    const tool = rules.tool(r.toolId);
    if (tool === undefined) {
      violations.push({ code: 'UNKNOWN_TOOL', reservationIds: [r.id], detail: `no tool ${r.toolId}` });
      continue;
    }
    const onTool = byTool.get(tool.id);
    if (onTool === undefined) byTool.set(tool.id, [r]);
    else onTool.push(r);
    if (r.kind !== 'booking') continue;
    if (rules.tenantClass(r.tenantId) === undefined) {
      violations.push({
        code: 'UNKNOWN_TENANT',
        reservationIds: [r.id],
        tenantId: r.tenantId,
        detail: `no tenant ${r.tenantId}`,
      });
    }
    violations.push(...rules.bookingViolations(r, tool));
  }
  for (const [toolId, reservations] of [...byTool].sort(([a], [b]) => (a < b ? -1 : 1))) {
    violations.push(...sequenceViolations(rules.tool(toolId)!, reservations, rules));
  }
  violations.push(...quotaViolations(snapshot, rules));
  violations.push(...linkedGroupViolations(snapshot));
  return violations;
}

/**
 * What breaks if `option` is booked for `request` now: the request's own window and target, notice
 * and advance, the tool fit, and every constraint between the new booking and the schedule.
 */
export function checkPlacement(
  request: PlacementRequest,
  option: ToolSlot,
  schedule: SolverState | SolverSnapshot,
  now: number,
): Violation[] {
  const snapshot = schedule instanceof SolverState ? schedule.toSnapshot() : schedule;
  const rules = new Rulebook(snapshot);
  const tool = rules.tool(option.toolId);
  if (tool === undefined)
    return [{ code: 'UNKNOWN_TOOL', reservationIds: [request.id], detail: `no tool ${option.toolId}` }];
  const booking: Booking = {
    kind: 'booking',
    id: request.id,
    toolId: tool.id,
    start: option.start,
    end: option.end,
    state: 'held',
    tenantId: request.tenantId,
    userId: request.userId,
    material: request.material,
    waferSize: request.waferSize,
    contaminationGroup: request.contaminationGroup,
  };
  const violations: Violation[] = [];
  const flag = (code: Violation['code'], detail: string, others: string[] = []) =>
    violations.push({
      code,
      reservationIds: [booking.id, ...others],
      toolId: tool.id,
      tenantId: booking.tenantId,
      detail,
    });
  const target = request.target;
  if (target.kind === 'toolType' ? tool.type !== target.toolType : !target.toolIds.includes(tool.id))
    flag('WRONG_TOOL', `${tool.id} is not a tool the request asked for`);
  if (tool.status !== 'up') flag('TOOL_DOWN', `${tool.id} is ${tool.status}`);
  if (option.end - option.start !== request.durationMinutes)
    flag('INVALID_INTERVAL', `lasts ${option.end - option.start}, not ${request.durationMinutes} minutes`);
  if (option.start < request.earliestStart || option.end > request.latestEnd)
    flag('OUTSIDE_POLICY', 'REQUEST_WINDOW: outside the requested window');
  const minNotice = rules.policyValue(tool, 'minNoticeMinutes') ?? 0;
  if (option.start < now + minNotice)
    flag('OUTSIDE_POLICY', `MIN_NOTICE: starts less than ${minNotice} minutes from now`);
  const maxAdvance = rules.policyValue(tool, 'maxAdvanceMinutes');
  if (maxAdvance !== undefined && option.start > now + maxAdvance)
    flag('OUTSIDE_POLICY', `MAX_ADVANCE: starts more than ${maxAdvance} minutes ahead`);
  const tenantClass = rules.tenantClass(booking.tenantId);
  if (tenantClass === undefined) flag('UNKNOWN_TENANT', `no tenant ${booking.tenantId}`);
  violations.push(...rules.bookingViolations(booking, tool));

  const onTool = snapshot.reservations.filter((r) => r.toolId === tool.id);
  const buffer = rules.bufferAfter(tool);
  const footprintEnd = (r: Reservation) => (r.kind === 'booking' ? r.end + buffer : r.end);
  for (const r of onTool) {
    if (r.start < footprintEnd(booking) && footprintEnd(r) > booking.start) {
      flag(
        r.kind === 'booking' ? 'OVERLAP' : 'MAINTENANCE_OVERLAP',
        `overlaps ${r.id} [${r.start}, ${footprintEnd(r)})`,
        [r.id],
      );
    }
  }
  const before = lastStartingBy(onTool, booking.start);
  const after = firstStartingAfter(onTool, booking.start);
  if (before?.kind === 'booking' && footprintEnd(before) <= booking.start) {
    const required = buffer + rules.changeover(tool, before, booking);
    if (booking.start - before.end < required)
      flag('CHANGEOVER', `needs ${required} minutes after ${before.id}`, [before.id]);
  }
  if (after?.kind === 'booking' && footprintEnd(booking) <= after.start) {
    const required = buffer + rules.changeover(tool, booking, after);
    if (after.start - booking.end < required)
      flag('CHANGEOVER', `needs ${required} minutes before ${after.id}`, [after.id]);
  }

  const limit = tenantClass === undefined ? undefined : rules.weeklyQuotaMinutes(tool.type, tenantClass);
  if (limit !== undefined) {
    for (const [weekStart, minutes] of minutesByWeek(booking.start, booking.end)) {
      let used = 0;
      for (const r of snapshot.reservations) {
        if (
          r.kind === 'booking' &&
          r.tenantId === booking.tenantId &&
          rules.tool(r.toolId)?.type === tool.type
        ) {
          used += minutesByWeek(r.start, r.end).get(weekStart) ?? 0;
        }
      }
      if (used + minutes > limit)
        flag('QUOTA_EXCEEDED', `week of ${weekStart}: ${used} + ${minutes} > ${limit} minutes`);
    }
  }
  return violations;
}

/** Overlapping footprints and short changeovers between neighbours on one tool. */
function sequenceViolations(tool: Tool, reservations: readonly Reservation[], rules: Rulebook): Violation[] {
  const violations: Violation[] = [];
  const sorted = [...reservations].sort((a, b) => a.start - b.start);
  const buffer = rules.bufferAfter(tool);
  const footprintEnd = (r: Reservation) => (r.kind === 'booking' ? r.end + buffer : r.end);
  let open: Reservation[] = [];
  sorted.forEach((r, i) => {
    open = open.filter((o) => footprintEnd(o) > r.start);
    for (const o of open) {
      if (o.kind === 'maintenance' && r.kind === 'maintenance') continue;
      const code = o.kind === 'booking' && r.kind === 'booking' ? 'OVERLAP' : 'MAINTENANCE_OVERLAP';
      violations.push({
        code,
        reservationIds: [o.id, r.id],
        toolId: tool.id,
        detail: `${o.id} and ${r.id} overlap on ${tool.id}`,
      });
    }
    open.push(r);
    const before = sorted[i - 1];
    if (before?.kind === 'booking' && r.kind === 'booking' && footprintEnd(before) <= r.start) {
      const required = buffer + rules.changeover(tool, before, r);
      if (r.start - before.end < required) {
        violations.push({
          code: 'CHANGEOVER',
          reservationIds: [before.id, r.id],
          toolId: tool.id,
          detail: `${r.id} starts ${r.start - before.end} minutes after ${before.id}, needs ${required}`,
        });
      }
    }
  });
  return violations;
}

/** Weeks in which a tenant has more hours on a tool type than its quota allows. */
function quotaViolations(snapshot: SolverSnapshot, rules: Rulebook): Violation[] {
  const usage = new Map<
    string,
    { tenantId: string; toolType: string; weekStart: number; minutes: number; ids: string[] }
  >();
  const count = (tenantId: string, toolType: string, start: number, end: number, id: string | undefined) => {
    for (const [weekStart, minutes] of minutesByWeek(start, end)) {
      const key = `${tenantId}\u0000${toolType}\u0000${weekStart}`;
      const entry = usage.get(key) ?? { tenantId, toolType, weekStart, minutes: 0, ids: [] };
      entry.minutes += minutes;
      if (id !== undefined) entry.ids.push(id);
      usage.set(key, entry);
    }
  };
  for (const r of snapshot.reservations) {
    const tool = rules.tool(r.toolId);
    if (r.kind !== 'booking' || tool === undefined || r.end <= r.start) continue;
    count(r.tenantId, tool.type, r.start, r.end, r.id);
  }
  // Time already had (completed, no-shows) counts toward the week's quota but is no reservation.
  for (const use of snapshot.quotaUse ?? []) if (use.end > use.start) count(use.tenantId, use.toolType, use.start, use.end, undefined);
  const violations: Violation[] = [];
  for (const entry of usage.values()) {
    const tenantClass = rules.tenantClass(entry.tenantId);
    const limit =
      tenantClass === undefined ? undefined : rules.weeklyQuotaMinutes(entry.toolType, tenantClass);
    // Past use alone over the limit (a quota lowered since) is no fault of any reservation.
    if (limit !== undefined && entry.minutes > limit && entry.ids.length > 0) {
      violations.push({
        code: 'QUOTA_EXCEEDED',
        reservationIds: entry.ids,
        tenantId: entry.tenantId,
        detail: `${entry.tenantId} has ${entry.minutes} minutes on ${entry.toolType} in the week of ${entry.weekStart}, allowed ${limit}`,
      });
    }
  }
  return violations;
}

/** The reservation starting last at or before `minute`. */
function lastStartingBy(reservations: readonly Reservation[], minute: number): Reservation | undefined {
  let found: Reservation | undefined;
  for (const r of reservations)
    if (r.start <= minute && (found === undefined || r.start >= found.start)) found = r;
  return found;
}

/** The reservation starting first after `minute`. */
function firstStartingAfter(reservations: readonly Reservation[], minute: number): Reservation | undefined {
  let found: Reservation | undefined;
  for (const r of reservations)
    if (r.start > minute && (found === undefined || r.start < found.start)) found = r;
  return found;
}
