import type { Booking, PlacementRequest, RepairWindow, SolverSnapshot } from '../src/solver/index.js';
import {
  applyRepairPlan,
  buildSolverState,
  checkPlacement,
  generateFacility,
  DEFAULT_START,
  repairAfterMaintenance,
  validateSchedule,
  weekIndexOf,
  weekStartOf,
} from '../src/solver/index.js';
import { environment, measure, progress, round, summary } from './support/runner.js';

// A two-day preventive maintenance on the ion implanter, the line's bottleneck, planned a few days
// ahead on a 40-tool line with a year of history; the implanter's short bookings are dense that week.
// Measures the repair's solver time and what it does; the referee checks the repaired calendar.

const BENCH = 'repair';
const TOOLS = 40;
const HISTORY_DAYS = 365;
const DAY = 1_440;
const IMPLANTER = 'IMPL-1';

const now = DEFAULT_START + HISTORY_DAYS * DAY;
// The first Friday 09:00 (Hong Kong) at least two days after `now`, to Sunday 09:00.
let windowStart = weekStartOf(weekIndexOf(now)) + 4 * DAY + 9 * 60;
if (windowStart < now + 2 * DAY) windowStart += 7 * DAY;
const window: RepairWindow = {
  id: 'pm-implanter',
  toolIds: [IMPLANTER],
  start: windowStart,
  end: windowStart + 2 * DAY,
  reason: 'planned',
};

let started = performance.now();
const { snapshot } = generateFacility({
  seed: 2025,
  tools: TOOLS,
  historyDays: HISTORY_DAYS,
  hotspots: [
    {
      toolType: 'ht-implanter',
      from: window.start - 2 * 60,
      to: window.end,
      utilisation: 0.95,
      durationMinutes: [15, 20],
    },
  ],
});
const bookings = snapshot.reservations.filter((r) => r.kind === 'booking').length;
const inWindow = snapshot.reservations.filter(
  (r) => r.toolId === IMPLANTER && r.kind === 'booking' && r.start < window.end && r.end > window.start - 60,
);
progress(
  BENCH,
  `generated ${TOOLS} tools and ${bookings} bookings in ${ms(started)} ms; ${inWindow.length} implanter bookings near the 48 h window`,
);

started = performance.now();
const historyViolations = validateSchedule(snapshot).length;
progress(BENCH, `referee: ${historyViolations} violations in the history (${ms(started)} ms)`);
if (historyViolations > 0) throw new Error('generated history is not clean');

started = performance.now();
const state = buildSolverState(snapshot);
progress(BENCH, `built the solver state in ${ms(started)} ms`);

const plan = repairAfterMaintenance(window, state, { now });
const { metrics } = plan;
progress(
  BENCH,
  `plan: ${metrics.displaced} displaced, ${metrics.moved} moved, ${metrics.unplaceable} unplaceable, ${metrics.conflicts} in use`,
);
if (metrics.displaced < 100)
  throw new Error(`only ${metrics.displaced} bookings displaced; the bench needs at least 100`);

progress(BENCH, 'timing the repair with tinybench (2 s)…');
const timed = await measure(
  'repairAfterMaintenance',
  () => void repairAfterMaintenance(window, state, { now }),
  { timeMs: 2_000 },
);
progress(
  BENCH,
  `${timed.runs} repairs timed: median ${round(timed.p50Micros / 1000, 2)} ms, p99 ${round(timed.p99Micros / 1000, 2)} ms`,
);

started = performance.now();
const refereeViolations = judge(plan, snapshot);
progress(BENCH, `referee: ${refereeViolations} violations after applying the plan (${ms(started)} ms)`);
if (refereeViolations > 0) throw new Error('the repaired calendar breaks a rule');

const byTenant = new Map<string, number>();
for (const move of plan.moves) byTenant.set(move.tenantId, (byTenant.get(move.tenantId) ?? 0) + 1);
summary({
  bench: BENCH,
  tools: TOOLS,
  historyDays: HISTORY_DAYS,
  bookings,
  window: { toolId: IMPLANTER, start: new Date(window.start * 60_000).toISOString(), hours: 48 },
  solverMs: round(timed.p50Micros / 1000, 3),
  solverMsP99: round(timed.p99Micros / 1000, 3),
  runs: timed.runs,
  displaced: metrics.displaced,
  moved: metrics.moved,
  unplaceable: metrics.unplaceable,
  conflicts: metrics.conflicts,
  displacementMinutes: metrics.displacementMinutes,
  meanDisplacementMinutes: metrics.moved === 0 ? 0 : round(metrics.displacementMinutes / metrics.moved, 1),
  movedToOtherTool: plan.moves.filter((m) => m.to.toolId !== m.from.toolId).length,
  tenantsTouched: metrics.tenantsTouched,
  refereeViolations,
  ...environment(),
});

/** Applies the plan and counts what the referee objects to: on the implanter's type, and for every moved booking. */
function judge(repair: typeof plan, full: SolverSnapshot): number {
  const applied = buildSolverState(full);
  applyRepairPlan(repair, applied);
  const after = applied.toSnapshot();
  const type = full.tools.find((t) => t.id === IMPLANTER)!.type;
  const sameType = new Set(full.tools.filter((t) => t.type === type).map((t) => t.id));
  const local: SolverSnapshot = {
    ...after,
    reservations: after.reservations.filter((r) => sameType.has(r.toolId)),
  };
  const conflicted = new Set(repair.conflicts.map((c) => c.bookingId));
  let violations = validateSchedule(local).filter(
    (v) => !v.reservationIds.some((id) => conflicted.has(id)),
  ).length;
  const original = new Map(full.reservations.map((r) => [r.id, r]));
  for (const move of repair.moves) {
    const booking = original.get(move.bookingId) as Booking;
    const others = { ...local, reservations: local.reservations.filter((r) => r.id !== booking.id) };
    violations += checkPlacement(requestFor(booking, type), move.to, others, now).length;
  }
  return violations;
}

function requestFor(booking: Booking, toolType: string): PlacementRequest {
  const window = booking.allowedWindow ?? {
    earliestStart: booking.start - DAY,
    latestEnd: booking.end + DAY,
  };
  const { id, tenantId, userId, material, waferSize, contaminationGroup } = booking;
  const durationMinutes = booking.end - booking.start;
  return {
    id,
    tenantId,
    userId,
    target: { kind: 'toolType', toolType },
    durationMinutes,
    ...window,
    material,
    waferSize,
    contaminationGroup,
  };
}

function ms(since: number): number {
  return Math.round(performance.now() - since);
}
