import { describe, expect, it } from 'vitest';
import type { SolverSnapshot } from '../../src/solver/index.js';
import { checkPlacement, validateSchedule } from '../../src/solver/index.js';
import {
  aBooking,
  aMaintenance,
  aPolicy,
  aQualification,
  aRequest,
  aSetupRule,
  aSnapshot,
  aState,
  aTool,
  at,
  hours,
} from './builders.js';

const codes = (snapshot: SolverSnapshot) => validateSchedule(snapshot).map((v) => v.code);

describe('validateSchedule', () => {
  it('finds nothing wrong with a sound schedule', () => {
    const snapshot = aSnapshot({
      policies: [aPolicy({ bufferAfterMinutes: 15, weeklyQuotaHours: 3 })],
      setupRules: [aSetupRule({ minutes: 30 })],
      reservations: [
        aBooking({ start: at('Mon 08:00'), end: at('Mon 09:00'), material: 'SiC' }),
        aBooking({ start: at('Mon 09:45'), end: at('Mon 10:45'), material: 'GaN' }),
        aMaintenance({ start: at('Mon 11:00'), end: at('Mon 12:00') }),
        aBooking({ start: at('Mon 12:00'), end: at('Mon 13:00'), material: 'SiC' }),
      ],
    });
    expect(validateSchedule(snapshot)).toEqual([]);
    expect(validateSchedule(aState(snapshot))).toEqual([]);
  });

  it('flags overlapping bookings, and a booking inside the buffer of another', () => {
    const a = aBooking({ start: at('Mon 08:00'), end: at('Mon 09:00') });
    const b = aBooking({ start: at('Mon 08:30'), end: at('Mon 09:30') });
    expect(validateSchedule(aSnapshot({ reservations: [a, b] }))).toMatchObject([
      { code: 'OVERLAP', reservationIds: [a.id, b.id] },
    ]);
    const c = aBooking({ start: at('Mon 09:10'), end: at('Mon 10:00') });
    expect(
      codes(aSnapshot({ reservations: [a, c], policies: [aPolicy({ bufferAfterMinutes: 15 })] })),
    ).toEqual(['OVERLAP']);
    expect(codes(aSnapshot({ reservations: [a, c] }))).toEqual([]);
  });

  it('flags every pair under a long booking, not only neighbours', () => {
    const long = aBooking({ start: at('Mon 08:00'), end: at('Mon 18:00') });
    const inside = [
      aBooking({ start: at('Mon 09:00'), end: at('Mon 10:00') }),
      aBooking({ start: at('Mon 11:00'), end: at('Mon 12:00') }),
    ];
    expect(codes(aSnapshot({ reservations: [long, ...inside] }))).toEqual(['OVERLAP', 'OVERLAP']);
  });

  it('flags a changeover shorter than the setup rule needs', () => {
    const reservations = [
      aBooking({ start: at('Mon 08:00'), end: at('Mon 09:00'), material: 'SiC' }),
      aBooking({ start: at('Mon 09:20'), end: at('Mon 10:00'), material: 'GaN' }),
    ];
    expect(
      codes(aSnapshot({ reservations, setupRules: [aSetupRule({ from: 'SiC', to: 'GaN', minutes: 30 })] })),
    ).toEqual(['CHANGEOVER']);
    expect(
      codes(aSnapshot({ reservations, setupRules: [aSetupRule({ from: 'GaN', to: 'SiC', minutes: 30 })] })),
    ).toEqual([]);
    const dirty = [
      aBooking({ ...reservations[0], id: 'x', contaminationGroup: 'au-metal' }),
      aBooking({ ...reservations[1], id: 'y', material: 'SiC' }),
    ];
    const contamination = {
      dimension: 'contamination',
      appliesTo: { kind: 'toolType', toolType: 'sem' },
      from: 'au-metal',
      to: 'any',
      minutes: 60,
    } as const;
    expect(
      codes(
        aSnapshot({
          tools: [aTool({ contaminationClass: 'au-metal' })],
          reservations: dirty,
          setupRules: [contamination],
        }),
      ),
    ).toEqual(['CHANGEOVER']);
  });

  it('flags bookings overlapping maintenance, the buffer included', () => {
    const pm = aMaintenance({ start: at('Mon 09:00'), end: at('Mon 17:00') });
    const booking = aBooking({ start: at('Mon 08:00'), end: at('Mon 09:00') });
    expect(codes(aSnapshot({ reservations: [booking, pm] }))).toEqual([]);
    expect(
      codes(aSnapshot({ reservations: [booking, pm], policies: [aPolicy({ bufferAfterMinutes: 10 })] })),
    ).toEqual(['MAINTENANCE_OVERLAP']);
  });

  it('flags unqualified users and qualifications that end before the booking does', () => {
    const booking = aBooking({ start: at('Mon 08:00'), end: at('Mon 09:00') });
    expect(codes(aSnapshot({ reservations: [booking], qualifications: [] }))).toEqual(['NOT_QUALIFIED']);
    expect(
      codes(
        aSnapshot({
          reservations: [booking],
          qualifications: [aQualification({ expiresAt: at('Mon 08:30') })],
        }),
      ),
    ).toEqual(['QUALIFICATION_EXPIRED']);
    expect(
      codes(
        aSnapshot({
          reservations: [booking],
          qualifications: [aQualification({ expiresAt: at('Mon 09:00') })],
        }),
      ),
    ).toEqual([]);
    const onTool = aQualification({ appliesTo: { kind: 'tool', toolId: 'SEM-1' } });
    expect(codes(aSnapshot({ reservations: [booking], qualifications: [onTool] }))).toEqual([]);
  });

  it('flags materials, contamination groups and wafer sizes the tool does not take', () => {
    const tools = [aTool({ materials: ['SiC'], waferSizes: [150], contaminationClass: 'cmos-clean' })];
    expect(codes(aSnapshot({ tools, reservations: [aBooking({ material: 'GaN' })] }))).toContain(
      'INCOMPATIBLE_MATERIAL',
    );
    expect(codes(aSnapshot({ tools, reservations: [aBooking({ material: 'SiC' })] }))).toEqual([
      'INCOMPATIBLE_MATERIAL',
    ]);
    expect(
      codes(
        aSnapshot({ tools, reservations: [aBooking({ contaminationGroup: 'cmos-clean', waferSize: 200 })] }),
      ),
    ).toEqual(['WAFER_SIZE']);
  });

  it('flags durations outside the policy', () => {
    const policies = [aPolicy({ minDurationMinutes: 30, maxDurationMinutes: hours(2) })];
    expect(codes(aSnapshot({ policies, reservations: [aBooking({ end: at('Mon 09:10') })] }))).toEqual([
      'OUTSIDE_POLICY',
    ]);
    expect(codes(aSnapshot({ policies, reservations: [aBooking({ end: at('Mon 12:00') })] }))).toEqual([
      'OUTSIDE_POLICY',
    ]);
  });

  it('flags a tenant over its weekly quota, counting a booking in each week it touches', () => {
    const policies = [aPolicy({ weeklyQuotaHours: 2 })];
    const reservations = [
      aBooking({ start: at('Sun 22:00'), end: at('Mon 01:00', 1) }),
      aBooking({ start: at('Mon 08:00', 1), end: at('Mon 09:30', 1) }),
    ];
    expect(validateSchedule(aSnapshot({ policies, reservations }))).toMatchObject([
      { code: 'QUOTA_EXCEEDED', tenantId: 'acme' },
    ]);
    expect(codes(aSnapshot({ policies, reservations: reservations.slice(0, 1) }))).toEqual([]);
  });

  it('flags broken references, duplicates and empty intervals', () => {
    const good = aBooking();
    expect(codes(aSnapshot({ reservations: [good, { ...good }] }))).toContain('DUPLICATE_ID');
    expect(codes(aSnapshot({ reservations: [aBooking({ toolId: 'XRD-1' })] }))).toEqual(['UNKNOWN_TOOL']);
    expect(codes(aSnapshot({ reservations: [aBooking({ tenantId: 'nobody' })] }))).toEqual([
      'UNKNOWN_TENANT',
    ]);
    expect(codes(aSnapshot({ reservations: [aBooking({ end: at('Mon 09:00') })] }))).toEqual([
      'INVALID_INTERVAL',
    ]);
  });
});

describe('checkPlacement', () => {
  const state = aState({
    tools: [aTool(), aTool({ id: 'SEM-2', status: 'down' })],
    policies: [aPolicy({ minNoticeMinutes: 60, maxAdvanceMinutes: hours(48) })],
    reservations: [aBooking({ start: at('Mon 10:00'), end: at('Mon 11:00') })],
  });
  const now = at('Mon 08:00');
  const request = aRequest({ earliestStart: at('Mon 08:00'), latestEnd: at('Mon 18:00') });
  const check = (start: number, toolId = 'SEM-1') =>
    checkPlacement(request, { toolId, start, end: start + 60 }, state, now).map((v) => v.code);

  it('accepts a slot that keeps every rule', () => {
    expect(check(at('Mon 09:00'))).toEqual([]);
  });

  it('rejects slots inside the notice period, outside the window, or on a busy or down tool', () => {
    expect(check(at('Mon 08:30'))).toEqual(['OUTSIDE_POLICY']);
    expect(check(at('Mon 17:30'))).toEqual(['OUTSIDE_POLICY']);
    expect(check(at('Mon 10:30'))).toEqual(['OVERLAP']);
    expect(check(at('Mon 09:00'), 'SEM-2')).toEqual(['TOOL_DOWN']);
    expect(check(at('Mon 09:00'), 'AFM-1')).toEqual(['UNKNOWN_TOOL']);
  });

  it('rejects slots beyond the maximum advance and tools the request did not ask for', () => {
    const far = aRequest({ earliestStart: at('Thu 08:00'), latestEnd: at('Thu 18:00') });
    expect(
      checkPlacement(far, { toolId: 'SEM-1', start: at('Thu 09:00'), end: at('Thu 10:00') }, state, now).map(
        (v) => v.code,
      ),
    ).toEqual(['OUTSIDE_POLICY']);
    const other = aRequest({ target: { kind: 'toolType', toolType: 'afm' }, earliestStart: at('Mon 08:00') });
    expect(
      checkPlacement(
        other,
        { toolId: 'SEM-1', start: at('Mon 12:00'), end: at('Mon 13:00') },
        state,
        now,
      ).map((v) => v.code),
    ).toEqual(['WRONG_TOOL']);
  });
});
