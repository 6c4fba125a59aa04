import { parseArgs } from 'node:util';
import type {
  AllocationInput,
  Grant,
  PlacementRequest,
  Reservation,
  SolverSnapshot,
} from '../src/solver/index.js';
import {
  allocateFirstComeFirstServed,
  allocateRound,
  buildSolverState,
  checkPlacement,
  generateRoundScenario,
  validateSchedule,
} from '../src/solver/index.js';
import { environment, measure, progress, round, summary } from './support/runner.js';

// An allocation round on a seeded contested week (the SiC epi and GaN MOCVD reactors and the
// implanter, three tenant classes, twelve tenants, about twice as many hours asked as there are),
// allocated by the round and, on the same calendar, first come first served in submission order.
// Both answers are judged by the solver's independent referee, each grant also against its own
// request (window, tool type, notice); the round's time is measured with tinybench.

const BENCH = 'allocation';
const USAGE = 'usage: npm run bench:allocation [-- --seed N --iterations N --time-ms N]';

let flags: { seed: number; iterations: number | undefined; timeMs: number };
try {
  const { values } = parseArgs({
    options: { seed: { type: 'string' }, iterations: { type: 'string' }, 'time-ms': { type: 'string' } },
  });
  flags = {
    seed: Number(values.seed ?? 2027),
    iterations: values.iterations === undefined ? undefined : Number(values.iterations),
    timeMs: Number(values['time-ms'] ?? 4_000),
  };
  if (![flags.seed, flags.iterations ?? 1, flags.timeMs].every(Number.isInteger))
    throw new Error('not an integer');
} catch {
  console.error(USAGE);
  process.exit(2);
}

let started = performance.now();
const scenario = generateRoundScenario({ seed: flags.seed });
const { snapshot, input } = scenario;
const types = [...new Set(input.requests.map((r) => r.toolType))].sort();
const asked = Object.fromEntries(
  types.map((t) => [
    t,
    hours(input.requests.filter((r) => r.toolType === t).reduce((sum, r) => sum + r.durationMinutes, 0)),
  ]),
);
progress(
  BENCH,
  `generated ${input.requests.length} requests of ${snapshot.tenants.length} tenants on ${snapshot.tools.length} tools in ${ms(started)} ms; hours asked ${JSON.stringify(asked)}`,
);

started = performance.now();
const fcfs = allocateFirstComeFirstServed(input, buildSolverState(snapshot));
progress(
  BENCH,
  `first come first served: ${fcfs.grants.length} granted, ${hours(fcfs.figures.grantedMinutes)} h, deviation ${fcfs.figures.shareDeviationPts} points (${ms(started)} ms)`,
);

const state = buildSolverState(snapshot);
const options = { seed: 1, ...(flags.iterations === undefined ? {} : { iterations: flags.iterations }) };
started = performance.now();
const result = allocateRound(input, state, options);
progress(
  BENCH,
  `round: ${result.grants.length} granted, ${hours(result.figures.grantedMinutes)} h, deviation ${result.figures.shareDeviationPts} points, ${result.iterations} iterations (${ms(started)} ms)`,
);

progress(BENCH, `timing the round with tinybench for ${flags.timeMs} ms`);
let same = true;
const timed = await measure(
  'allocateRound',
  () => {
    const again = allocateRound(input, state, options);
    same &&=
      again.grants.length === result.grants.length &&
      again.figures.grantedMinutes === result.figures.grantedMinutes;
  },
  { timeMs: flags.timeMs, warmupMs: 0, minRuns: 3 },
);
if (!same) throw new Error('the round gave a different answer for the same seed');

started = performance.now();
const roundViolations = refereeVerdict(snapshot, input, result.grants);
const fcfsViolations = refereeVerdict(snapshot, input, fcfs.grants);
progress(
  BENCH,
  `referee: round ${roundViolations.length} violations, first come first served ${fcfsViolations.length} (${ms(started)} ms)`,
);
for (const v of roundViolations.slice(0, 5)) progress(BENCH, `  ${v}`);

const reasons: Record<string, number> = {};
for (const l of result.leftOut) reasons[l.reason] = (reasons[l.reason] ?? 0) + 1;
summary({
  bench: BENCH,
  seed: flags.seed,
  requests: input.requests.length,
  tenants: snapshot.tenants.length,
  tools: snapshot.tools.length,
  hoursAsked: asked,
  freeHours: Object.fromEntries(result.figures.pools.map((p) => [p.toolType, hours(p.freeMinutes)])),
  grantedHoursRound: hours(result.figures.grantedMinutes),
  grantedHoursFcfs: hours(fcfs.figures.grantedMinutes),
  grantedHoursRatio: round(result.figures.grantedMinutes / Math.max(1, fcfs.figures.grantedMinutes), 4),
  shareDeviationPts: result.figures.shareDeviationPts,
  maxToolTypeDeviationPts: result.figures.maxPoolDeviationPts,
  shareDeviationPtsFcfs: fcfs.figures.shareDeviationPts,
  maxToolTypeDeviationPtsFcfs: fcfs.figures.maxPoolDeviationPts,
  jainIndex: result.figures.jainIndex,
  jainIndexFcfs: fcfs.figures.jainIndex,
  classes: Object.fromEntries(
    result.figures.classes.map((c) => [
      c.tenantClass,
      {
        targetPct: c.effectiveTargetPct,
        roundPct: c.grantedPct,
        fcfsPct: fcfs.figures.classes.find((f) => f.tenantClass === c.tenantClass)!.grantedPct,
      },
    ]),
  ),
  leftOutReasons: reasons,
  iterations: result.iterations,
  solverMs: round(timed.p50Micros / 1000, 1),
  solverMsMean: round(timed.meanMicros / 1000, 1),
  solverRuns: timed.runs,
  refereeViolations: roundViolations.length,
  refereeViolationsFcfs: fcfsViolations.length,
  ...environment(),
});

/**
 * Every broken rule of the calendar with the grants in (the referee), and each grant checked against
 * its own request (its window, tool type and notice) beside the calendar and the other grants.
 */
function refereeVerdict(base: SolverSnapshot, round: AllocationInput, grants: readonly Grant[]): string[] {
  const byId = new Map(round.requests.map((r) => [r.id, r]));
  const bookings = grants.map((g): Reservation => {
    const r = byId.get(g.requestId)!;
    return {
      kind: 'booking',
      id: g.requestId,
      toolId: g.toolId,
      start: g.start,
      end: g.end,
      state: 'confirmed',
      tenantId: r.tenantId,
      userId: r.userId,
      material: r.material,
      waferSize: r.waferSize,
      contaminationGroup: r.contaminationGroup,
    };
  });
  const found = validateSchedule({ ...base, reservations: [...base.reservations, ...bookings] }).map(
    (v) => `${v.code}: ${v.detail}`,
  );
  grants.forEach((g, i) => {
    const r = byId.get(g.requestId)!;
    const request: PlacementRequest = {
      id: r.id,
      tenantId: r.tenantId,
      userId: r.userId,
      target: r.toolIds ? { kind: 'tools', toolIds: r.toolIds } : { kind: 'toolType', toolType: r.toolType },
      durationMinutes: r.durationMinutes,
      earliestStart: r.earliestStart,
      latestEnd: r.latestEnd,
      material: r.material,
      waferSize: r.waferSize,
      contaminationGroup: r.contaminationGroup,
    };
    const others = [...base.reservations, ...bookings.filter((_, j) => j !== i)];
    for (const v of checkPlacement(request, g, { ...base, reservations: others }, round.now))
      found.push(`${v.code}: ${v.detail}`);
  });
  return found;
}

function hours(minutes: number): number {
  return round(minutes / 60, 2);
}

function ms(since: number): number {
  return Math.round(performance.now() - since);
}
