import { describe, expect, it } from 'vitest';
import type { Booking, PlacementResult } from '../../src/solver/index.js';
import { buildSolverState, placeBooking, placeLinkedGroup, validateSchedule } from '../../src/solver/index.js';
import { aBooking, aMaintenance, aQualification, aRequest, aSnapshot, aTool, at, hours, NOW } from './builders.js';

// A stepper that needs its reticle slot alongside: both held for one interval, all or none.
const stepper = aTool({ id: 'STEPPER-1', type: 'stepper', linkedToolIds: ['RETICLE-1'] });
const reticle = aTool({ id: 'RETICLE-1', type: 'reticle' });
const qualified = [
  aQualification({ appliesTo: { kind: 'toolType', toolType: 'stepper' } }),
  aQualification({ appliesTo: { kind: 'toolType', toolType: 'reticle' } }),
];
const stepperRequest = (overrides = {}) =>
  aRequest({ target: { kind: 'tools', toolIds: ['STEPPER-1'] }, earliestStart: at('Mon 08:00'), latestEnd: at('Mon 18:00'), ...overrides });

function optionsOf(result: PlacementResult) {
  if (result.status !== 'feasible') throw new Error(`expected options, got ${JSON.stringify(result.explanation)}`);
  return result.options;
}

describe('linked tools in placement', () => {
  it('offers only starts where the primary and every linked tool are free, and names the linked tools', () => {
    const state = buildSolverState(
      aSnapshot({
        tools: [stepper, reticle],
        qualifications: qualified,
        reservations: [
          aBooking({ toolId: 'STEPPER-1', start: at('Mon 08:00'), end: at('Mon 09:00') }),
          aBooking({ toolId: 'RETICLE-1', start: at('Mon 09:00'), end: at('Mon 10:30') }),
          aBooking({ toolId: 'STEPPER-1', start: at('Mon 11:00'), end: at('Mon 12:00') }),
        ],
      }),
    );
    const options = optionsOf(placeBooking(stepperRequest(), state, NOW, { maxOptions: 3 }));
    // The stepper is free at 09:00 but the reticle slot is not until 10:30; 10:30–11:30 hits the stepper's 11:00.
    expect(options.map((o) => o.start)).toEqual([at('Mon 12:00')]);
    expect(options[0]).toMatchObject({ toolId: 'STEPPER-1', linkedToolIds: ['RETICLE-1'] });
  });

  it('refuses the primary when the user is not qualified on a linked tool, naming that tool', () => {
    const state = buildSolverState(
      aSnapshot({ tools: [stepper, reticle], qualifications: [qualified[0]!] }),
    );
    const result = placeBooking(stepperRequest(), state, NOW);
    expect(result.status).toBe('infeasible');
    if (result.status !== 'infeasible') return;
    expect(result.explanation).toContainEqual({
      toolId: 'RETICLE-1',
      linkedTo: 'STEPPER-1',
      reasons: [{ code: 'NOT_QUALIFIED', userId: 'ann' }],
    });
  });
});

describe('linked groups in repair and in the referee', () => {
  const primary = aBooking({ id: 'p', toolId: 'STEPPER-1', start: at('Mon 10:00'), end: at('Mon 11:00') });
  const member = aBooking({ id: 'm', toolId: 'RETICLE-1', start: at('Mon 10:00'), end: at('Mon 11:00'), linkedTo: 'p' });

  it('moves a displaced group to the nearest start where all its tools are free', () => {
    const state = buildSolverState(
      aSnapshot({
        tools: [stepper, reticle],
        qualifications: qualified,
        reservations: [
          // Maintenance on the reticle slot only, and another booking on the stepper right after it.
          aMaintenance({ toolId: 'RETICLE-1', start: at('Mon 09:30'), end: at('Mon 11:30') }),
          aBooking({ toolId: 'STEPPER-1', start: at('Mon 11:30'), end: at('Mon 12:30') }),
        ],
      }),
    );
    const placed = placeLinkedGroup({ primary, members: [member] }, state, { now: NOW, flexMinutes: hours(24) });
    // 08:30 (an hour before the window) is nearer than 12:30 (the first joint start after it).
    expect(placed).toEqual({ kind: 'placed', start: at('Mon 08:30') });
  });

  it('finds no place when a member may not move inside its window, and says which tool blocks', () => {
    const narrow = { ...primary, allowedWindow: { earliestStart: at('Mon 10:00'), latestEnd: at('Mon 11:00') } };
    const state = buildSolverState(
      aSnapshot({
        tools: [stepper, reticle],
        qualifications: qualified,
        reservations: [aMaintenance({ toolId: 'RETICLE-1', start: at('Mon 09:30'), end: at('Mon 11:30') })],
      }),
    );
    const placed = placeLinkedGroup({ primary: narrow, members: [member] }, state, { now: NOW, flexMinutes: 0 });
    expect(placed.kind).toBe('unplaceable');
    if (placed.kind !== 'unplaceable') return;
    expect(placed.explanation.find((e) => e.toolId === 'RETICLE-1')).toMatchObject({
      linkedTo: 'STEPPER-1',
      reasons: [{ code: 'TOOL_DOWN' }],
    });
  });

  it('flags members that do not share the primary interval, and a primary without its linked tool', () => {
    const snapshot = (reservations: Booking[]) => aSnapshot({ tools: [stepper, reticle], qualifications: qualified, reservations });
    expect(validateSchedule(snapshot([primary, member]))).toEqual([]);
    const shifted = validateSchedule(snapshot([primary, { ...member, start: member.start + 15, end: member.end + 15 }]));
    expect(shifted.map((v) => [v.code, v.reservationIds])).toEqual([['LINKED_GROUP', ['p', 'm']]]);
    const alone = validateSchedule(snapshot([primary]));
    expect(alone.map((v) => [v.code, v.reservationIds])).toEqual([['LINKED_GROUP', ['p']]]);
  });
});
