import type { LotExplanation } from '../domain/lot.js';
import { explanationView } from '../domain/placement.js';
import { assessTool, type Demand } from '../solver/eligibility.js';
import { checkPlacement, explainRequest } from '../solver/index.js';
import type { Booking, ContaminationGroup, Material, PlacementRequest, ToolSlot, WaferSize } from '../solver/model.js';
import { InfeasibleProblemError, optimize, type CurrentPlacement, type ProblemInput } from '../solver/optimize/index.js';
import { MAX_TIME } from '../solver/optimize/problem.js';
import type { SolverState, ToolContext } from '../solver/state.js';

// A lot route's steps placed together: the batch optimizer fits them into the live calendar
// (existing claims as blocked time, Q-time limits as maximum time lags), then the placement
// referee checks every step against every booking rule. All steps or none.

export interface RouteStep {
  seq: number;
  name: string;
  toolTypeId: string;
  durationMin: number;
  minLagToNextMin: number;
  maxLagToNextMin: number | null;
  contaminationGroup: ContaminationGroup;
}

export interface RouteDemand {
  tenantId: string;
  userId: string;
  material: Material;
  waferSize: WaferSize;
  /** The steps to place, in order. */
  steps: RouteStep[];
  earliestStart: number;
  latestEnd: number;
  /** Re-planning after a finished step: where it ended and its lags to the first step here. */
  after?: { end: number; minLag: number; maxLag: number | null };
  /** Re-planning: the steps' current slots, to change as little as possible. */
  current?: Map<number, ToolSlot>;
}

export type StepSlot = ToolSlot & { seq: number };


export type RoutePlan =
  | { kind: 'planned'; slots: StepSlot[]; qtimeExceededByMin: number }
  | { kind: 'unplaced'; explanation: LotExplanation };

export interface RoutePlanOptions {
  now: number;
  seed: number;
  timeLimitMs: number;
}

const farFuture = MAX_TIME - 1;

function requestFor(demand: RouteDemand, step: RouteStep, earliest: number, latest: number): PlacementRequest {
  return {
    id: `lot-step-${step.seq}`,
    tenantId: demand.tenantId,
    userId: demand.userId,
    target: { kind: 'toolType', toolType: step.toolTypeId },
    durationMinutes: step.durationMin,
    earliestStart: earliest,
    latestEnd: Math.max(latest, earliest + step.durationMin),
    material: demand.material,
    waferSize: demand.waferSize,
    contaminationGroup: step.contaminationGroup,
  };
}

/** Plans the route's steps on `state` (which it leaves as it found it). */
export async function planRoute(demand: RouteDemand, state: SolverState, options: RoutePlanOptions): Promise<RoutePlan> {
  const origin = Math.max(demand.earliestStart, options.now, demand.after ? demand.after.end + demand.after.minLag : 0);
  const latest = demand.latestEnd;

  // Tools each step may use: right type, material, size, contamination, qualification, in service.
  const candidates = new Map<number, ToolContext[]>();
  const explanation: LotExplanation = [];
  for (const step of demand.steps) {
    const stepDemand: Demand = { ...requestFor(demand, step, origin, latest), durationMinutes: step.durationMin };
    const open = (state.toolsByType.get(step.toolTypeId) ?? []).filter((c) => assessTool(stepDemand, c, state, options.now).kind === 'open');
    if (open.length === 0) {
      explanation.push({
        seq: step.seq,
        name: step.name,
        tools: explanationView(explainRequest(requestFor(demand, step, origin, latest), state, options.now)),
      });
    }
    candidates.set(step.seq, open);
  }
  if (explanation.length) return { kind: 'unplaced', explanation };

  // Each tool's blocked time: other claims (with their turnaround and the worst changeover), the
  // notice and advance limits of its policy, and everything after the route's window.
  const used = new Map<string, ToolContext>();
  for (const list of candidates.values()) for (const c of list) used.set(c.tool.id, c);
  const reservations = [...state.allReservations()];
  const machines = [...used.values()].map((context) => {
    const { policy, tool } = context;
    const blocked: Array<{ start: number; end: number }> = [];
    const add = (start: number, end: number) => {
      const s = Math.max(0, start - origin);
      const e = Math.min(farFuture, end - origin);
      if (e > s) blocked.push({ start: s, end: e });
    };
    for (const r of reservations) {
      if (r.toolId !== tool.id) continue;
      add(r.start, r.end + (r.kind === 'booking' ? policy.bufferAfterMinutes + context.maxChangeoverMinutes : 0));
    }
    add(origin, options.now + policy.minNoticeMinutes);
    if (Number.isFinite(policy.maxAdvanceMinutes)) add(options.now + policy.maxAdvanceMinutes, origin + farFuture);
    add(latest, origin + farFuture);
    return { id: tool.id, capacity: 1, blocked: mergeIntervals(blocked) };
  });

  const buffer = (c: ToolContext) => c.policy.bufferAfterMinutes;
  const problem: ProblemInput = {
    version: 1,
    machines,
    jobs: [
      {
        id: 'route',
        operations: demand.steps.map((step) => {
          const tools = candidates.get(step.seq)!;
          // The optimizer reserves a run with its tool's turnaround; lags count from the end of the
          // run itself, so they shrink by the turnaround (conservatively, the largest).
          const turnaround = Math.max(...tools.map(buffer));
          return {
            alternatives: tools.map((c) => ({ machine: c.tool.id, duration: step.durationMin + buffer(c) })),
            minLagToNext: Math.max(0, step.minLagToNextMin - Math.min(...tools.map(buffer))),
            ...(step.maxLagToNextMin === null ? {} : { maxLagToNext: Math.max(0, step.maxLagToNextMin - turnaround) }),
          };
        }),
      },
    ],
    objective: demand.current ? { kind: 'stability', current: currentPlacements(demand, origin) } : { kind: 'makespan' },
  };

  let result;
  try {
    result = await optimize(problem, { timeLimitMs: options.timeLimitMs, seed: options.seed, threads: 1, useWorkers: false });
  } catch (err) {
    if (!(err instanceof InfeasibleProblemError)) throw err;
    return { kind: 'unplaced', explanation: [{ seq: demand.steps[0]!.seq, name: demand.steps[0]!.name, tools: [], detail: noFitDetail(err) }] };
  }

  const slots: StepSlot[] = result.schedule.operations
    .slice()
    .sort((a, b) => a.operation - b.operation)
    .map((op) => {
      const step = demand.steps[op.operation]!;
      const start = origin + op.start;
      return { seq: step.seq, toolId: op.machine, start, end: start + step.durationMin };
    });
  return verify(demand, slots, state, options, origin, latest);
}

/** The referee's pass over the plan: every booking rule per step, the lags between them. */
function verify(demand: RouteDemand, slots: StepSlot[], state: SolverState, options: RoutePlanOptions, origin: number, latest: number): RoutePlan {
  const added: string[] = [];
  try {
    const explanation: LotExplanation = [];
    for (const [i, slot] of slots.entries()) {
      const step = demand.steps[i]!;
      if (slot.end > latest) {
        explanation.push({ seq: step.seq, name: step.name, tools: [], detail: 'the route does not fit before its latest end' });
        break;
      }
      const violations = checkPlacement(requestFor(demand, step, origin, latest), slot, state, options.now);
      if (violations.length) {
        explanation.push({ seq: step.seq, name: step.name, tools: [], detail: violations.map((v) => `${v.code}: ${v.detail}`).join('; ') });
        break;
      }
      const booking: Booking = {
        kind: 'booking',
        id: `lot-step-${step.seq}`,
        toolId: slot.toolId,
        start: slot.start,
        end: slot.end,
        state: 'held',
        tenantId: demand.tenantId,
        userId: demand.userId,
        material: demand.material,
        waferSize: demand.waferSize,
        contaminationGroup: step.contaminationGroup,
      };
      state.add(booking);
      added.push(booking.id);
      const next = slots[i + 1];
      if (next) {
        const lag = next.start - slot.end;
        if (lag < step.minLagToNextMin || (step.maxLagToNextMin !== null && lag > step.maxLagToNextMin)) {
          explanation.push({ seq: step.seq, name: step.name, tools: [], detail: `lag of ${lag} min to the next step is outside its limits` });
          break;
        }
      }
    }
    if (explanation.length) return { kind: 'unplaced', explanation };
    const first = slots[0]!;
    const qtimeExceededByMin =
      demand.after && demand.after.maxLag !== null ? Math.max(0, first.start - (demand.after.end + demand.after.maxLag)) : 0;
    return { kind: 'planned', slots, qtimeExceededByMin };
  } finally {
    for (const id of added) state.remove(id);
  }
}

function currentPlacements(demand: RouteDemand, origin: number): CurrentPlacement[] {
  return demand.steps.flatMap((step, operation) => {
    const slot = demand.current?.get(step.seq);
    return slot ? [{ job: 'route', operation, machine: slot.toolId, start: Math.max(0, slot.start - origin) }] : [];
  });
}

function mergeIntervals(intervals: Array<{ start: number; end: number }>) {
  const sorted = intervals.sort((a, b) => a.start - b.start);
  const merged: Array<{ start: number; end: number }> = [];
  for (const i of sorted) {
    const last = merged[merged.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ ...i });
  }
  return merged;
}

function noFitDetail(err: Error): string {
  return `no schedule fits the route's Q-time limits and the calendar in its window (${err.message})`;
}
