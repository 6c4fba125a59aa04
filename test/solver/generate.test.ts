import { describe, expect, it } from 'vitest';
import {
  buildSolverState,
  generateFacility,
  generateRequests,
  PlacementRequestSchema,
  placeBooking,
  SolverSnapshotSchema,
  validateSchedule,
} from '../../src/solver/index.js';
import { Prng } from '../../src/solver/generate/prng.js';

describe('generateFacility', () => {
  const facility = generateFacility({ seed: 42, tools: 12, historyDays: 35, futureDays: 14 });

  it('is the same for the same seed and different for another', () => {
    expect(generateFacility({ seed: 42, tools: 12, historyDays: 35, futureDays: 14 })).toEqual(facility);
    expect(
      generateFacility({ seed: 43, tools: 12, historyDays: 35, futureDays: 14 }).snapshot.reservations,
    ).not.toEqual(facility.snapshot.reservations);
  });

  it('produces a history the referee finds clean, in valid solver model data', () => {
    expect(validateSchedule(facility.snapshot)).toEqual([]);
    expect(() => SolverSnapshotSchema.parse(facility.snapshot)).not.toThrow();
    expect(facility.snapshot.reservations.length).toBeGreaterThan(500);
  });

  it('scales the pilot line: thirteen tenants, every area present, maintenance on every tool', () => {
    const { snapshot } = generateFacility({ seed: 1, tools: 40, historyDays: 100, futureDays: 0 });
    expect(snapshot.tools).toHaveLength(40);
    expect(new Set(snapshot.tools.map((t) => t.id)).size).toBe(40);
    expect(snapshot.tenants.map((t) => t.class).sort()).toEqual([
      ...Array(6).fill('industry'),
      ...Array(3).fill('institute'),
      ...Array(4).fill('university'),
    ]);
    for (const tool of snapshot.tools)
      expect(snapshot.reservations.some((r) => r.kind === 'maintenance' && r.toolId === tool.id)).toBe(true);
    const ebeams = snapshot.tools
      .filter((t) => t.type === 'ebeam-evaporator')
      .map((t) => t.contaminationClass);
    expect(ebeams.sort()).toEqual(['au-metal', 'standard']);
  });

  it('makes a hotspot denser and shorter than usual', () => {
    const from = facility.start + 7 * 1440;
    const hot = generateFacility({
      seed: 42,
      tools: 12,
      historyDays: 35,
      hotspots: [
        { toolType: 'ht-implanter', from, to: from + 2 * 1440, utilisation: 0.9, durationMinutes: [15, 30] },
      ],
    });
    const inWindow = (s: typeof hot.snapshot) =>
      s.reservations.filter(
        (r) => r.kind === 'booking' && r.toolId === 'IMPL-1' && r.start >= from && r.start < from + 2 * 1440,
      );
    expect(inWindow(hot.snapshot).length).toBeGreaterThan(2 * inWindow(facility.snapshot).length);
    expect(validateSchedule(hot.snapshot)).toEqual([]);
  });
});

describe('generateRequests', () => {
  it('makes valid requests, mostly placeable, the same for the same seed', () => {
    const { snapshot, now } = generateFacility({ seed: 5, tools: 10, historyDays: 14 });
    const requests = generateRequests(snapshot, { seed: 9, count: 200, now });
    expect(generateRequests(snapshot, { seed: 9, count: 200, now })).toEqual(requests);
    for (const request of requests) expect(() => PlacementRequestSchema.parse(request)).not.toThrow();
    const state = buildSolverState(snapshot);
    const feasible = requests.filter((r) => placeBooking(r, state, now).status === 'feasible').length;
    expect(feasible).toBeGreaterThan(100);
    expect(feasible).toBeLessThan(200);
  });
});

describe('Prng', () => {
  it('repeats its sequence for a seed and stays in range', () => {
    const a = new Prng(7);
    const b = new Prng(7);
    const draws = Array.from({ length: 1000 }, () => a.int(3, 9));
    expect(draws).toEqual(Array.from({ length: 1000 }, () => b.int(3, 9)));
    expect(Math.min(...draws)).toBe(3);
    expect(Math.max(...draws)).toBe(9);
  });
});
