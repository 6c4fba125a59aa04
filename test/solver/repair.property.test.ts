import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  Booking,
  PlacementRequest,
  RepairPlan,
  RepairWindow,
  SolverSnapshot,
} from '../../src/solver/index.js';
import {
  applyRepairPlan,
  buildSolverState,
  checkPlacement,
  repairAfterMaintenance,
  validateSchedule,
} from '../../src/solver/index.js';
import { facilityArb, HORIZON, ORIGIN } from './scenarios.js';

const FLEX = 120;

interface RepairScenario {
  readonly snapshot: SolverSnapshot;
  readonly window: RepairWindow;
  readonly now: number;
}

const repairScenarioArb: fc.Arbitrary<RepairScenario> = facilityArb.chain((snapshot) =>
  fc
    .record({
      toolIds: fc.subarray(
        snapshot.tools.map((t) => t.id),
        { minLength: 1, maxLength: Math.min(2, snapshot.tools.length) },
      ),
      start: fc.integer({ min: ORIGIN - 120, max: ORIGIN + HORIZON - 60 }),
      length: fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 15, max: 120 }) },
        { weight: 1, arbitrary: fc.integer({ min: 120, max: 480 }) },
      ),
      lead: fc.integer({ min: 0, max: 600 }),
      early: fc.boolean(),
    })
    .map(({ toolIds, start, length, lead, early }) => ({
      snapshot,
      window: { id: 'pm', toolIds, start, end: start + length, reason: 'planned' as const },
      // Usually planned ahead of every booking; sometimes at short notice, with bookings already under way.
      now: early ? ORIGIN - 300 - lead : start - lead,
    })),
);

/** The request a displaced booking stands for: its own window (or the default flex), on its tool type. */
function requestFor(booking: Booking, snapshot: SolverSnapshot): PlacementRequest {
  const window = booking.allowedWindow ?? {
    earliestStart: Math.max(0, booking.start - FLEX),
    latestEnd: booking.end + FLEX,
  };
  const toolType = snapshot.tools.find((t) => t.id === booking.toolId)!.type;
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

function typeOf(snapshot: SolverSnapshot, toolId: string): string | undefined {
  return snapshot.tools.find((t) => t.id === toolId)?.type;
}

function applied(snapshot: SolverSnapshot, plan: RepairPlan): SolverSnapshot {
  const state = buildSolverState(snapshot);
  applyRepairPlan(plan, state);
  return state.toSnapshot();
}

describe('repairAfterMaintenance (properties)', () => {
  it('leaves no overlaps once applied, except maintenance over the in-use bookings it lists as conflicts', () => {
    fc.assert(
      fc.property(repairScenarioArb, ({ snapshot, window, now }) => {
        const plan = repairAfterMaintenance(window, buildSolverState(snapshot), {
          now,
          defaultFlexMinutes: FLEX,
        });
        const violations = validateSchedule(applied(snapshot, plan));
        const conflicted = new Set(plan.conflicts.map((c) => c.bookingId));
        for (const v of violations) {
          expect(v.code).toBe('MAINTENANCE_OVERLAP');
          expect(v.reservationIds.some((id) => conflicted.has(id))).toBe(true);
        }
        for (const c of plan.conflicts)
          expect(violations.some((v) => v.reservationIds.includes(c.bookingId))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('moves each displaced booking to a slot that keeps every rule, and explains every one it cannot move', () => {
    fc.assert(
      fc.property(repairScenarioArb, ({ snapshot, window, now }) => {
        const plan = repairAfterMaintenance(window, buildSolverState(snapshot), {
          now,
          defaultFlexMinutes: FLEX,
        });
        const after = applied(snapshot, plan);
        const original = new Map(snapshot.reservations.map((r) => [r.id, r]));
        for (const move of plan.moves) {
          const booking = original.get(move.bookingId) as Booking;
          const others = { ...after, reservations: after.reservations.filter((r) => r.id !== booking.id) };
          expect(checkPlacement(requestFor(booking, snapshot), move.to, others, now)).toEqual([]);
        }
        for (const stuck of plan.unplaceable) {
          expect(stuck.explanation.length).toBeGreaterThan(0);
          for (const tool of stuck.explanation) expect(tool.reasons.length).toBeGreaterThan(0);
          // Nothing in the final calendar would have taken it: scan its window minute by minute.
          const request = requestFor(original.get(stuck.bookingId) as Booking, snapshot);
          const sameType = {
            ...after,
            reservations: after.reservations.filter((r) =>
              stuck.explanation.some((e) => typeOf(snapshot, e.toolId) === typeOf(snapshot, r.toolId)),
            ),
          };
          for (const { toolId } of stuck.explanation) {
            for (
              let start = request.earliestStart;
              start + request.durationMinutes <= request.latestEnd;
              start++
            ) {
              expect(
                checkPlacement(
                  request,
                  { toolId, start, end: start + request.durationMinutes },
                  sameType,
                  now,
                ).length,
              ).toBeGreaterThan(0);
            }
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('touches only displaced bookings: in-use ones and those outside the window stay as they were', () => {
    fc.assert(
      fc.property(repairScenarioArb, ({ snapshot, window, now }) => {
        const plan = repairAfterMaintenance(window, buildSolverState(snapshot), {
          now,
          defaultFlexMinutes: FLEX,
        });
        const changed = new Set([
          ...plan.moves.map((m) => m.bookingId),
          ...plan.unplaceable.map((u) => u.bookingId),
        ]);
        const after = new Map(applied(snapshot, plan).reservations.map((r) => [r.id, r]));
        for (const r of snapshot.reservations) {
          if (changed.has(r.id)) {
            expect(r.kind === 'booking' && r.state !== 'in_use' && window.toolIds.includes(r.toolId)).toBe(
              true,
            );
            expect(r.start < window.end).toBe(true);
          } else {
            expect(after.get(r.id)).toEqual(r);
          }
        }
        const tenants = new Set([...plan.moves, ...plan.unplaceable].map((x) => x.tenantId));
        expect(plan.metrics).toMatchObject({
          moved: plan.moves.length,
          unplaceable: plan.unplaceable.length,
          tenantsTouched: tenants.size,
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('is deterministic and leaves the state as it found it', () => {
    fc.assert(
      fc.property(repairScenarioArb, ({ snapshot, window, now }) => {
        const state = buildSolverState(snapshot);
        const plan = repairAfterMaintenance(window, state, { now, defaultFlexMinutes: FLEX });
        expect(new Set(state.toSnapshot().reservations)).toEqual(new Set(snapshot.reservations));
        expect(
          repairAfterMaintenance(window, buildSolverState(snapshot), { now, defaultFlexMinutes: FLEX }),
        ).toEqual(plan);
      }),
      { numRuns: 1000 },
    );
  });
});
