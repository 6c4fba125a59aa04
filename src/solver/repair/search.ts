import { Prng } from '../generate/prng.js';
import { reassignSlots } from './assignment.js';
import type { RepairBound } from './bound.js';
import { constructTightestFirst } from './construct.js';
import { EXACT_MAX_JOBS, keepExactly } from './exact.js';
import { keepByEjection, sweepPriorities } from './keep.js';
import { improveByLns } from './lns.js';
import type { RepairSchedule } from './schedule.js';

/** The improvement after the first (greedy) answer. Same input and seed, same plan, unless `shouldStop` cuts it short. */
export interface RepairSearchOptions {
  readonly seed?: number;
  /** Large-neighbourhood iterations at most (default 1,000); 0 stops after the slot reassignment. */
  readonly iterations?: number;
  /** Steps allowed to ejection chains and pushes (default 20,000), and as many to the branch-and-bound. */
  readonly effort?: number;
  /** An injected deadline, asked between iterations (the solver reads no clock). */
  readonly shouldStop?: () => boolean;
}

/** Large-neighbourhood iterations between two slot reassignments; a round without gain ends the search. */
const ROUND = 250;

/**
 * The whole search on an empty schedule: tightest first; then keep more (the priority sweep, pushes and
 * ejection chains, an exact branch-and-bound for few jobs) until the bound says no more can be kept;
 * then less displacement (slot reassignment, large-neighbourhood search); the sweep again at the end,
 * so the priority rule holds in the answer whatever the budget.
 */
export function searchRepair(
  schedule: RepairSchedule,
  bound: RepairBound,
  options: RepairSearchOptions = {},
): void {
  const shouldStop = options.shouldStop ?? (() => false);
  const effort = { left: options.effort ?? 20_000 };
  const proven = () => {
    let kept = 0;
    return bound.keptUpToLevel.every((limit, level) => (kept += schedule.kept[level]!) >= limit);
  };
  constructTightestFirst(schedule, bound.freeStarts);
  sweepPriorities(schedule, bound.freeStarts, effort);
  if (!proven()) keepByEjection(schedule, bound.freeStarts, effort, proven);
  if (!proven() && schedule.problem.jobs.length <= EXACT_MAX_JOBS)
    keepExactly(schedule, bound.freeStarts, { left: options.effort ?? 20_000 });
  reassignSlots(schedule);
  const iterations = options.iterations ?? 1_000;
  const rng = new Prng(options.seed ?? 1);
  // Few jobs have few neighbourhoods worth trying: give up sooner without gain.
  const patience = Math.min(ROUND, 10 * schedule.problem.jobs.length + 20);
  for (let done = 0; done < iterations && !shouldStop(); done += ROUND) {
    const budget = { iterations: Math.min(ROUND, iterations - done), patience, shouldStop };
    const revision = schedule.revision;
    const ran = improveByLns(schedule, bound.freeStarts, rng, budget);
    // The slots only change when the round moved something.
    const reassigned = schedule.revision !== revision && reassignSlots(schedule);
    if (ran < budget.iterations && !reassigned) break;
  }
  // Displacement moves keep the counts, but may open room a left-out job of higher priority could use.
  sweepPriorities(schedule, bound.freeStarts, effort);
}
