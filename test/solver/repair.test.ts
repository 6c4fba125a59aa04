import { describe, expect, it } from 'vitest';
import type { RepairWindow } from '../../src/solver/index.js';
import {
  applyRepairPlan,
  RepairPlanSchema,
  repairAfterMaintenance,
  validateSchedule,
} from '../../src/solver/index.js';
import { aBooking, aPolicy, aQualification, aState, aTenant, aTool, at, hours, NOW } from './builders.js';

const pm = (start: number, end: number, toolIds = ['SEM-1']): RepairWindow => ({
  id: 'pm-1',
  toolIds,
  start,
  end,
  reason: 'planned',
});
const repair = (window: RepairWindow, state: ReturnType<typeof aState>, now = NOW) =>
  repairAfterMaintenance(window, state, { now });

describe('repairAfterMaintenance', () => {
  it('moves a displaced booking to the nearest free slot on the same tool', () => {
    const displaced = aBooking({ start: at('Mon 10:00'), end: at('Mon 11:00') });
    const state = aState({
      reservations: [aBooking({ start: at('Mon 08:00'), end: at('Mon 09:30') }), displaced],
    });
    const plan = repair(pm(at('Mon 09:45'), at('Mon 12:00')), state);
    expect(plan.moves).toEqual([
      {
        bookingId: displaced.id,
        tenantId: 'acme',
        from: { toolId: 'SEM-1', start: at('Mon 10:00'), end: at('Mon 11:00') },
        to: { toolId: 'SEM-1', start: at('Mon 12:00'), end: at('Mon 13:00') },
        reason: 'NEAREST_FREE_START',
      },
    ]);
    expect(plan.metrics).toEqual({
      displaced: 1,
      moved: 1,
      unplaceable: 0,
      conflicts: 0,
      displacementMinutes: 120,
      tenantsTouched: 1,
    });
  });

  it('moves a booking earlier when the earlier slot is nearer', () => {
    const displaced = aBooking({ start: at('Mon 10:00'), end: at('Mon 11:00') });
    const plan = repair(pm(at('Mon 09:30'), at('Mon 14:00')), aState({ reservations: [displaced] }));
    expect(plan.moves[0]!.to.start).toBe(at('Mon 08:30'));
  });

  it('keeps moved bookings inside their own allowed window, else uses an equivalent tool the user is qualified on', () => {
    const displaced = aBooking({
      start: at('Mon 10:00'),
      end: at('Mon 11:00'),
      allowedWindow: { earliestStart: at('Mon 09:00'), latestEnd: at('Mon 12:00') },
    });
    const tools = [
      aTool({ id: 'SEM-1' }),
      aTool({ id: 'SEM-2', materials: ['GaN'] }),
      aTool({ id: 'SEM-3' }),
    ];
    const plan = repair(pm(at('Mon 08:00'), at('Mon 18:00')), aState({ tools, reservations: [displaced] }));
    expect(plan.moves.map((m) => m.to)).toEqual([
      { toolId: 'SEM-3', start: at('Mon 10:00'), end: at('Mon 11:00') },
    ]);
  });

  it('keeps the policy: no move inside the minimum notice, nor past the qualification expiry', () => {
    const displaced = aBooking({ start: at('Mon 10:00'), end: at('Mon 11:00') });
    const state = aState({
      reservations: [displaced],
      policies: [aPolicy({ minNoticeMinutes: hours(2) })],
      qualifications: [aQualification({ expiresAt: at('Mon 13:00') })],
    });
    const plan = repair(pm(at('Mon 09:30'), at('Mon 12:00')), state, at('Mon 07:00'));
    expect(plan.moves[0]!.to.start).toBe(at('Mon 12:00'));
    const tooLate = repair(pm(at('Mon 09:30'), at('Mon 12:30')), state, at('Mon 07:00'));
    expect(tooLate.unplaceable.map((u) => u.explanation[0]!.reasons.map((r) => r.code))).toEqual([
      ['OUTSIDE_POLICY', 'QUALIFICATION_EXPIRED', 'TOOL_DOWN'],
    ]);
  });

  it('never moves an in-use booking: it is listed as a conflict', () => {
    const running = aBooking({ start: at('Mon 09:00'), end: at('Mon 11:00'), state: 'in_use' });
    const plan = repair(pm(at('Mon 10:00'), at('Mon 12:00')), aState({ reservations: [running] }));
    expect(plan.moves).toEqual([]);
    expect(plan.conflicts).toEqual([
      {
        bookingId: running.id,
        tenantId: 'acme',
        at: { toolId: 'SEM-1', start: running.start, end: running.end },
        reason: 'IN_USE',
      },
    ]);
  });

  it('lists a booking that fits nowhere as unplaceable, with the reasons per candidate tool', () => {
    const displaced = aBooking({
      start: at('Mon 10:00'),
      end: at('Mon 11:00'),
      allowedWindow: { earliestStart: at('Mon 09:00'), latestEnd: at('Mon 13:00') },
    });
    const blocker = aBooking({ start: at('Mon 12:00'), end: at('Mon 13:00'), tenantId: 'acme' });
    const plan = repair(pm(at('Mon 09:00'), at('Mon 12:00')), aState({ reservations: [displaced, blocker] }));
    expect(plan.unplaceable).toEqual([
      {
        bookingId: displaced.id,
        tenantId: 'acme',
        from: { toolId: 'SEM-1', start: at('Mon 10:00'), end: at('Mon 11:00') },
        reason: 'NO_FREE_START',
        explanation: [
          {
            toolId: 'SEM-1',
            reasons: [
              {
                code: 'TOOL_DOWN',
                status: 'up',
                maintenance: [{ start: at('Mon 09:00'), end: at('Mon 12:00') }],
              },
              { code: 'FULLY_BOOKED', busy: [{ start: at('Mon 12:00'), end: at('Mon 13:00') }] },
            ],
          },
        ],
      },
    ]);
    expect(plan.metrics).toMatchObject({ displaced: 1, moved: 0, unplaceable: 1 });
  });

  it('displaces a booking whose buffer reaches into the window, and leaves the others alone', () => {
    const state = aState({
      policies: [aPolicy({ bufferAfterMinutes: 15 })],
      reservations: [
        aBooking({ id: 'buffer', start: at('Mon 08:00'), end: at('Mon 08:50') }),
        aBooking({ id: 'clear', start: at('Mon 07:00'), end: at('Mon 07:45') }),
      ],
    });
    const plan = repair(pm(at('Mon 09:00'), at('Mon 10:00')), state);
    expect(plan.moves.map((m) => m.bookingId)).toEqual(['buffer']);
  });

  it('serves the higher-priority tenant first', () => {
    const low = aBooking({ id: 'low', tenantId: 'uni', start: at('Mon 10:00'), end: at('Mon 11:00') });
    const high = aBooking({ id: 'high', tenantId: 'acme', start: at('Mon 11:00'), end: at('Mon 12:00') });
    const state = aState({
      tenants: [aTenant({ priority: 5 }), aTenant({ id: 'uni', class: 'university', priority: 1 })],
      reservations: [low, high],
    });
    const plan = repair(pm(at('Mon 10:00'), at('Mon 12:00')), state);
    const to = Object.fromEntries(plan.moves.map((m) => [m.bookingId, m.to.start]));
    expect(to).toEqual({ high: at('Mon 12:00'), low: at('Mon 09:00') });
  });

  it('moves a booking already moved out of the way when that lets a stranded one fit', () => {
    // 'flexible' sits nearer the window's edge, so it goes first and takes 13:00, the only slot 'rigid' accepts.
    const blocker = aBooking({ start: at('Mon 08:00'), end: at('Mon 09:30') });
    const flexible = aBooking({
      id: 'flexible',
      start: at('Mon 10:00'),
      end: at('Mon 11:00'),
      allowedWindow: { earliestStart: at('Mon 08:00'), latestEnd: at('Mon 18:00') },
    });
    const rigid = aBooking({
      id: 'rigid',
      start: at('Mon 11:00'),
      end: at('Mon 12:00'),
      allowedWindow: { earliestStart: at('Mon 11:00'), latestEnd: at('Mon 14:00') },
    });
    const plan = repair(
      pm(at('Mon 09:30'), at('Mon 13:00')),
      aState({ reservations: [blocker, flexible, rigid] }),
    );
    expect(plan.moves.map((m) => [m.bookingId, m.to.start])).toEqual([
      ['flexible', at('Mon 14:00')],
      ['rigid', at('Mon 13:00')],
    ]);
    expect(plan.metrics).toMatchObject({ moved: 2, unplaceable: 0 });
  });

  describe('the rule: as many kept as possible, higher priority first, then the least displacement', () => {
    // The tool is booked until the window and from 12:30, leaving 12:00–12:30 free right after it.
    const calendar = () => [
      aBooking({ id: 'before', start: at('Mon 07:00'), end: at('Mon 09:00') }),
      aBooking({ id: 'after', start: at('Mon 12:30'), end: at('Mon 13:00') }),
    ];
    const tenants = [
      aTenant({ id: 'inst', class: 'institute', priority: 3 }),
      aTenant({ id: 'acme', class: 'industry', priority: 2 }),
      aTenant({ id: 'uni', class: 'university', priority: 1 }),
    ];
    const window = pm(at('Mon 09:00'), at('Mon 12:00'));

    it('moves a higher-priority booking further, inside its window, so that a narrow lower one is kept too', () => {
      const flexible = aBooking({
        id: 'flexible',
        tenantId: 'inst',
        start: at('Mon 10:00'),
        end: at('Mon 10:30'),
        allowedWindow: { earliestStart: at('Mon 09:00'), latestEnd: at('Mon 18:00') },
      });
      const narrow = aBooking({
        id: 'narrow',
        tenantId: 'acme',
        start: at('Mon 11:00'),
        end: at('Mon 11:30'),
        allowedWindow: { earliestStart: at('Mon 11:00'), latestEnd: at('Mon 12:30') },
      });
      const plan = repair(window, aState({ tenants, reservations: [...calendar(), flexible, narrow] }));
      expect(plan.moves.map((m) => [m.bookingId, m.to.start, m.reason])).toEqual([
        ['flexible', at('Mon 13:00'), 'MOVED_FURTHER_TO_MAKE_ROOM'],
        ['narrow', at('Mon 12:00'), 'NEAREST_FREE_START'],
      ]);
      expect(plan).toMatchObject({ unplaceable: [], upperBound: 2 });
    });

    it('gives the only room to the higher-priority booking, even when the lower one has fewer starts', () => {
      const higher = aBooking({
        id: 'higher',
        tenantId: 'inst',
        start: at('Mon 11:00'),
        end: at('Mon 11:25'),
        allowedWindow: { earliestStart: at('Mon 11:00'), latestEnd: at('Mon 12:30') },
      });
      const lower = aBooking({
        id: 'lower',
        tenantId: 'uni',
        start: at('Mon 10:00'),
        end: at('Mon 10:30'),
        allowedWindow: { earliestStart: at('Mon 10:00'), latestEnd: at('Mon 12:30') },
      });
      const plan = repair(window, aState({ tenants, reservations: [...calendar(), higher, lower] }));
      expect(plan.moves.map((m) => [m.bookingId, m.to.start])).toEqual([['higher', at('Mon 12:00')]]);
      expect(plan.unplaceable.map((u) => [u.bookingId, u.reason])).toEqual([
        ['lower', 'TAKEN_BY_EQUAL_OR_HIGHER_PRIORITY'],
      ]);
      // Both fit alone, but not together: the bound sees it without searching.
      expect(plan.upperBound).toBe(1);
    });

    it('answers at once without the search, and the injected deadline stops it with a sound plan', () => {
      const bookings = [0, 1, 2, 3, 4].map((i) =>
        aBooking({
          id: `b${i}`,
          tenantId: tenants[i % 3]!.id,
          start: at('Mon 09:00') + i * 35,
          end: at('Mon 09:30') + i * 35,
          allowedWindow: { earliestStart: at('Mon 08:00'), latestEnd: at('Mon 16:00') },
        }),
      );
      const state = aState({ tenants, reservations: [...calendar(), ...bookings] });
      const greedy = repairAfterMaintenance(window, state, { now: NOW, search: { iterations: 0 } });
      let asked = 0;
      const stopped = repairAfterMaintenance(window, state, {
        now: NOW,
        search: { shouldStop: () => ++asked > 0 },
      });
      expect(asked).toBeGreaterThan(0);
      expect(stopped).toEqual(greedy);
      for (const plan of [greedy, repair(window, state)]) {
        const applied = aState({ tenants, reservations: [...calendar(), ...bookings] });
        applyRepairPlan(plan, applied);
        expect(validateSchedule(applied)).toEqual([]);
        expect(plan.metrics.moved).toBe(5);
      }
      expect(repair(window, state).metrics.displacementMinutes).toBeLessThanOrEqual(
        greedy.metrics.displacementMinutes,
      );
    });
  });

  it('leaves the state as it found it, and its plan applies to a clean schedule', () => {
    const reservations = [0, 1, 2, 3].map((i) =>
      aBooking({ start: at('Mon 08:00') + hours(i), end: at('Mon 09:00') + hours(i) }),
    );
    const state = aState({ tools: [aTool({ id: 'SEM-1' }), aTool({ id: 'SEM-2' })], reservations });
    const before = state.toSnapshot();
    const plan = repair(pm(at('Mon 08:30'), at('Mon 10:30')), state);
    expect(new Set(state.toSnapshot().reservations)).toEqual(new Set(before.reservations));
    expect(() => RepairPlanSchema.parse(plan)).not.toThrow();
    expect(repair(pm(at('Mon 08:30'), at('Mon 10:30')), state)).toEqual(plan);
    applyRepairPlan(plan, state);
    expect(validateSchedule(state)).toEqual([]);
    expect(state.reservation('pm-1/SEM-1')).toMatchObject({ kind: 'maintenance', start: at('Mon 08:30') });
  });
});
