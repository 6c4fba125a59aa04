import { describe, expect, it } from 'vitest';
import { buildSolverState, placeBooking, validateSchedule } from '../../src/solver/index.js';
import { aBooking, aQualification, aRequest, aSnapshot, aTool, at, hours, NOW } from './builders.js';

// Shared runs: a planned run of the same recipe with room left is joined rather than waited for.
const furnace = aTool({ id: 'ANNEAL-1', type: 'anneal', batchCapacity: 25 });
const run = aBooking({ id: 'run', toolId: 'ANNEAL-1', start: at('Mon 12:00'), end: at('Mon 16:00'), recipe: 'act-1700', runWafers: 20 });
const state = () =>
  buildSolverState(
    aSnapshot({ tools: [furnace], qualifications: [aQualification({ appliesTo: { kind: 'toolType', toolType: 'anneal' } })], reservations: [run] }),
  );
const request = (overrides = {}) =>
  aRequest({ target: { kind: 'tools', toolIds: ['ANNEAL-1'] }, durationMinutes: hours(4), recipe: 'act-1700', waferCount: 5, ...overrides });

describe('shared runs on batch tools', () => {
  it('joins the planned run first, even when the furnace is free earlier', () => {
    const result = placeBooking(request(), state(), NOW);
    if (result.status !== 'feasible') throw new Error('expected options');
    expect(result.options[0]).toMatchObject({ start: at('Mon 12:00'), joinsRun: 'run' });
    expect(result.options.slice(1).every((o) => o.joinsRun === undefined)).toBe(true);
  });

  it('does not join a full run or another recipe, and says why', () => {
    for (const [overrides, why] of [
      [{ waferCount: 6 }, ['NO_ROOM']],
      [{ recipe: 'ox-1300' }, ['RECIPE_DIFFERS']],
      [{ durationMinutes: hours(3) }, ['DURATION_DIFFERS']],
    ] as const) {
      const result = placeBooking(request({ ...overrides, earliestStart: at('Mon 12:00'), latestEnd: at('Mon 16:00') }), state(), NOW);
      expect(result.status).toBe('infeasible');
      if (result.status !== 'infeasible') continue;
      expect(result.explanation[0]!.reasons).toContainEqual({ code: 'BATCH_RUN', start: at('Mon 12:00'), end: at('Mon 16:00'), why, loadWafers: 20, capacityWafers: 25 });
    }
  });

  it('flags a run loaded past the tool capacity', () => {
    const snapshot = aSnapshot({ tools: [furnace], qualifications: [aQualification({ appliesTo: { kind: 'toolType', toolType: 'anneal' } })], reservations: [{ ...run, runWafers: 26 }] });
    expect(validateSchedule(snapshot).map((v) => v.code)).toEqual(['BATCH_CAPACITY']);
  });
});
