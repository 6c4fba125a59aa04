import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlacementOption, PlacementRequest, SolverSnapshot } from '../../src/solver/index.js';
import { buildSolverState, checkPlacement, placeBooking, validateSchedule } from '../../src/solver/index.js';
import { resolvePolicy } from '../../src/solver/policy.js';
import { gridAtOrAfter, isOnGrid, type StartGrid } from '../../src/solver/start-grid.js';
import { scenarioArb } from './scenarios.js';

// Several starts per free gap on a grid: every one playable, on the grid, ranked, and the booking
// placement (no grid) still takes the earliest start.

const RUNS = { numRuns: 400 };

const gridOptionArb = fc.record({
  minutes: fc.constantFrom(5, 15, 15, 30),
  originMinute: fc.constantFrom(0, -480, 7),
  startsPerGap: fc.integer({ min: 1, max: 6 }),
});

/** The grid a tool's options are on: its policy's own, else the caller's. */
function gridOf(snapshot: SolverSnapshot, toolId: string, asked: { minutes: number; originMinute: number }): StartGrid {
  const tool = snapshot.tools.find((t) => t.id === toolId)!;
  return { minutes: resolvePolicy(tool, snapshot.policies).startGridMinutes ?? asked.minutes, originMinute: asked.originMinute };
}

const gapKey = (o: PlacementOption) => `${o.toolId}:${o.gap!.firstStart}`;

/** Options by their gap, in answer order (Map.groupBy needs Node 21). */
function byGapOf(options: readonly PlacementOption[]): Map<string, PlacementOption[]> {
  const groups = new Map<string, PlacementOption[]>();
  for (const o of options) groups.set(gapKey(o), [...(groups.get(gapKey(o)) ?? []), o]);
  return groups;
}

describe('placeBooking on a start grid (properties)', () => {
  it('offers only starts the referee accepts, each keeping the schedule clean', () => {
    fc.assert(
      fc.property(scenarioArb, gridOptionArb, ({ snapshot, request, now }, grid) => {
        const result = placeBooking(request, buildSolverState(snapshot), now, { maxOptions: 20, grid });
        if (result.status !== 'feasible') return;
        for (const option of result.options) {
          expect(checkPlacement(request, option, snapshot, now)).toEqual([]);
          const booking = { kind: 'booking' as const, id: 'new', toolId: option.toolId, start: option.start, end: option.end, state: 'held' as const, tenantId: request.tenantId, userId: request.userId, material: request.material, waferSize: request.waferSize, contaminationGroup: request.contaminationGroup };
          expect(validateSchedule({ ...snapshot, reservations: [...snapshot.reservations, booking] })).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  it('starts on the grid, unless the gap holds no grid start: then its earliest start, alone', () => {
    fc.assert(
      fc.property(scenarioArb, gridOptionArb, ({ snapshot, request, now }, grid) => {
        const result = placeBooking(request, buildSolverState(snapshot), now, { maxOptions: 20, grid });
        if (result.status !== 'feasible') return;
        const byGap = byGapOf(result.options);
        for (const option of result.options) {
          const own = gridOf(snapshot, option.toolId, { minutes: grid.minutes, originMinute: grid.originMinute });
          const { firstStart, lastStart } = option.gap!;
          expect(option.start).toBeGreaterThanOrEqual(firstStart);
          expect(option.start).toBeLessThanOrEqual(lastStart);
          if (isOnGrid(option.start, own)) continue;
          expect(gridAtOrAfter(firstStart, own)).toBeGreaterThan(lastStart);
          expect(option.start).toBe(firstStart);
          expect(byGap.get(gapKey(option))).toHaveLength(1);
        }
      }),
      RUNS,
    );
  });

  it('ranks: at most startsPerGap distinct starts a gap, every gap’s earliest before any gap’s second', () => {
    fc.assert(
      fc.property(scenarioArb, gridOptionArb, ({ snapshot, request, now }, grid) => {
        const result = placeBooking(request, buildSolverState(snapshot), now, { maxOptions: 30, grid });
        if (result.status !== 'feasible') return;
        const byGap = byGapOf(result.options);
        const secondSeen = { at: -1 };
        result.options.forEach((option, i) => {
          const siblings = byGap.get(gapKey(option))!;
          expect(siblings.length).toBeLessThanOrEqual(grid.startsPerGap);
          expect(new Set(siblings.map((o) => o.start)).size).toBe(siblings.length);
          const isGapBest = siblings[0] === option;
          // The gap's best is its earliest offered start.
          if (isGapBest) expect(option.start).toBe(Math.min(...siblings.map((o) => o.start)));
          if (!isGapBest && secondSeen.at < 0) secondSeen.at = i;
          if (isGapBest && secondSeen.at >= 0) expect.fail(`gap best at ${i} after a second best at ${secondSeen.at}`);
        });
      }),
      RUNS,
    );
  });

  it('is deterministic and pure; the booking placement still takes the earliest start, which the grid’s first option follows within one grid step', () => {
    fc.assert(
      fc.property(scenarioArb, gridOptionArb, ({ snapshot, request, now }, grid) => {
        const state = buildSolverState(snapshot);
        const before = JSON.stringify(state.toSnapshot());
        const gridded = placeBooking(request, state, now, { maxOptions: 8, grid });
        expect(placeBooking(request, state, now, { maxOptions: 8, grid })).toEqual(gridded);
        expect(JSON.stringify(state.toSnapshot())).toBe(before);
        const plain = placeBooking(request, state, now);
        expect(gridded.status).toBe(plain.status);
        if (plain.status !== 'feasible' || gridded.status !== 'feasible') return;
        const earliest = plain.options[0]!;
        expect(earliest.gap).toBeUndefined();
        const first = gridded.options[0]!;
        expect(first.start).toBeGreaterThanOrEqual(earliest.start);
        const own = gridOf(snapshot, earliest.toolId, { minutes: grid.minutes, originMinute: grid.originMinute });
        expect(first.start).toBeLessThanOrEqual(gridAtOrAfter(earliest.start, own));
      }),
      RUNS,
    );
  });
});

describe('placeBooking on a start grid', () => {
  const request = (over: Partial<PlacementRequest> = {}): PlacementRequest => ({
    id: 'r', tenantId: 't', userId: 'u', target: { kind: 'toolType', toolType: 'imp' }, durationMinutes: 180,
    earliestStart: 1_000_000, latestEnd: 1_000_000 + 24 * 60, material: 'SiC', waferSize: 150, contaminationGroup: 'standard', ...over,
  });
  // 16:43 to 07:43 free (minutes from a midnight at 1_000_000 - 1_000_000 % 1440 would do; the grid origin says where).
  const midnight = 1_000_000 - (1_000_000 % 1440);
  const snapshot: SolverSnapshot = {
    version: 1,
    tools: [{ id: 'IMP-1', type: 'imp', materials: ['SiC'], waferSizes: [150], contaminationClass: 'standard', batchCapacity: 1, status: 'up' }],
    reservations: [
      { kind: 'booking', id: 'a', toolId: 'IMP-1', start: midnight + 14 * 60, end: midnight + 16 * 60 + 43, state: 'confirmed', tenantId: 't', userId: 'u', material: 'SiC', waferSize: 150, contaminationGroup: 'standard' },
      { kind: 'booking', id: 'b', toolId: 'IMP-1', start: midnight + 31 * 60 + 43, end: midnight + 33 * 60, state: 'confirmed', tenantId: 't', userId: 'u', material: 'SiC', waferSize: 150, contaminationGroup: 'standard' },
    ],
    setupRules: [],
    policies: [],
    qualifications: [{ userId: 'u', appliesTo: { kind: 'toolType', toolType: 'imp' } }],
    tenants: [{ id: 't', name: 'T', class: 'university', priority: 0 }],
  };
  const wish = request({ earliestStart: midnight + 16 * 60, latestEnd: midnight + 33 * 60 });

  it('offers several quarter-hour starts in a 15-hour gap, earliest and latest first, where the booking takes 16:43', () => {
    const state = buildSolverState(snapshot);
    const plain = placeBooking(wish, state, 0);
    expect(plain.status === 'feasible' && plain.options.map((o) => o.start - midnight)).toEqual([16 * 60 + 43]);
    const gridded = placeBooking(wish, state, 0, { maxOptions: 10, grid: { minutes: 15, originMinute: midnight, startsPerGap: 4 } });
    if (gridded.status !== 'feasible') throw new Error('expected options');
    const hhmm = (m: number) => `${String(Math.floor((m - midnight) / 60) % 24).padStart(2, '0')}:${String((m - midnight) % 60).padStart(2, '0')}`;
    // The gap's starts run from 16:43 to 28:43 (04:43 the next day): on the grid, 16:45 to 04:30.
    expect(gridded.options.map((o) => hhmm(o.start))).toEqual(['16:45', '04:30', '20:45', '00:30']);
    expect(gridded.options.every((o) => o.gap?.firstStart === midnight + 16 * 60 + 43)).toBe(true);
  });

  it('uses the tool’s own grid from its policy', () => {
    const hourly = buildSolverState({ ...snapshot, policies: [{ appliesTo: { kind: 'tool', toolId: 'IMP-1' }, startGridMinutes: 60 }] });
    const gridded = placeBooking(wish, hourly, 0, { maxOptions: 10, grid: { minutes: 15, originMinute: midnight, startsPerGap: 3 } });
    if (gridded.status !== 'feasible') throw new Error('expected options');
    expect(gridded.options.map((o) => (o.start - midnight) % 60)).toEqual([0, 0, 0]);
    expect(gridded.options[0]!.start - midnight).toBe(17 * 60);
  });
});
