import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Booking, PlacementOption, PlacementRequest, SolverSnapshot } from '../../src/solver/index.js';
import {
  buildSolverState,
  checkPlacement,
  placeBooking,
  validateSchedule,
  weekIndexOf,
  weekStartOf,
} from '../../src/solver/index.js';
import { ORIGIN, scenarioArb } from './scenarios.js';

const RUNS = { numRuns: 1000 };

function asBooking(request: PlacementRequest, toolId: string, start: number): Booking {
  const { tenantId, userId, material, waferSize, contaminationGroup } = request;
  return {
    kind: 'booking',
    id: request.id,
    toolId,
    start,
    end: start + request.durationMinutes,
    state: 'held',
    tenantId,
    userId,
    material,
    waferSize,
    contaminationGroup,
  };
}

/** The earliest start on any candidate tool that the referee accepts, scanning minute by minute. */
function bruteForceEarliest(
  request: PlacementRequest,
  snapshot: SolverSnapshot,
  now: number,
  until = request.latestEnd - request.durationMinutes,
): number | undefined {
  const toolIds =
    request.target.kind === 'tools'
      ? request.target.toolIds
      : snapshot.tools
          .filter((t) => t.type === (request.target as { toolType: string }).toolType)
          .map((t) => t.id);
  for (let start = request.earliestStart; start <= until; start++) {
    for (const toolId of toolIds) {
      if (
        checkPlacement(request, { toolId, start, end: start + request.durationMinutes }, snapshot, now)
          .length === 0
      )
        return start;
    }
  }
  return undefined;
}

/** Starts at which a slot of `duration` just touches something, by kind: reservations, expiries, weeks, policy horizons, turnarounds. */
function boundaries(snapshot: SolverSnapshot, now: number, duration: number): number[][] {
  const nextWeek = weekStartOf(weekIndexOf(ORIGIN) + 1);
  const turnarounds = [
    ...snapshot.policies.map((p) => p.bufferAfterMinutes ?? 0),
    ...snapshot.setupRules.map((r) => r.minutes),
  ];
  return [
    snapshot.reservations.flatMap((r) => [r.start - duration, r.end]),
    snapshot.qualifications.flatMap((q) => (q.expiresAt === undefined ? [] : [q.expiresAt - duration])),
    [nextWeek - duration, nextWeek],
    snapshot.policies.flatMap((p) => [
      now + (p.minNoticeMinutes ?? 0),
      ...(p.maxAdvanceMinutes === undefined ? [] : [now + p.maxAdvanceMinutes]),
    ]),
    turnarounds.flatMap((gap) =>
      snapshot.reservations.flatMap((r) => [r.end + gap, r.start - duration - gap]),
    ),
  ].filter((points) => points.length > 0);
}

describe('placeBooking (properties)', () => {
  it('starts from clean schedules', () => {
    fc.assert(
      fc.property(scenarioArb, ({ snapshot }) => {
        expect(validateSchedule(snapshot)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('returns at most five options, ranked, each accepted by the referee and keeping the schedule clean when added', () => {
    fc.assert(
      fc.property(scenarioArb, ({ snapshot, request, now }) => {
        const result = placeBooking(request, buildSolverState(snapshot), now);
        if (result.status !== 'feasible') return;
        expect(result.options.length).toBeLessThanOrEqual(5);
        for (const option of result.options) {
          expect(checkPlacement(request, option, snapshot, now)).toEqual([]);
          const after = {
            ...snapshot,
            reservations: [...snapshot.reservations, asBooking(request, option.toolId, option.start)],
          };
          expect(validateSchedule(after)).toEqual([]);
        }
        // Earliest start first, then the preferred tool, then the least fragmentation.
        const rank = (o: PlacementOption) => [o.start, o.preferred ? 0 : 1, o.fragmentationMinutes] as const;
        for (let i = 1; i < result.options.length; i++) {
          const [a, b] = [rank(result.options[i - 1]!), rank(result.options[i]!)];
          expect(a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] <= b[2])))).toBe(
            true,
          );
        }
      }),
      RUNS,
    );
  });

  it('finds the earliest feasible start, and answers infeasible only when a minute-by-minute scan finds nothing', () => {
    fc.assert(
      fc.property(scenarioArb, ({ snapshot, request, now }) => {
        const result = placeBooking(request, buildSolverState(snapshot), now);
        if (result.status === 'feasible') {
          expect(bruteForceEarliest(request, snapshot, now, result.options[0]!.start)).toBe(
            result.options[0]!.start,
          );
        } else {
          expect(bruteForceEarliest(request, snapshot, now)).toBeUndefined();
          for (const tool of result.explanation) expect(tool.reasons.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  it('decides a window with room for one start exactly as the referee does, at and around every boundary', () => {
    const fixedSlot = fc.tuple(scenarioArb, fc.nat(), fc.integer({ min: -1, max: 1 }));
    fc.assert(
      fc.property(fixedSlot, ([{ snapshot, request: loose, now }, pick, shift]) => {
        // Start where some rule changes its mind: at a boundary of the scenario, or one minute either side.
        const kinds = boundaries(snapshot, now, loose.durationMinutes);
        const points = kinds[pick % kinds.length]!;
        const earliestStart = Math.max(0, points[Math.floor(pick / kinds.length) % points.length]! + shift);
        const request = { ...loose, earliestStart, latestEnd: earliestStart + loose.durationMinutes };
        const result = placeBooking(request, buildSolverState(snapshot), now);
        const toolIds = result.status === 'feasible' ? result.options.map((o) => o.toolId) : [];
        const accepted = snapshot.tools
          .map((t) => t.id)
          .filter(
            (toolId) =>
              checkPlacement(request, { toolId, start: earliestStart, end: request.latestEnd }, snapshot, now)
                .length === 0,
          );
        expect([...toolIds].sort()).toEqual(accepted.sort());
      }),
      RUNS,
    );
  });

  it('is deterministic, whatever the order of the reservations in the snapshot', () => {
    fc.assert(
      fc.property(scenarioArb, ({ snapshot, request, now }) => {
        const first = placeBooking(request, buildSolverState(snapshot), now);
        const reversed = buildSolverState({
          ...snapshot,
          reservations: [...snapshot.reservations].reverse(),
        });
        expect(placeBooking(request, reversed, now)).toEqual(first);
        expect(JSON.parse(JSON.stringify(first))).toEqual(first);
      }),
      RUNS,
    );
  });
});
