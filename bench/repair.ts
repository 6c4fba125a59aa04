import type {
  Booking,
  PlacementRequest,
  RepairPlan,
  SolverSnapshot,
  SolverState,
} from '../src/solver/index.js';
import {
  applyRepairPlan,
  buildSolverState,
  checkPlacement,
  generateFacility,
  repairAfterMaintenance,
  validateSchedule,
} from '../src/solver/index.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repairModel } from './support/repair-export.js';
import type { RepairScenario } from './support/repair-scenarios.js';
import { HISTORY_DAYS, NOW, SCENARIOS } from './support/repair-scenarios.js';
import { environment, measure, progress, round, summary } from './support/runner.js';

// Maintenance repair on a 40-tool line with a year of history: the implanter PM of the issue (48 h on
// the bottleneck, over a hundred bookings in the way) and three more (equivalent tools with changeovers,
// a week-long breakdown, a batch furnace). For each: the solver's time, what it keeps and how far it
// moves them, the upper bound on what any repair could keep, and the referee's verdict on the result.

const BENCH = 'repair';
const USAGE =
  'usage: npm run bench:repair [-- --export DIR]  (DIR: each scenario as JSON for bench/peers/cpsat_repair.py)';
const TOOLS = 40;
const DAY = 1_440;

let exportDir: string | undefined;
try {
  exportDir = parseArgs({ options: { export: { type: 'string' } } }).values.export;
} catch {
  console.error(USAGE);
  process.exit(2);
}

let started = performance.now();
const { snapshot } = generateFacility({
  seed: 2025,
  tools: TOOLS,
  historyDays: HISTORY_DAYS,
  hotspots: SCENARIOS.flatMap((s) => (s.hotspot === undefined ? [] : [s.hotspot])),
});
const bookings = snapshot.reservations.filter((r) => r.kind === 'booking').length;
progress(BENCH, `generated ${TOOLS} tools and ${bookings} bookings in ${ms(started)} ms`);

started = performance.now();
const historyViolations = validateSchedule(snapshot).length;
progress(BENCH, `referee: ${historyViolations} violations in the history (${ms(started)} ms)`);
if (historyViolations > 0) throw new Error('generated history is not clean');

started = performance.now();
const state = buildSolverState(snapshot);
progress(BENCH, `built the solver state in ${ms(started)} ms`);

const results: Record<string, unknown>[] = [];
for (const [i, scenario] of SCENARIOS.entries()) results.push(await run(scenario, i === 0 ? 2_000 : 1_000));
const [main, ...others] = results;
if ((main!.displaced as number) < 100)
  throw new Error(
    `only ${String(main!.displaced)} bookings displaced; the implanter scenario needs at least 100`,
  );
summary({
  bench: BENCH,
  tools: TOOLS,
  historyDays: HISTORY_DAYS,
  bookings,
  ...main,
  scenarios: others,
  ...environment(),
});

async function run(scenario: RepairScenario, timeMs: number): Promise<Record<string, unknown>> {
  const { window } = scenario;
  progress(BENCH, `${scenario.name}: ${scenario.what}`);
  if (exportDir !== undefined) {
    mkdirSync(exportDir, { recursive: true });
    const file = join(exportDir, `${scenario.name}.json`);
    writeFileSync(file, JSON.stringify(repairModel(scenario.name, window, state, NOW)));
    progress(BENCH, `${scenario.name}: the problem written to ${file}`);
  }
  const plan = repairAfterMaintenance(window, state, { now: NOW });
  const { metrics } = plan;
  progress(
    BENCH,
    `${scenario.name}: ${metrics.displaced} displaced, ${metrics.moved} moved (at most ${plan.upperBound} can be), ` +
      `${metrics.unplaceable} unplaceable, ${metrics.conflicts} in use; ${metrics.displacementMinutes} minutes moved`,
  );
  const timed = await measure(scenario.name, () => void repairAfterMaintenance(window, state, { now: NOW }), {
    timeMs,
  });
  progress(
    BENCH,
    `${scenario.name}: ${timed.runs} repairs timed: median ${round(timed.p50Micros / 1000, 2)} ms, p99 ${round(timed.p99Micros / 1000, 2)} ms`,
  );
  const refereeViolations = judge(plan, snapshot, state);
  progress(BENCH, `${scenario.name}: referee: ${refereeViolations} violations after applying the plan`);
  if (refereeViolations > 0) throw new Error(`${scenario.name}: the repaired calendar breaks a rule`);
  const count = <T extends string>(values: readonly T[]) =>
    Object.fromEntries([...new Set(values)].sort().map((v) => [v, values.filter((x) => x === v).length]));
  return {
    scenario: scenario.name,
    window: {
      toolIds: window.toolIds,
      start: new Date(window.start * 60_000).toISOString(),
      hours: (window.end - window.start) / 60,
      reason: window.reason,
    },
    solverMs: round(timed.p50Micros / 1000, 3),
    solverMsP99: round(timed.p99Micros / 1000, 3),
    runs: timed.runs,
    displaced: metrics.displaced,
    moved: metrics.moved,
    upperBound: plan.upperBound,
    placedShare: plan.upperBound === 0 ? 1 : round(metrics.moved / plan.upperBound, 4),
    unplaceable: metrics.unplaceable,
    conflicts: metrics.conflicts,
    displacementMinutes: metrics.displacementMinutes,
    meanDisplacementMinutes: metrics.moved === 0 ? 0 : round(metrics.displacementMinutes / metrics.moved, 1),
    movedToOtherTool: plan.moves.filter((m) => m.to.toolId !== m.from.toolId).length,
    moveReasons: count(plan.moves.map((m) => m.reason)),
    unplaceableReasons: count(plan.unplaceable.map((u) => u.reason)),
    tenantsTouched: metrics.tenantsTouched,
    refereeViolations,
  };
}

/** Applies the plan and counts what the referee objects to: on the window's tool types, and for every moved booking. */
function judge(repair: RepairPlan, full: SolverSnapshot, solverState: SolverState): number {
  const applied = buildSolverState(full);
  applyRepairPlan(repair, applied);
  const after = applied.toSnapshot();
  const types = new Set(repair.maintenance.map((m) => solverState.toolContext(m.toolId).tool.type));
  const onTypes = new Set(full.tools.filter((t) => types.has(t.type)).map((t) => t.id));
  const local: SolverSnapshot = {
    ...after,
    reservations: after.reservations.filter((r) => onTypes.has(r.toolId)),
  };
  const conflicted = new Set(repair.conflicts.map((c) => c.bookingId));
  let violations = validateSchedule(local).filter(
    (v) => !v.reservationIds.some((id) => conflicted.has(id)),
  ).length;
  const original = new Map(full.reservations.map((r) => [r.id, r]));
  for (const move of repair.moves) {
    const booking = original.get(move.bookingId) as Booking;
    const type = solverState.toolContext(booking.toolId).tool.type;
    const others = { ...local, reservations: local.reservations.filter((r) => r.id !== booking.id) };
    violations += checkPlacement(requestFor(booking, type), move.to, others, NOW).length;
  }
  return violations;
}

function requestFor(booking: Booking, toolType: string): PlacementRequest {
  const window = booking.allowedWindow ?? {
    earliestStart: booking.start - DAY,
    latestEnd: booking.end + DAY,
  };
  const { id, tenantId, userId, material, waferSize, contaminationGroup } = booking;
  return {
    id,
    tenantId,
    userId,
    target: { kind: 'toolType', toolType },
    durationMinutes: booking.end - booking.start,
    ...window,
    material,
    waferSize,
    contaminationGroup,
  };
}

function ms(since: number): number {
  return Math.round(performance.now() - since);
}
