import type { PlacementRequest, SolverSnapshot } from '../src/solver/index.js';
import {
  buildSolverState,
  checkPlacement,
  generateFacility,
  generateRequests,
  placeBooking,
  validateSchedule,
} from '../src/solver/index.js';
import { environment, measure, progress, round, summary } from './support/runner.js';

// Online placement against a year of history on a 40-tool pilot line: how many requests per second
// one core answers, and the latency spread. The referee checks the history and a sample of answers.

const BENCH = 'placement';
const TOOLS = 40;
const HISTORY_DAYS = 365;
const REQUESTS = 20_000;
const CHECKED = 400;

let started = performance.now();
const facility = generateFacility({ seed: 2025, tools: TOOLS, historyDays: HISTORY_DAYS });
const { snapshot, now } = facility;
const bookings = snapshot.reservations.filter((r) => r.kind === 'booking').length;
progress(
  BENCH,
  `generated ${TOOLS} tools, ${bookings} bookings and ${snapshot.reservations.length - bookings} maintenance windows in ${ms(started)} ms`,
);

started = performance.now();
const violations = validateSchedule(snapshot);
progress(BENCH, `referee: ${violations.length} violations in the history (${ms(started)} ms)`);
if (violations.length > 0)
  throw new Error(`generated history is not clean: ${JSON.stringify(violations.slice(0, 3))}`);

started = performance.now();
const state = buildSolverState(snapshot);
progress(BENCH, `built the solver state in ${ms(started)} ms`);

const requests = generateRequests(snapshot, { seed: 7, count: REQUESTS, now });
let feasible = 0;
started = performance.now();
for (const request of requests) if (placeBooking(request, state, now).status === 'feasible') feasible++;
const batchMs = performance.now() - started;
progress(BENCH, `placed ${REQUESTS} requests in one cold pass (JIT warming up): ${ms(started)} ms, ${feasible} feasible`);

const checked = refereeSample(requests.slice(0, CHECKED), snapshot);
progress(
  BENCH,
  `referee: ${checked.options} options of ${CHECKED} requests checked, ${checked.violations} violations`,
);
if (checked.violations > 0) throw new Error('placement returned an option the referee rejects');

progress(BENCH, 'timing single placements with tinybench (3 s)…');
let next = 0;
const timed = await measure(
  'placeBooking',
  () => void placeBooking(requests[next++ % REQUESTS]!, state, now),
  { timeMs: 3_000 },
);
progress(
  BENCH,
  `${timed.runs} placements timed: ${timed.opsPerSec}/s, p50 ${timed.p50Micros} µs, p99 ${timed.p99Micros} µs`,
);

summary({
  bench: BENCH,
  tools: TOOLS,
  historyDays: HISTORY_DAYS,
  bookings,
  maintenanceWindows: snapshot.reservations.length - bookings,
  requests: REQUESTS,
  feasibleShare: round(feasible / REQUESTS, 3),
  placementsPerSec: timed.opsPerSec,
  p50Micros: timed.p50Micros,
  p99Micros: timed.p99Micros,
  meanMicros: timed.meanMicros,
  coldPassPlacementsPerSec: Math.round((REQUESTS / batchMs) * 1000),
  refereeCheckedOptions: checked.options,
  refereeViolations: checked.violations,
  ...environment(),
});

/** Every option of the sampled requests, judged by checkPlacement on the reservations of the same tool type. */
function refereeSample(
  sample: readonly PlacementRequest[],
  full: SolverSnapshot,
): { options: number; violations: number } {
  const typeOf = new Map(full.tools.map((t) => [t.id, t.type]));
  const byType = new Map<string, SolverSnapshot>();
  for (const type of new Set(typeOf.values())) {
    byType.set(type, {
      ...full,
      reservations: full.reservations.filter((r) => typeOf.get(r.toolId) === type),
    });
  }
  let options = 0;
  let violations = 0;
  for (const request of sample) {
    const result = placeBooking(request, state, now);
    if (result.status !== 'feasible') continue;
    for (const option of result.options) {
      options++;
      violations += checkPlacement(request, option, byType.get(typeOf.get(option.toolId)!)!, now).length;
    }
  }
  return { options, violations };
}

function ms(since: number): number {
  return Math.round(performance.now() - since);
}
