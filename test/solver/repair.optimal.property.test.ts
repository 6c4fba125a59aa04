import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  Booking,
  Material,
  PlacementRequest,
  Policy,
  RepairPlan,
  RepairWindow,
  Reservation,
  SetupRule,
  SolverSnapshot,
  Tenant,
  Tool,
} from '../../src/solver/index.js';
import {
  applyRepairPlan,
  buildSolverState,
  checkPlacement,
  repairAfterMaintenance,
  SOLVER_MODEL_VERSION,
  validateSchedule,
} from '../../src/solver/index.js';
import { at } from './builders.js';

// Small repairs (at most ten bookings, one or two equivalent tools) against a brute-force search that
// knows only the referee: it tries every order of the displaced bookings on each tool, each at the
// earliest minute the referee accepts after the one before (a feasible set can always be packed so),
// and keeps the best counts, highest priority first. The repair must keep at least as many.

const FLEX = 120;
/** Sunday 21:00 in Hong Kong: windows often straddle a quota week. */
const ORIGIN = at('Sun 21:00');
const TENANTS: Tenant[] = [
  { id: 'inst', name: 'Institute team', class: 'institute', priority: 3 },
  { id: 'ind', name: 'Industry company', class: 'industry', priority: 2 },
  { id: 'uni', name: 'University group', class: 'university', priority: 1 },
];
const MATERIALS: Material[] = ['SiC', 'GaN'];

interface Instance {
  readonly snapshot: SolverSnapshot;
  readonly window: RepairWindow;
  readonly now: number;
}

const minutes = (min: number, max: number, step = 5) =>
  fc.integer({ min: min / step, max: max / step }).map((k) => k * step);

const instanceArb: fc.Arbitrary<Instance> = fc
  .record({
    tools: fc.integer({ min: 1, max: 2 }),
    narrowSecond: fc.boolean(),
    buffer: fc.constantFrom(0, 5, 15),
    quotaHours: fc.constantFrom(undefined, undefined, 2, 4),
    uniFirst: fc.boolean(),
    changeover: fc.option(fc.integer({ min: 5, max: 45 }), { nil: undefined }),
    // Back to back with short gaps, so the space around the window is contested.
    bookings: fc.array(
      fc.record({
        tool: fc.integer({ min: 0, max: 1 }),
        gap: fc.constantFrom(0, 0, 10, 20, 45),
        duration: minutes(15, 90, 15),
        tenant: fc.integer({ min: 0, max: 2 }),
        material: fc.constantFrom(...MATERIALS),
        waferSize: fc.constantFrom(150 as const, 150 as const, 200 as const),
        earlier: fc.option(fc.constantFrom(0, 30, 60, 120, 240), { nil: undefined }),
        later: fc.constantFrom(0, 30, 60, 120, 240),
      }),
      { minLength: 2, maxLength: 10, size: 'max' },
    ),
    window: fc.record({ start: minutes(-90, 30), length: minutes(45, 180), both: fc.boolean() }),
    // Other maintenance closing the calendar a little before and after the bookings: little room to share.
    roomBefore: fc.option(fc.constantFrom(0, 30, 60, 120), { nil: undefined, freq: 4 }),
    roomAfter: fc.option(fc.constantFrom(0, 30, 60, 120), { nil: undefined, freq: 4 }),
  })
  .map((p): Instance => {
    const tools: Tool[] = Array.from({ length: p.tools }, (_, i) => ({
      id: `SEM-${i + 1}`,
      type: 'sem',
      materials: [...MATERIALS],
      // The second tool sometimes takes only small wafers: equivalent for some bookings, not all.
      waferSizes: i === 1 && p.narrowSecond ? [150] : [150, 200],
      contaminationClass: 'standard',
      batchCapacity: 1,
      status: 'up',
    }));
    const policies: Policy[] = [
      {
        appliesTo: { kind: 'toolType', toolType: 'sem' },
        bufferAfterMinutes: p.buffer,
        ...(p.quotaHours === undefined ? {} : { weeklyQuotaHours: p.quotaHours }),
        ...(p.uniFirst ? { tenantPriority: { university: 5 } } : {}),
      },
    ];
    const setupRules: SetupRule[] =
      p.changeover === undefined
        ? []
        : [
            {
              dimension: 'material',
              appliesTo: { kind: 'toolType', toolType: 'sem' },
              from: 'any',
              to: 'any',
              minutes: p.changeover,
            },
          ];
    const base: SolverSnapshot = {
      version: SOLVER_MODEL_VERSION,
      tools,
      reservations: [],
      setupRules,
      policies,
      qualifications: TENANTS.map((t) => ({
        userId: `${t.id}-user`,
        appliesTo: { kind: 'toolType', toolType: 'sem' },
      })),
      tenants: TENANTS,
    };
    const cursor = tools.map(() => ORIGIN - 150);
    const candidates = p.bookings.map((b, i): Booking => {
      const tool = b.tool % tools.length;
      const start = cursor[tool]! + b.gap;
      cursor[tool] = start + b.duration + p.buffer + (p.changeover ?? 0);
      const tenant = TENANTS[b.tenant]!;
      return {
        kind: 'booking',
        id: `b${i}`,
        toolId: tools[tool]!.id,
        start,
        end: start + b.duration,
        state: 'confirmed',
        tenantId: tenant.id,
        userId: `${tenant.id}-user`,
        material: b.material,
        // The narrow second tool only gets wafers it takes (the first one takes both sizes).
        waferSize: tool === 1 && p.narrowSecond ? 150 : b.waferSize,
        contaminationGroup: 'standard',
        ...(b.earlier === undefined
          ? {}
          : { allowedWindow: { earliestStart: start - b.earlier, latestEnd: start + b.duration + b.later } }),
      };
    });
    const reservations: Reservation[] = [];
    tools.forEach((tool, i) => {
      const block = (id: string, start: number, end: number): Reservation => ({
        kind: 'maintenance',
        id: `${id}/${tool.id}`,
        toolId: tool.id,
        start,
        end,
        reason: 'recurring',
      });
      if (p.roomBefore !== undefined)
        reservations.push(block('before', ORIGIN - 1_500, ORIGIN - 150 - p.roomBefore));
      if (p.roomAfter !== undefined)
        reservations.push(block('after', cursor[i]! + p.roomAfter, cursor[i]! + p.roomAfter + 1_500));
    });
    for (const candidate of candidates) {
      const tried = [...reservations, candidate];
      if (validateSchedule({ ...base, reservations: tried }).length === 0) reservations.push(candidate);
    }
    const start = ORIGIN + p.window.start;
    const window: RepairWindow = {
      id: 'pm',
      toolIds: p.window.both ? tools.map((t) => t.id) : [tools[0]!.id],
      start,
      end: start + p.window.length,
      reason: 'planned',
    };
    return { snapshot: { ...base, reservations }, window, now: ORIGIN - 600 };
  });

const repair = ({ snapshot, window, now }: Instance) =>
  repairAfterMaintenance(window, buildSolverState(snapshot), { now, defaultFlexMinutes: FLEX });

function priorityOf(booking: Booking, snapshot: SolverSnapshot): number {
  const tenant = snapshot.tenants.find((t) => t.id === booking.tenantId)!;
  const override = snapshot.policies.find((p) => p.tenantPriority !== undefined)?.tenantPriority;
  return override?.[tenant.class] ?? tenant.priority;
}

function requestFor(booking: Booking): PlacementRequest {
  const window = booking.allowedWindow ?? {
    earliestStart: booking.start - FLEX,
    latestEnd: booking.end + FLEX,
  };
  const { id, tenantId, userId, material, waferSize, contaminationGroup } = booking;
  return {
    id,
    tenantId,
    userId,
    target: { kind: 'toolType', toolType: 'sem' },
    durationMinutes: booking.end - booking.start,
    ...window,
    material,
    waferSize,
    contaminationGroup,
  };
}

/** Every start the referee accepts for the booking's request on the tool, in the given calendar. */
function acceptedStarts(booking: Booking, toolId: string, calendar: SolverSnapshot, now: number): number[] {
  const request = requestFor(booking);
  const d = request.durationMinutes;
  const starts: number[] = [];
  for (let s = request.earliestStart; s + d <= request.latestEnd; s++)
    if (checkPlacement(request, { toolId, start: s, end: s + d }, calendar, now).length === 0) starts.push(s);
  return starts;
}

interface Setting {
  readonly displaced: Booking[];
  /** The calendar that stays: no displaced booking, the maintenance in. */
  readonly fixed: SolverSnapshot;
  readonly levels: number[];
}

function settingOf({ snapshot, window }: Instance, plan: RepairPlan): Setting {
  const ids = new Set([...plan.moves.map((m) => m.bookingId), ...plan.unplaceable.map((u) => u.bookingId)]);
  const displaced = snapshot.reservations.filter((r): r is Booking => ids.has(r.id));
  const maintenance: Reservation[] = window.toolIds.map((toolId) => ({
    kind: 'maintenance',
    id: `pm/${toolId}`,
    toolId,
    start: window.start,
    end: window.end,
    reason: 'planned',
  }));
  const fixed = {
    ...snapshot,
    reservations: [...snapshot.reservations.filter((r) => !ids.has(r.id)), ...maintenance],
  };
  const levels = [...new Set(displaced.map((b) => priorityOf(b, snapshot)))].sort((a, b) => b - a);
  return { displaced, fixed, levels };
}

/** Bookings kept per priority level (highest first) by the best plan the referee accepts. */
function bruteForceKept(setting: Setting, snapshot: SolverSnapshot, now: number): number[] {
  const { displaced, fixed, levels } = setting;
  const tools = fixed.tools.map((t) => t.id);
  const level = displaced.map((b) => levels.indexOf(priorityOf(b, snapshot)));
  // Minutes a booking could take in the calendar that stays; changeovers aside, as a booking placed
  // in between lifts them. The referee decides each start for good below.
  const candidates = displaced.map((b) =>
    tools.map((toolId) => {
      const request = requestFor(b);
      const starts: number[] = [];
      for (let s = request.earliestStart; s + request.durationMinutes <= request.latestEnd; s++) {
        const slot = { toolId, start: s, end: s + request.durationMinutes };
        if (checkPlacement(request, slot, fixed, now).every((v) => v.code === 'CHANGEOVER')) starts.push(s);
      }
      return starts;
    }),
  );
  let best = levels.map(() => 0);
  const kept = levels.map(() => 0);
  const used = displaced.map(() => false);
  const better = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
    return false;
  };
  const search = (t: number, after: number, placed: Booking[]): void => {
    if (better(kept, best)) best = [...kept];
    if (t === tools.length) return;
    const ceiling = [...kept];
    displaced.forEach((_, i) => {
      if (!used[i]) ceiling[level[i]!]!++;
    });
    if (!better(ceiling, best)) return;
    const calendar = { ...fixed, reservations: [...fixed.reservations, ...placed] };
    displaced.forEach((b, i) => {
      if (used[i]) return;
      const request = requestFor(b);
      const d = request.durationMinutes;
      const start = candidates[i]![t]!.find(
        (s) =>
          s > after &&
          checkPlacement(request, { toolId: tools[t]!, start: s, end: s + d }, calendar, now).length === 0,
      );
      if (start === undefined) return;
      used[i] = true;
      kept[level[i]!]!++;
      search(t, start, [...placed, { ...b, toolId: tools[t]!, start, end: start + d }]);
      kept[level[i]!]!--;
      used[i] = false;
    });
    search(t + 1, -Infinity, placed);
  };
  search(0, -Infinity, []);
  return best;
}

function keptByLevel(plan: RepairPlan, setting: Setting, snapshot: SolverSnapshot): number[] {
  const kept = setting.levels.map(() => 0);
  const moved = new Set(plan.moves.map((m) => m.bookingId));
  for (const b of setting.displaced)
    if (moved.has(b.id)) kept[setting.levels.indexOf(priorityOf(b, snapshot))]!++;
  return kept;
}

const RUNS = { numRuns: 300 };

describe('repairAfterMaintenance against brute force (small instances)', () => {
  it('keeps as many bookings as the brute-force search, level by level from the highest priority', () => {
    fc.assert(
      fc.property(instanceArb, (instance) => {
        const plan = repair(instance);
        const setting = settingOf(instance, plan);
        const best = bruteForceKept(setting, instance.snapshot, instance.now);
        const kept = keptByLevel(plan, setting, instance.snapshot);
        // At least as good, level by level: the first difference (if any) favours the repair.
        const first = kept.findIndex((k, i) => k !== best[i]);
        if (first >= 0) expect(kept[first]).toBeGreaterThan(best[first]!);
        expect(plan.upperBound).toBeGreaterThanOrEqual(best.reduce((a, b) => a + b, 0));
        expect(plan.upperBound).toBeGreaterThanOrEqual(plan.metrics.moved);
      }),
      RUNS,
    );
  });

  it('never leaves a booking out where it would fit if the lower-priority bookings moved there stepped aside', () => {
    fc.assert(
      fc.property(instanceArb, (instance) => {
        const { snapshot, now } = instance;
        const plan = repair(instance);
        const state = buildSolverState(snapshot);
        applyRepairPlan(plan, state);
        const after = state.toSnapshot();
        const byId = new Map(snapshot.reservations.map((r) => [r.id, r as Booking]));
        for (const out of plan.unplaceable) {
          const booking = byId.get(out.bookingId)!;
          const lower = new Set(
            plan.moves
              .filter((m) => priorityOf(byId.get(m.bookingId)!, snapshot) < priorityOf(booking, snapshot))
              .map((m) => m.bookingId),
          );
          const calendar = { ...after, reservations: after.reservations.filter((r) => !lower.has(r.id)) };
          for (const tool of snapshot.tools)
            expect(acceptedStarts(booking, tool.id, calendar, now), `${out.bookingId} on ${tool.id}`).toEqual(
              [],
            );
        }
      }),
      RUNS,
    );
  });

  it('says truly why: no free start at all, or its nearest one, or further to make room', () => {
    fc.assert(
      fc.property(instanceArb, (instance) => {
        const { snapshot, now } = instance;
        const plan = repair(instance);
        const { fixed } = settingOf(instance, plan);
        const byId = new Map(snapshot.reservations.map((r) => [r.id, r as Booking]));
        // The cheapest start alone in the calendar that stays: minutes moved, another tool costing more than any.
        const nearest = (booking: Booking) => {
          let best = Infinity;
          for (const tool of snapshot.tools) {
            const penalty = tool.id === booking.toolId ? 0 : 1e9;
            for (const s of acceptedStarts(booking, tool.id, fixed, now))
              best = Math.min(best, Math.abs(s - booking.start) + penalty);
          }
          return best;
        };
        for (const out of plan.unplaceable)
          expect(out.reason).toBe(
            nearest(byId.get(out.bookingId)!) === Infinity
              ? 'NO_FREE_START'
              : 'TAKEN_BY_EQUAL_OR_HIGHER_PRIORITY',
          );
        for (const move of plan.moves) {
          const cost =
            Math.abs(move.to.start - move.from.start) + (move.to.toolId === move.from.toolId ? 0 : 1e9);
          const alone = nearest(byId.get(move.bookingId)!);
          expect(cost).toBeGreaterThanOrEqual(alone);
          expect(move.reason).toBe(cost === alone ? 'NEAREST_FREE_START' : 'MOVED_FURTHER_TO_MAKE_ROOM');
        }
      }),
      RUNS,
    );
  });
});
