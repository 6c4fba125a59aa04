import fc from 'fast-check';
import type {
  Booking,
  ContaminationGroup,
  Material,
  PlacementRequest,
  Policy,
  Reservation,
  SetupRule,
  SolverSnapshot,
  Tool,
  WaferSize,
} from '../../src/solver/index.js';
import { SOLVER_MODEL_VERSION, validateSchedule } from '../../src/solver/index.js';
import { at } from './builders.js';

// Small random facilities for property tests: two tool types, a few tools, a clean schedule
// (candidate reservations are kept only when the referee finds nothing wrong), and one request.

/** Sunday evening before a quota week turns over, so windows often straddle two weeks. */
export const ORIGIN = at('Sun 20:00');
export const HORIZON = 1_200;

const MATERIALS: Material[] = ['SiC', 'GaN', 'GaN-on-Si', 'Si'];
const SIZES: WaferSize[] = [100, 150, 200];
const GROUPS: ContaminationGroup[] = ['cmos-clean', 'standard', 'au-metal'];
const TYPES = ['sem', 'etch'];

/** Mostly on a 15-minute grid (as real bookings are), so boundaries coincide often; sometimes any minute. */
function grid(min: number, max: number): fc.Arbitrary<number> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.integer({ min: Math.ceil(min / 15), max: Math.floor(max / 15) }).map((k) => k * 15),
    },
    { weight: 1, arbitrary: fc.integer({ min, max }) },
  );
}

const toolArb = (id: string, type: string): fc.Arbitrary<Tool> =>
  fc.record({
    id: fc.constant(id),
    type: fc.constant(type),
    materials: fc.subarray(MATERIALS, { minLength: 1 }),
    waferSizes: fc.subarray(SIZES, { minLength: 1 }),
    contaminationClass: fc.constantFrom<ContaminationGroup>('cmos-clean', 'standard', 'au-metal', 'au-metal'),
    batchCapacity: fc.constant(1),
    status: fc.constantFrom<Tool['status']>('up', 'up', 'up', 'up', 'up', 'down'),
  });

const policyArb = (appliesTo: Policy['appliesTo']): fc.Arbitrary<Policy> =>
  fc
    .record(
      {
        appliesTo: fc.constant(appliesTo),
        minDurationMinutes: grid(5, 20),
        maxDurationMinutes: grid(60, 200),
        minNoticeMinutes: grid(0, 120),
        maxAdvanceMinutes: grid(100, 1500),
        bufferAfterMinutes: fc.constantFrom(0, 5, 15),
        weeklyQuotaHours: fc.constantFrom(1.5, 3, 8, 20),
        approvalRequired: fc.boolean(),
        startGridMinutes: fc.constantFrom(20, 30, 60),
      },
      { requiredKeys: ['appliesTo'] },
    )
    .map((p) => (appliesTo.kind === 'tool' ? { ...p, weeklyQuotaHours: undefined } : p));

const setupRuleArb = (toolType: string): fc.Arbitrary<SetupRule> =>
  fc.oneof(
    fc.record({
      dimension: fc.constant('material' as const),
      appliesTo: fc.constant({ kind: 'toolType' as const, toolType }),
      from: fc.constantFrom<Material | 'any'>('any', ...MATERIALS),
      to: fc.constantFrom<Material | 'any'>('any', ...MATERIALS),
      minutes: fc.integer({ min: 5, max: 45 }),
    }),
    fc.record({
      dimension: fc.constant('contamination' as const),
      appliesTo: fc.constant({ kind: 'toolType' as const, toolType }),
      from: fc.constantFrom('any' as const, 'au-metal' as const),
      to: fc.constantFrom('any' as const, 'cmos-clean' as const, 'standard' as const),
      minutes: fc.integer({ min: 5, max: 60 }),
    }),
  );

/** A booking that fits its tool (material, size, cleanliness); the referee decides whether it fits the rest. */
const bookingArb = (tools: readonly Tool[]): fc.Arbitrary<Reservation> =>
  fc
    .record({
      tool: fc.constantFrom(...tools),
      pick: fc.nat(),
      start: grid(ORIGIN - 300, ORIGIN + HORIZON),
      duration: grid(5, 120),
      state: fc.constantFrom<Booking['state']>('held', 'confirmed', 'confirmed', 'in_use'),
      tenantId: fc.constantFrom('acme', 'acme', 'uni'),
      userId: fc.constantFrom('ann', 'bob', 'bob'),
      group: fc.nat(2),
      flex: fc.option(fc.tuple(grid(0, 180), grid(0, 180)), { nil: undefined }),
    })
    .map(({ tool, pick, start, duration, state, tenantId, userId, group, flex }): Booking => ({
      kind: 'booking',
      id: '',
      toolId: tool.id,
      start,
      end: start + duration,
      state,
      tenantId,
      userId,
      material: tool.materials[pick % tool.materials.length]!,
      waferSize: tool.waferSizes[(pick >> 2) % tool.waferSizes.length]!,
      contaminationGroup: GROUPS[Math.min(group, GROUPS.indexOf(tool.contaminationClass))]!,
      ...(flex === undefined
        ? {}
        : {
            allowedWindow: {
              earliestStart: Math.max(0, start - flex[0]),
              latestEnd: start + duration + flex[1],
            },
          }),
    }));

const maintenanceArb = (tools: readonly Tool[]): fc.Arbitrary<Reservation> =>
  fc
    .record({
      tool: fc.constantFrom(...tools),
      start: grid(ORIGIN, ORIGIN + HORIZON),
      duration: grid(30, 300),
    })
    .map(({ tool, start, duration }) => ({
      kind: 'maintenance',
      id: '',
      toolId: tool.id,
      start,
      end: start + duration,
      reason: 'planned',
    }));

/** A facility with a clean schedule (validateSchedule finds nothing), as plain data. */
export const facilityArb: fc.Arbitrary<SolverSnapshot> = fc
  .record({ sems: fc.integer({ min: 1, max: 3 }), etches: fc.integer({ min: 0, max: 2 }) })
  .chain(({ sems, etches }) => {
    const ids: [string, string][] = [
      ...Array.from({ length: sems }, (_, i): [string, string] => [`SEM-${i + 1}`, 'sem']),
      ...Array.from({ length: etches }, (_, i): [string, string] => [`ETCH-${i + 1}`, 'etch']),
    ];
    return fc.record({
      tools: fc.tuple(...ids.map(([id, type]) => toolArb(id, type))),
      typePolicies: fc.tuple(
        ...TYPES.map((t) =>
          fc.option(policyArb({ kind: 'toolType', toolType: t }), { nil: undefined, freq: 3 }),
        ),
      ),
      toolPolicy: fc.option(policyArb({ kind: 'tool', toolId: 'SEM-1' }), { nil: undefined, freq: 4 }),
      setupRules: fc.array(fc.oneof(setupRuleArb('sem'), setupRuleArb('etch')), { maxLength: 2 }),
      annExpiry: fc.option(grid(ORIGIN, ORIGIN + HORIZON), { nil: undefined, freq: 3 }),
      annOnTool: fc.boolean(),
    });
  })
  .chain((parts) =>
    fc
      .array(
        fc.oneof(
          { weight: 8, arbitrary: bookingArb(parts.tools) },
          { weight: 1, arbitrary: maintenanceArb(parts.tools) },
        ),
        { minLength: 10, maxLength: 60, size: 'max' },
      )
      .map((candidates): SolverSnapshot => {
        const base: SolverSnapshot = {
          version: SOLVER_MODEL_VERSION,
          tools: [...parts.tools],
          reservations: [],
          setupRules: parts.setupRules,
          policies: [...parts.typePolicies, parts.toolPolicy].filter((p): p is Policy => p !== undefined),
          qualifications: [
            { userId: 'bob', appliesTo: { kind: 'toolType', toolType: 'sem' } },
            { userId: 'bob', appliesTo: { kind: 'toolType', toolType: 'etch' } },
            { userId: 'ann', appliesTo: { kind: 'toolType', toolType: 'etch' } },
            parts.annOnTool
              ? { userId: 'ann', appliesTo: { kind: 'tool', toolId: 'SEM-1' }, expiresAt: parts.annExpiry }
              : {
                  userId: 'ann',
                  appliesTo: { kind: 'toolType', toolType: 'sem' },
                  expiresAt: parts.annExpiry,
                },
          ],
          tenants: [
            { id: 'acme', name: 'Acme Power', class: 'industry', priority: 1 },
            { id: 'uni', name: 'Harbour University', class: 'university', priority: 2 },
          ],
        };
        return { ...base, reservations: keepClean(base, candidates) };
      }),
  );

/** Adds the candidates one by one, keeping each only if the schedule stays clean. */
function keepClean(base: SolverSnapshot, candidates: readonly Reservation[]): Reservation[] {
  const kept: Reservation[] = [];
  const typeOf = new Map(base.tools.map((t) => [t.id, t.type]));
  candidates.forEach((candidate, i) => {
    const reservation = { ...candidate, id: `${candidate.kind === 'booking' ? 'b' : 'm'}${i}` };
    // Only reservations on the same tool type can conflict with the candidate (tools, quotas).
    const sameType = kept.filter((r) => typeOf.get(r.toolId) === typeOf.get(reservation.toolId));
    if (validateSchedule({ ...base, reservations: [...sameType, reservation] }).length === 0)
      kept.push(reservation);
  });
  return kept;
}

export interface Scenario {
  readonly snapshot: SolverSnapshot;
  readonly request: PlacementRequest;
  readonly now: number;
}

/** A facility and a request that mostly suits one of its tools (so both answers are common). */
export const scenarioArb: fc.Arbitrary<Scenario> = facilityArb.chain((snapshot) =>
  fc
    .record({
      target: fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(...TYPES).map((toolType) => ({ kind: 'toolType' as const, toolType })),
        },
        {
          weight: 1,
          arbitrary: fc
            .subarray([...snapshot.tools.map((t) => t.id), 'XRD-1'], { minLength: 1 })
            .map((toolIds) => ({ kind: 'tools' as const, toolIds })),
        },
      ),
      tenantId: fc.constantFrom('acme', 'uni'),
      userId: fc.constantFrom('ann', 'ann', 'bob'),
      like: fc.constantFrom(...snapshot.tools),
      pick: fc.nat(),
      odd: fc.nat(9),
      durationMinutes: grid(5, 90),
      earliestStart: grid(ORIGIN - 60, ORIGIN + HORIZON - 200),
      slack: grid(0, 300),
      preferredToolId: fc.option(fc.constantFrom(...snapshot.tools.map((t) => t.id)), { nil: undefined }),
      lead: grid(0, 400),
    })
    .map(
      ({
        target,
        tenantId,
        userId,
        like,
        pick,
        odd,
        durationMinutes,
        earliestStart,
        slack,
        preferredToolId,
        lead,
      }): Scenario => {
        // Nine times in ten the wafer suits `like`, one of the tools; otherwise anything goes.
        const fits = odd > 0;
        const request: PlacementRequest = {
          id: 'req-1',
          tenantId,
          userId,
          target: target ?? { kind: 'toolType', toolType: like.type },
          durationMinutes,
          earliestStart,
          latestEnd: earliestStart + durationMinutes + slack,
          material: fits ? like.materials[pick % like.materials.length]! : MATERIALS[pick % 4]!,
          waferSize: fits ? like.waferSizes[(pick >> 2) % like.waferSizes.length]! : SIZES[pick % 3]!,
          contaminationGroup: fits
            ? GROUPS[Math.min((pick >> 4) % 3, GROUPS.indexOf(like.contaminationClass))]!
            : GROUPS[pick % 3]!,
          preferredToolId,
        };
        return { snapshot, request, now: earliestStart - lead };
      },
    ),
);
