import { assessTool } from '../eligibility.js';
import { explainTool } from '../explain.js';
import type { Journal } from '../journal.js';
import type {
  Booking,
  Maintenance,
  RepairConflict,
  RepairMove,
  RepairPlan,
  RepairUnplaceable,
  RepairWindow,
  ToolSlot,
} from '../model.js';
import { SOLVER_MODEL_VERSION } from '../model.js';
import type { SolverState } from '../state.js';
import { compareIds } from '../state.js';
import { earliestSlot } from '../timeline.js';
import type { RepairJob } from './problem.js';
import type { RepairSchedule, Slot } from './schedule.js';

export interface PlanInput {
  readonly window: RepairWindow;
  readonly maintenance: readonly Maintenance[];
  readonly conflicts: readonly RepairConflict[];
  readonly schedule: RepairSchedule;
  /** Each job's cheapest start with no other job placed (undefined: none at all). */
  readonly alone: readonly (Slot | undefined)[];
  readonly upperBound: number;
  readonly now: number;
}

/**
 * The plan of a solved schedule. Puts the moved bookings into the state through the journal (the
 * caller rolls back), checking each against the state's own timeline and policy reading first, so a
 * slip in the search's lanes can never reach a plan; then explains the ones left out on that calendar.
 */
export function planOf(input: PlanInput, state: SolverState, journal: Journal): RepairPlan {
  const { schedule, alone, window, now } = input;
  const jobs = [...schedule.problem.jobs].sort(
    (a, b) => a.booking.start - b.booking.start || compareIds(a.booking.id, b.booking.id),
  );
  const moves: RepairMove[] = [];
  for (const job of jobs) {
    if (!schedule.isPlaced(job.index)) continue;
    const to = placedSlot(job, schedule);
    admit(job, to, state, now);
    journal.add({ ...job.booking, toolId: to.toolId, start: to.start, end: to.end });
    // Alone it could have had no cheaper start than this, or the others took the nearer ones.
    const nearest = alone[job.index]!.cost;
    moves.push({
      bookingId: job.booking.id,
      tenantId: job.booking.tenantId,
      from: slotOf(job.booking),
      to,
      reason: costAt(job, schedule) <= nearest ? 'NEAREST_FREE_START' : 'MOVED_FURTHER_TO_MAKE_ROOM',
    });
  }
  const unplaceable: RepairUnplaceable[] = jobs
    .filter((job) => !schedule.isPlaced(job.index))
    .map((job) => ({
      bookingId: job.booking.id,
      tenantId: job.booking.tenantId,
      from: slotOf(job.booking),
      reason: alone[job.index] === undefined ? 'NO_FREE_START' : 'TAKEN_BY_EQUAL_OR_HIGHER_PRIORITY',
      explanation: job.candidates.map((c) => explainTool(job.demand, c, state, now)),
    }));
  const tenants = new Set([...moves, ...unplaceable].map((x) => x.tenantId));
  return {
    version: SOLVER_MODEL_VERSION,
    windowId: window.id,
    maintenance: [...input.maintenance],
    moves,
    unplaceable,
    conflicts: [...input.conflicts].sort(
      (a, b) => a.at.start - b.at.start || compareIds(a.bookingId, b.bookingId),
    ),
    metrics: {
      displaced: moves.length + unplaceable.length,
      moved: moves.length,
      unplaceable: unplaceable.length,
      conflicts: input.conflicts.length,
      displacementMinutes: moves.reduce((sum, m) => sum + Math.abs(m.to.start - m.from.start), 0),
      tenantsTouched: tenants.size,
    },
    upperBound: input.upperBound,
  };
}

function placedSlot(job: RepairJob, schedule: RepairSchedule): ToolSlot {
  const option = job.options[schedule.optionOf[job.index]!]!;
  const start = schedule.startOf[job.index]!;
  const toolId = schedule.problem.tools[option.tool]!.context.tool.id;
  return { toolId, start, end: start + job.duration };
}

function costAt(job: RepairJob, schedule: RepairSchedule): number {
  const option = job.options[schedule.optionOf[job.index]!]!;
  return Math.abs(schedule.startOf[job.index]! - job.target) + option.penalty;
}

/** Throws unless the state's own timeline and policy reading accept the job at `to`. */
function admit(job: RepairJob, to: ToolSlot, state: SolverState, now: number): void {
  const context = state.toolContext(to.toolId);
  const query = {
    durationMinutes: job.duration,
    setup: job.setup,
    earliestStart: to.start,
    latestStart: to.start,
  };
  const assessment = assessTool(job.demand, context, state, now);
  const inPolicy =
    assessment.kind === 'open' && assessment.ranges.some((r) => r.from <= to.start && to.start <= r.to);
  if (!inPolicy || earliestSlot(context.timeline, query)?.start !== to.start)
    throw new Error(
      `repair search placed ${job.booking.id} where it does not fit (${to.toolId} at ${to.start})`,
    );
}

function slotOf(booking: Booking): ToolSlot {
  return { toolId: booking.toolId, start: booking.start, end: booking.end };
}
