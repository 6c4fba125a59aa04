import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  AllocationRequestInput,
  Booking,
  PlacementRequest,
  SolverSnapshot,
} from '../../src/solver/index.js';
import {
  allocateRound,
  AllocationInputSchema,
  buildSolverState,
  checkPlacement,
  placeBooking,
  SOLVER_MODEL_VERSION,
  validateSchedule,
} from '../../src/solver/index.js';
import {
  aMaintenance,
  aPolicy,
  aQualification,
  aSnapshot,
  aTenant,
  aTool,
  at,
  hours,
  NOW,
} from './builders.js';

// Property: whatever the requests, pins and drops, a round accounts for every request once, grants
// only what the referee accepts inside each request's own window and tools, never a dropped one,
// and its reasons agree with online placement on the calendar before the round.

const tenants = [
  aTenant({ id: 'inst', class: 'institute', priority: 3 }),
  aTenant({ id: 'uni', class: 'university', priority: 1 }),
  aTenant({ id: 'ind', class: 'industry', priority: 2 }),
];
const tools = ['R-1', 'R-2'].map((id) => aTool({ id, type: 'reactor', materials: ['GaN', 'GaN-on-Si'] }));
const snapshot: SolverSnapshot = aSnapshot({
  tools,
  tenants,
  policies: [
    aPolicy({
      appliesTo: { kind: 'toolType', toolType: 'reactor' },
      bufferAfterMinutes: 60,
      minDurationMinutes: 60,
    }),
  ],
  setupRules: [
    {
      dimension: 'material',
      appliesTo: { kind: 'toolType', toolType: 'reactor' },
      from: 'any',
      to: 'any',
      minutes: 120,
    },
  ],
  // Everyone but one user is qualified; a PM window on R-2 on Wednesday.
  qualifications: ['inst-u', 'uni-u', 'ind-u'].map((userId) =>
    aQualification({ userId, appliesTo: { kind: 'toolType', toolType: 'reactor' } }),
  ),
  reservations: [aMaintenance({ id: 'pm', toolId: 'R-2', start: at('Wed 00:00'), end: at('Wed 12:00') })],
});

const request = fc.record({
  tenant: fc.constantFrom('inst', 'uni', 'ind'),
  hours: fc.integer({ min: 2, max: 14 }),
  day: fc.integer({ min: 0, max: 6 }),
  days: fc.integer({ min: 1, max: 7 }),
  material: fc.constantFrom('GaN' as const, 'GaN-on-Si' as const),
  onlyR1: fc.boolean(),
  priority: fc.integer({ min: 1, max: 3 }),
  mark: fc.constantFrom('none', 'none', 'none', 'pin', 'drop'),
});

function requestsOf(drawn: ReadonlyArray<typeof request extends fc.Arbitrary<infer T> ? T : never>): AllocationRequestInput[] {
  return drawn.map((r, i) => {
    const earliestStart = at('Mon 00:00') + r.day * 1_440;
    const latestEnd = Math.min(at('Mon 00:00', 1), earliestStart + r.days * 1_440);
    const durationMinutes = Math.min(hours(r.hours), latestEnd - earliestStart);
    return {
      id: `q${i}`,
      tenantId: r.tenant,
      // One request in ten comes from someone without the qualification.
      userId: i % 10 === 9 ? 'stranger' : `${r.tenant}-u`,
      toolType: 'reactor',
      ...(r.onlyR1 ? { toolIds: ['R-1'] } : {}),
      durationMinutes,
      earliestStart,
      latestEnd,
      material: r.material,
      waferSize: 150,
      priority: r.priority,
      order: i,
      ...(r.mark === 'pin' ? { pinned: {} } : {}),
      dropped: r.mark === 'drop',
    };
  });
}

function asPlacement(r: AllocationRequestInput): PlacementRequest {
  return {
    id: r.id,
    tenantId: r.tenantId,
    userId: r.userId,
    target: r.toolIds ? { kind: 'tools', toolIds: r.toolIds } : { kind: 'toolType', toolType: r.toolType },
    durationMinutes: r.durationMinutes,
    earliestStart: r.earliestStart,
    latestEnd: r.latestEnd,
    material: r.material,
    waferSize: r.waferSize,
    contaminationGroup: 'standard',
  };
}

describe('allocateRound under generated rounds', () => {
  it('accounts for every request once, grants only sound slots, and gives reasons online placement agrees with', () => {
    fc.assert(
      fc.property(
        fc.array(request, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 1_000 }),
        (drawn, seed) => {
          const requests = requestsOf(drawn);
          const input = AllocationInputSchema.parse({
            version: SOLVER_MODEL_VERSION,
            requests,
            shares: { institute: 40, university: 30, industry: 30 },
            now: NOW,
          });
          const result = allocateRound(input, buildSolverState(snapshot), { seed, iterations: 150 });
          const ids = [
            ...result.grants.map((g) => g.requestId),
            ...result.leftOut.map((l) => l.requestId),
          ].sort();
          expect(ids).toEqual(requests.map((r) => r.id).sort());

          const byId = new Map(requests.map((r) => [r.id, r]));
          const granted: Booking[] = result.grants.map((g) => {
            const r = byId.get(g.requestId)!;
            expect(r.dropped).toBe(false);
            expect(g.pinned).toBe(r.pinned !== undefined);
            return {
              kind: 'booking',
              id: g.requestId,
              toolId: g.toolId,
              start: g.start,
              end: g.end,
              state: 'confirmed',
              tenantId: r.tenantId,
              userId: r.userId,
              material: r.material,
              waferSize: 150,
              contaminationGroup: 'standard',
            };
          });
          const all = { ...snapshot, reservations: [...snapshot.reservations, ...granted] };
          expect(validateSchedule(all)).toEqual([]);
          for (const g of result.grants) {
            const others = { ...all, reservations: all.reservations.filter((x) => x.id !== g.requestId) };
            expect(checkPlacement(asPlacement(byId.get(g.requestId)!), g, others, NOW)).toEqual([]);
          }

          const before = buildSolverState(snapshot);
          for (const left of result.leftOut) {
            const r = byId.get(left.requestId)!;
            const alone = placeBooking(asPlacement(r), before, NOW).status;
            if (r.dropped) expect(left.reason).toBe('DROPPED_BY_MANAGER');
            else if (left.reason === 'BLOCKED_BY_RULE' || left.reason === 'NO_FREE_TIME')
              expect(alone).toBe('infeasible');
            else expect(alone).toBe('feasible');
            if (r.userId === 'stranger' && !r.dropped) expect(left.reason).toBe('BLOCKED_BY_RULE');
          }
          // A pinned request that fits alone is granted, whatever the shares.
          for (const r of requests) {
            if (
              r.pinned &&
              !r.dropped &&
              placeBooking(asPlacement(r), before, NOW).status === 'feasible' &&
              !result.grants.some((g) => g.requestId === r.id)
            ) {
              // Only other pins can have taken its time.
              expect(requests.filter((o) => o.pinned && o.id !== r.id).length).toBeGreaterThan(0);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
