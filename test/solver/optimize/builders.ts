import fc from 'fast-check';
import type { ProblemInput } from '../../../src/solver/optimize/problem.js';

const FAMILIES = ['A', 'B', 'C'];

export interface ProblemShape {
  /**
   * all: Q-time limits, changeovers, blocked time, batches, releases, min lags;
   * shop: releases and min lags only (still job-shop shaped); none: a plain (F)JSP.
   */
  features: 'all' | 'shop' | 'none';
  objective: 'makespan' | 'weightedTardiness' | 'stability' | 'any';
  /** Upper limits of the problem's size (defaults: 4 machines, 5 jobs of 4 operations, blocked time before 60). */
  size?: { machines?: number; jobs?: number; operations?: number; blockedBefore?: number; duration?: number };
}

/** Small random problems of the full model: lags, max lags, batches, changeovers, blocked time, releases. */
export function arbitraryProblem(shape: ProblemShape): fc.Arbitrary<ProblemInput> {
  const features = shape.features === 'all';
  const shop = shape.features !== 'none';
  const size = { machines: 4, jobs: 5, operations: 4, blockedBefore: 60, duration: 9, ...shape.size };
  const machineArb = (id: string) =>
    fc.record({
      id: fc.constant(id),
      capacity: features ? fc.integer({ min: 1, max: 3 }) : fc.constant(1),
      blocked: features
        ? fc.array(
            fc.tuple(fc.integer({ min: 0, max: size.blockedBefore }), fc.integer({ min: 1, max: Math.ceil(size.blockedBefore / 4) })).map(([s, d]) => ({ start: s, end: s + d })),
            { maxLength: 2 },
          )
        : fc.constant([] as { start: number; end: number }[]),
      changeovers: features
        ? fc.uniqueArray(
            fc.record({ from: fc.constantFrom(...FAMILIES), to: fc.constantFrom(...FAMILIES), minutes: fc.integer({ min: 0, max: 6 }) }),
            { maxLength: 4, selector: (c) => `${c.from}>${c.to}` },
          )
        : fc.constant([] as { from: string; to: string; minutes: number }[]),
    });
  return fc
    .integer({ min: 1, max: size.machines })
    .chain((nMachines) => {
      const ids = Array.from({ length: nMachines }, (_, k) => `M${k}`);
      return fc.tuple(fc.tuple(...ids.map(machineArb)), fc.constant(ids));
    })
    .chain(([machines, ids]) => {
      const operationArb = fc
        .record({
          machines: fc.subarray(ids, { minLength: 1 }),
          durations: fc.array(fc.integer({ min: 1, max: size.duration }), { minLength: ids.length, maxLength: ids.length }),
          family: fc.constantFrom(...FAMILIES),
          batchSize: fc.integer({ min: 1, max: 3 }),
          minLag: shop ? fc.integer({ min: 0, max: 3 }) : fc.constant(0),
          maxLagExtra: features ? fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }) : fc.constant(undefined),
        })
        .map((o) => {
          const cap = Math.min(...o.machines.map((id) => machines.find((m) => m.id === id)!.capacity));
          return {
            alternatives: o.machines.map((machine, k) => ({ machine, duration: o.durations[k]! })),
            family: o.family,
            batchSize: Math.min(o.batchSize, cap),
            minLagToNext: o.minLag,
            ...(o.maxLagExtra === undefined ? {} : { maxLagToNext: o.minLag + o.maxLagExtra }),
          };
        });
      const jobArb = (id: string) =>
        fc.record({
          id: fc.constant(id),
          operations: fc.array(operationArb, { minLength: 1, maxLength: size.operations }),
          release: shop ? fc.integer({ min: 0, max: 10 }) : fc.constant(0),
          due: fc.option(fc.integer({ min: 5, max: 60 }), { nil: undefined }),
          weight: fc.integer({ min: 1, max: 3 }),
        });
      const jobsArb = fc.integer({ min: 1, max: size.jobs }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, j) => jobArb(`J${j}`))));
      const kinds = shape.objective === 'any' ? (['makespan', 'weightedTardiness', 'stability'] as const) : [shape.objective];
      return fc.tuple(fc.constant(machines), jobsArb, fc.constantFrom(...kinds), fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 20, maxLength: 20 }));
    })
    .map(([machines, jobs, kind, starts]) => {
      const objective: ProblemInput['objective'] =
        kind === 'stability'
          ? {
              kind,
              machineChangeCost: 10,
              // A "current" placement (not necessarily feasible) for some of the ops.
              current: jobs.flatMap((job, j) =>
                job.operations.flatMap((op, k) =>
                  (j + k) % 3 === 2 ? [] : [{ job: job.id, operation: k, machine: op.alternatives[0]!.machine, start: starts[(j * 4 + k) % 20]! }],
                ),
              ),
            }
          : { kind };
      return { version: 1 as const, machines: [...machines], jobs: [...jobs], objective };
    });
}
