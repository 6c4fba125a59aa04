import { describe, expect, it } from 'vitest';
import type { BlockReason, PlacementResult } from '../../src/solver/index.js';
import { placeBooking, PlacementResultSchema } from '../../src/solver/index.js';
import {
  aBooking,
  aMaintenance,
  aPolicy,
  aQualification,
  aRequest,
  aSetupRule,
  aState,
  aTenant,
  aTool,
  at,
  hours,
  NOW,
} from './builders.js';

function optionsOf(result: PlacementResult) {
  if (result.status !== 'feasible')
    throw new Error(`expected options, got ${JSON.stringify(result.explanation)}`);
  return result.options;
}

function reasonsOf(result: PlacementResult, toolId = 'SEM-1'): BlockReason[] {
  if (result.status !== 'infeasible')
    throw new Error(`expected an explanation, got ${JSON.stringify(result.options)}`);
  const tool = result.explanation.find((e) => e.toolId === toolId);
  if (tool === undefined) throw new Error(`no explanation for ${toolId}`);
  return tool.reasons;
}

const twoSems = [aTool({ id: 'SEM-1' }), aTool({ id: 'SEM-2' })];

describe('placeBooking', () => {
  it('offers the earliest free start first, one per free gap', () => {
    const state = aState({
      reservations: [
        aBooking({ start: at('Mon 08:00'), end: at('Mon 10:00') }),
        aBooking({ start: at('Mon 11:00'), end: at('Mon 12:00') }),
      ],
    });
    const options = optionsOf(placeBooking(aRequest({ durationMinutes: 90 }), state, NOW));
    expect(options.map((o) => o.start)).toEqual([at('Mon 12:00')]);
    const short = optionsOf(placeBooking(aRequest({ durationMinutes: 60 }), state, NOW));
    expect(short.map((o) => o.start)).toEqual([at('Mon 10:00'), at('Mon 12:00')]);
    expect(short[0]).toMatchObject({ toolId: 'SEM-1', end: at('Mon 11:00'), approvalRequired: false });
  });

  it('returns at most five options by default, spread across the eligible tools', () => {
    const reservations = [1, 3, 5, 7].flatMap((h) => [
      aBooking({ toolId: 'SEM-1', start: at('Mon 08:00') + hours(h), end: at('Mon 09:00') + hours(h) }),
      aBooking({ toolId: 'SEM-2', start: at('Mon 08:30') + hours(h), end: at('Mon 09:30') + hours(h) }),
    ]);
    const state = aState({ tools: twoSems, reservations });
    const options = optionsOf(placeBooking(aRequest({ durationMinutes: 30 }), state, NOW));
    expect(options).toHaveLength(5);
    expect(options.map((o) => [o.toolId, o.start])).toEqual([
      ['SEM-1', at('Mon 08:00')],
      ['SEM-2', at('Mon 08:00')],
      ['SEM-1', at('Mon 10:00')],
      ['SEM-2', at('Mon 10:30')],
      ['SEM-1', at('Mon 12:00')],
    ]);
    expect(() => PlacementResultSchema.parse(placeBooking(aRequest(), state, NOW))).not.toThrow();
  });

  it('ranks the preferred tool first among equally early options', () => {
    const state = aState({ tools: twoSems });
    const options = optionsOf(placeBooking(aRequest({ preferredToolId: 'SEM-2' }), state, NOW));
    expect(options.map((o) => [o.toolId, o.preferred])).toEqual([
      ['SEM-2', true],
      ['SEM-1', false],
    ]);
  });

  it('prefers the tool where the booking strands the least free time', () => {
    const state = aState({
      tools: twoSems,
      policies: [aPolicy({ minDurationMinutes: 30 })],
      reservations: [
        aBooking({ toolId: 'SEM-1', start: at('Mon 09:20'), end: at('Mon 12:00') }),
        aBooking({ toolId: 'SEM-2', start: at('Mon 09:00'), end: at('Mon 12:00') }),
      ],
    });
    const options = optionsOf(placeBooking(aRequest({ durationMinutes: 60 }), state, NOW));
    expect(options[0]).toMatchObject({ toolId: 'SEM-2', start: at('Mon 08:00'), fragmentationMinutes: 0 });
    expect(options[1]).toMatchObject({ toolId: 'SEM-1', start: at('Mon 08:00'), fragmentationMinutes: 20 });
  });

  it('only uses the tools a request names', () => {
    const state = aState({ tools: twoSems });
    const options = optionsOf(
      placeBooking(aRequest({ target: { kind: 'tools', toolIds: ['SEM-2'] } }), state, NOW),
    );
    expect(new Set(options.map((o) => o.toolId))).toEqual(new Set(['SEM-2']));
  });

  it('says whether the option needs approval', () => {
    const state = aState({ policies: [aPolicy({ approvalRequired: true })] });
    expect(optionsOf(placeBooking(aRequest(), state, NOW))[0]!.approvalRequired).toBe(true);
  });

  it('keeps the buffer after bookings and the changeover when the material changes', () => {
    const state = aState({
      policies: [aPolicy({ bufferAfterMinutes: 15 })],
      setupRules: [aSetupRule({ from: 'SiC', to: 'GaN', minutes: 45 })],
      reservations: [aBooking({ start: at('Mon 08:00'), end: at('Mon 09:00'), material: 'SiC' })],
    });
    const sameMaterial = aRequest({ earliestStart: at('Mon 08:30'), material: 'SiC' });
    expect(optionsOf(placeBooking(sameMaterial, state, NOW))[0]!.start).toBe(at('Mon 09:15'));
    const gan = aRequest({ earliestStart: at('Mon 08:30'), material: 'GaN' });
    expect(optionsOf(placeBooking(gan, state, NOW))[0]!.start).toBe(at('Mon 10:00'));
  });

  it('is deterministic', () => {
    const state = aState({ tools: twoSems, reservations: [aBooking({ toolId: 'SEM-2' })] });
    const request = aRequest();
    expect(placeBooking(request, state, NOW)).toEqual(placeBooking(request, state, NOW));
  });

  it('leaves the state as it found it', () => {
    const state = aState({ reservations: [aBooking()] });
    const before = state.toSnapshot();
    placeBooking(aRequest(), state, NOW);
    expect(state.toSnapshot()).toEqual(before);
  });
});

describe('placeBooking explains why there is no option', () => {
  it('NOT_QUALIFIED when the user has no qualification on the tool or its type', () => {
    const state = aState({
      qualifications: [aQualification({ appliesTo: { kind: 'tool', toolId: 'SEM-2' } })],
      tools: twoSems,
    });
    const result = placeBooking(aRequest({ target: { kind: 'tools', toolIds: ['SEM-1'] } }), state, NOW);
    expect(reasonsOf(result)).toEqual([{ code: 'NOT_QUALIFIED', userId: 'ann' }]);
  });

  it('QUALIFICATION_EXPIRED when the qualification ends before any slot can finish', () => {
    const state = aState({ qualifications: [aQualification({ expiresAt: at('Mon 08:30') })] });
    expect(reasonsOf(placeBooking(aRequest(), state, NOW))).toEqual([
      { code: 'QUALIFICATION_EXPIRED', userId: 'ann', expiresAt: at('Mon 08:30') },
    ]);
  });

  it('books only up to the qualification expiry when it falls inside the window', () => {
    const state = aState({
      qualifications: [aQualification({ expiresAt: at('Mon 12:00') })],
      reservations: [aBooking({ start: at('Mon 08:00'), end: at('Mon 11:30') })],
    });
    expect(reasonsOf(placeBooking(aRequest(), state, NOW)).map((r) => r.code)).toEqual([
      'QUALIFICATION_EXPIRED',
      'FULLY_BOOKED',
    ]);
  });

  it('INCOMPATIBLE_MATERIAL for a material the tool does not take, or a dirtier contamination group', () => {
    const state = aState({ tools: [aTool({ materials: ['SiC', 'Si'], contaminationClass: 'standard' })] });
    expect(reasonsOf(placeBooking(aRequest({ material: 'GaN' }), state, NOW))).toEqual([
      {
        code: 'INCOMPATIBLE_MATERIAL',
        material: 'GaN',
        contaminationGroup: 'standard',
        acceptedMaterials: ['SiC', 'Si'],
        toolContaminationClass: 'standard',
      },
    ]);
    expect(reasonsOf(placeBooking(aRequest({ contaminationGroup: 'au-metal' }), state, NOW))[0]!.code).toBe(
      'INCOMPATIBLE_MATERIAL',
    );
    expect(placeBooking(aRequest({ contaminationGroup: 'cmos-clean' }), state, NOW).status).toBe('feasible');
  });

  it('WAFER_SIZE when the tool does not take the wafer', () => {
    const state = aState({ tools: [aTool({ waferSizes: [100, 150] })] });
    expect(reasonsOf(placeBooking(aRequest({ waferSize: 200 }), state, NOW))).toEqual([
      { code: 'WAFER_SIZE', waferSize: 200, acceptedWaferSizes: [100, 150] },
    ]);
  });

  it('TOOL_DOWN when the tool is out of service', () => {
    const state = aState({ tools: [aTool({ status: 'requalifying' })] });
    expect(reasonsOf(placeBooking(aRequest(), state, NOW))).toEqual([
      { code: 'TOOL_DOWN', status: 'requalifying', maintenance: [] },
    ]);
  });

  it('TOOL_DOWN with the maintenance intervals that cover the window', () => {
    const pm = aMaintenance({ start: at('Mon 06:00'), end: at('Tue 00:00') });
    const request = aRequest({ earliestStart: at('Mon 08:00'), latestEnd: at('Mon 18:00') });
    expect(reasonsOf(placeBooking(request, aState({ reservations: [pm] }), NOW))).toEqual([
      { code: 'TOOL_DOWN', status: 'up', maintenance: [{ start: pm.start, end: pm.end }] },
    ]);
  });

  it('FULLY_BOOKED with the merged busy intervals, buffers included', () => {
    const state = aState({
      policies: [aPolicy({ bufferAfterMinutes: 15 })],
      reservations: [
        aBooking({ start: at('Mon 07:00'), end: at('Mon 09:45') }),
        aBooking({ start: at('Mon 10:00'), end: at('Mon 12:00') }),
        aBooking({ start: at('Mon 12:30'), end: at('Mon 13:15') }),
      ],
    });
    const request = aRequest({
      earliestStart: at('Mon 08:00'),
      latestEnd: at('Mon 13:00'),
      durationMinutes: 30,
    });
    expect(reasonsOf(placeBooking(request, state, NOW))).toEqual([
      {
        code: 'FULLY_BOOKED',
        busy: [
          { start: at('Mon 07:00'), end: at('Mon 12:15') },
          { start: at('Mon 12:30'), end: at('Mon 13:30') },
        ],
      },
    ]);
  });

  it('QUOTA_EXCEEDED with the hours used and allowed in the week', () => {
    const state = aState({
      policies: [aPolicy({ weeklyQuotaHours: 4 })],
      reservations: [aBooking({ start: at('Mon 08:00'), end: at('Mon 11:30') })],
    });
    const request = aRequest({ earliestStart: at('Tue 08:00'), latestEnd: at('Tue 18:00') });
    expect(reasonsOf(placeBooking(request, state, NOW))).toEqual([
      {
        code: 'QUOTA_EXCEEDED',
        toolType: 'sem',
        requestedHours: 1,
        weeks: [{ weekStart: at('Mon 00:00'), usedHours: 3.5, allowedHours: 4 }],
      },
    ]);
    expect(placeBooking(aRequest({ durationMinutes: 30 }), state, NOW).status).toBe('feasible');
  });

  it('uses the quota of the tenant class when the policy sets one', () => {
    const state = aState({
      tenants: [aTenant({ class: 'university' })],
      policies: [aPolicy({ weeklyQuotaHours: 10, weeklyQuotaHoursByTenantClass: { university: 0.5 } })],
    });
    expect(reasonsOf(placeBooking(aRequest(), state, NOW))[0]).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      weeks: [{ allowedHours: 0.5 }],
    });
  });

  it('lets a booking straddle two quota weeks when each keeps within its own quota', () => {
    const state = aState({
      policies: [aPolicy({ weeklyQuotaHours: 1 })],
      reservations: [
        aBooking({ start: at('Mon 08:00'), end: at('Mon 08:30') }),
        aBooking({ start: at('Mon 08:00', 1), end: at('Mon 08:30', 1) }),
      ],
    });
    const request = aRequest({
      durationMinutes: 60,
      earliestStart: at('Sun 20:00'),
      latestEnd: at('Mon 04:00', 1),
    });
    expect(optionsOf(placeBooking(request, state, NOW))[0]!.start).toBe(at('Sun 23:30'));
  });

  it('OUTSIDE_POLICY for a duration shorter or longer than the policy allows', () => {
    const state = aState({ policies: [aPolicy({ minDurationMinutes: 15, maxDurationMinutes: hours(4) })] });
    expect(reasonsOf(placeBooking(aRequest({ durationMinutes: 10 }), state, NOW))).toEqual([
      { code: 'OUTSIDE_POLICY', rule: 'MIN_DURATION', limitMinutes: 15, requestedMinutes: 10 },
    ]);
    expect(reasonsOf(placeBooking(aRequest({ durationMinutes: hours(5) }), state, NOW))).toEqual([
      { code: 'OUTSIDE_POLICY', rule: 'MAX_DURATION', limitMinutes: hours(4), requestedMinutes: hours(5) },
    ]);
  });

  it('OUTSIDE_POLICY when the whole window is closer than the minimum notice', () => {
    const state = aState({ policies: [aPolicy({ minNoticeMinutes: 60 })] });
    const now = at('Mon 09:30');
    const request = aRequest({ earliestStart: at('Mon 09:00'), latestEnd: at('Mon 10:00') });
    expect(reasonsOf(placeBooking(request, state, now))).toEqual([
      { code: 'OUTSIDE_POLICY', rule: 'MIN_NOTICE', limitMinutes: 60, boundary: at('Mon 10:30') },
    ]);
    const later = aRequest({ earliestStart: at('Mon 09:00'), latestEnd: at('Mon 12:00') });
    expect(optionsOf(placeBooking(later, state, now))[0]!.start).toBe(at('Mon 10:30'));
  });

  it('OUTSIDE_POLICY when the whole window is further ahead than the policy allows', () => {
    const state = aState({ policies: [aPolicy({ maxAdvanceMinutes: hours(24 * 14) })] });
    const request = aRequest({ earliestStart: at('Mon 08:00', 3), latestEnd: at('Mon 18:00', 3) });
    expect(reasonsOf(placeBooking(request, state, NOW))).toEqual([
      {
        code: 'OUTSIDE_POLICY',
        rule: 'MAX_ADVANCE',
        limitMinutes: hours(24 * 14),
        boundary: NOW + hours(24 * 14),
      },
    ]);
  });

  it('OUTSIDE_POLICY when the window of the request is shorter than its duration', () => {
    const request = aRequest({
      durationMinutes: 90,
      earliestStart: at('Mon 09:00'),
      latestEnd: at('Mon 10:00'),
    });
    expect(reasonsOf(placeBooking(request, aState(), NOW))).toEqual([
      { code: 'OUTSIDE_POLICY', rule: 'REQUEST_WINDOW', limitMinutes: 90, requestedMinutes: 60 },
    ]);
  });

  it('a tool-specific policy overrides its type policy', () => {
    const state = aState({
      tools: twoSems,
      policies: [
        aPolicy({ maxDurationMinutes: 30 }),
        aPolicy({ appliesTo: { kind: 'tool', toolId: 'SEM-2' }, maxDurationMinutes: 120 }),
      ],
    });
    const options = optionsOf(placeBooking(aRequest({ durationMinutes: 60 }), state, NOW));
    expect(new Set(options.map((o) => o.toolId))).toEqual(new Set(['SEM-2']));
  });

  it('UNKNOWN_TOOL for a named tool the facility does not have, and nothing for an unknown type', () => {
    const state = aState();
    expect(
      reasonsOf(
        placeBooking(aRequest({ target: { kind: 'tools', toolIds: ['XRD-9'] } }), state, NOW),
        'XRD-9',
      ),
    ).toEqual([{ code: 'UNKNOWN_TOOL' }]);
    expect(
      placeBooking(aRequest({ target: { kind: 'toolType', toolType: 'xrd' } }), state, NOW),
    ).toMatchObject({ status: 'infeasible', explanation: [] });
  });

  it('lists every reason of every candidate tool', () => {
    const state = aState({
      tools: [aTool({ id: 'SEM-1', waferSizes: [100] }), aTool({ id: 'SEM-2', materials: ['Si'] })],
      qualifications: [aQualification({ appliesTo: { kind: 'tool', toolId: 'SEM-2' } })],
    });
    const result = placeBooking(aRequest({ waferSize: 150 }), state, NOW);
    expect(reasonsOf(result, 'SEM-1').map((r) => r.code)).toEqual(['WAFER_SIZE', 'NOT_QUALIFIED']);
    expect(reasonsOf(result, 'SEM-2').map((r) => r.code)).toEqual(['INCOMPATIBLE_MATERIAL']);
  });
});
