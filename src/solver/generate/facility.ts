import type {
  Booking,
  Maintenance,
  Policy,
  Qualification,
  SetupRule,
  SolverSnapshot,
  Tenant,
} from '../model.js';
import { SOLVER_MODEL_VERSION } from '../model.js';
import { QuotaLedger } from '../quota.js';
import { MINUTES_PER_DAY } from '../week.js';
import type { ToolModel } from './catalogue.js';
import { CATALOGUE, PRIORITY_BY_CLASS, profileOf, TENANTS } from './catalogue.js';
import type { Hotspot, Member, PlannedTool } from './history.js';
import { historyFor, maintenanceFor } from './history.js';
import { Prng } from './prng.js';

export type { Hotspot } from './history.js';

// A seeded pilot line with a calendar: tools scaled from the catalogue, tenants and qualified users,
// policies, PM windows and outages, and a history of bookings that keeps every rule (the referee
// agrees), dense in the past and thinning out after `now`.

/** Monday 2025-01-06 00:00 in Hong Kong. */
export const DEFAULT_START = Date.UTC(2025, 0, 5, 16, 0) / 60_000;

export interface FacilityOptions {
  readonly seed: number;
  /** Number of tools (default 40): the catalogue's ~38, fewer interleaved by area, more as extra copies. */
  readonly tools?: number;
  /** Days of calendar before `now` (default 365). */
  readonly historyDays?: number;
  /** Days of bookings after `now`, thinning out (default 28). */
  readonly futureDays?: number;
  readonly start?: number;
  readonly hotspots?: readonly Hotspot[];
}

export interface GeneratedFacility {
  readonly snapshot: SolverSnapshot;
  readonly now: number;
  readonly start: number;
  readonly end: number;
}

export function generateFacility(options: FacilityOptions): GeneratedFacility {
  const rng = new Prng(options.seed);
  const start = options.start ?? DEFAULT_START;
  const now = start + (options.historyDays ?? 365) * MINUTES_PER_DAY;
  const end = now + (options.futureDays ?? 28) * MINUTES_PER_DAY;
  const planned = planTools(options.tools ?? 40);
  const tenants: Tenant[] = TENANTS.map((t) => ({
    id: t.id,
    name: t.name,
    class: t.class,
    priority: PRIORITY_BY_CLASS[t.class],
  }));
  const members: Member[] = TENANTS.flatMap((tenant) =>
    Array.from({ length: tenant.users }, (_, i) => ({ userId: `${tenant.id}-u${i + 1}`, tenant })),
  );
  const qualifications = qualify(members, planned, rng.fork(1), start, end);
  const policies = policiesFor(planned);
  const setupRules = setupRulesFor(planned);
  const ledger = new QuotaLedger();
  const reservations: (Booking | Maintenance)[] = [];
  planned.forEach((p, i) => {
    const toolRng = rng.fork(100 + i);
    const maintenance = maintenanceFor(p, toolRng, start, end);
    reservations.push(...maintenance);
    reservations.push(
      ...historyFor(p, {
        rng: toolRng,
        start,
        now,
        end,
        maintenance,
        members,
        qualifications,
        ledger,
        setupRules,
        hotspots: options.hotspots ?? [],
      }),
    );
  });
  const snapshot: SolverSnapshot = {
    version: SOLVER_MODEL_VERSION,
    tools: planned.map((p) => p.tool),
    reservations,
    setupRules,
    policies,
    qualifications,
    tenants,
  };
  return { snapshot, now, start, end };
}

const EXTRA_ORDER = ['metrology', 'etch', 'lithography', 'wet', 'deposition', 'implant', 'epitaxy'];

/** The first `count` tools, taking the areas in turn so that small facilities still have a bit of everything. */
function planTools(count: number): PlannedTool[] {
  const byArea = new Map<string, { model: ToolModel; copy: number }[]>();
  for (const model of CATALOGUE) {
    const list = byArea.get(model.area) ?? [];
    for (let copy = 1; copy <= model.count; copy++) list.push({ model, copy });
    byArea.set(model.area, list);
  }
  const interleaved: { model: ToolModel; copy: number }[] = [];
  for (let round = 0; interleaved.length < CATALOGUE.reduce((n, m) => n + m.count, 0); round++) {
    for (const list of byArea.values()) if (round < list.length) interleaved.push(list[round]!);
  }
  // Beyond the catalogue, extra copies go to the busiest areas first (short, high-demand bookings).
  const extras = [...interleaved].sort(
    (a, b) => EXTRA_ORDER.indexOf(a.model.area) - EXTRA_ORDER.indexOf(b.model.area),
  );
  const chosen: PlannedTool[] = [];
  for (let i = 0; i < count; i++) {
    const round = Math.floor(i / interleaved.length);
    const base = round === 0 ? interleaved[i]! : extras[i % interleaved.length]!;
    const copy = base.copy + round * base.model.count;
    const { model } = base;
    // E-beam evaporators: gold is allowed in the first one only.
    const contaminationClass =
      model.type === 'ebeam-evaporator' && copy === 1 ? 'au-metal' : model.contaminationClass;
    chosen.push({
      model,
      profile: profileOf(model),
      tool: {
        id: `${model.idPrefix}-${copy}`,
        type: model.type,
        name: `${model.name} #${copy}`,
        materials: [...model.materials],
        waferSizes: [...model.waferSizes],
        contaminationClass,
        batchCapacity: model.batchCapacity ?? 1,
        status: 'up',
      },
    });
  }
  return chosen;
}

function qualify(
  members: readonly Member[],
  planned: readonly PlannedTool[],
  rng: Prng,
  start: number,
  end: number,
): Qualification[] {
  const types = [...new Map(planned.map((p) => [p.tool.type, p])).values()];
  const qualifications: Qualification[] = [];
  for (const { userId, tenant } of members) {
    for (const { tool, model } of types) {
      if (!tool.materials.some((m) => tenant.materials.includes(m))) continue;
      if (!rng.chance(model.area === 'metrology' ? 0.9 : 0.6)) continue;
      // A few qualifications lapse during the period: those users book nothing on the type afterwards.
      const expiresAt = rng.chance(0.06) ? rng.int(start, end) : undefined;
      qualifications.push({
        userId,
        appliesTo: { kind: 'toolType', toolType: tool.type },
        ...(expiresAt === undefined ? {} : { expiresAt }),
      });
    }
  }
  return qualifications;
}

function policiesFor(planned: readonly PlannedTool[]): Policy[] {
  const types = new Map(planned.map((p) => [p.tool.type, p.profile]));
  return [...types].map(([toolType, profile]) => ({
    appliesTo: { kind: 'toolType', toolType },
    minDurationMinutes: profile.minMinutes,
    maxDurationMinutes: profile.maxMinutes,
    minNoticeMinutes: profile.minNoticeMinutes,
    maxAdvanceMinutes: profile.maxAdvanceMinutes,
    bufferAfterMinutes: profile.bufferAfterMinutes,
    weeklyQuotaHours: profile.weeklyQuotaHours,
    approvalRequired: profile.approvalRequired,
  }));
}

function setupRulesFor(planned: readonly PlannedTool[]): SetupRule[] {
  const rules: SetupRule[] = [];
  for (const [toolType, profile] of new Map(planned.map((p) => [p.tool.type, p.profile]))) {
    if (profile.seasoningMinutes) {
      rules.push({
        dimension: 'material',
        appliesTo: { kind: 'toolType', toolType },
        from: 'any',
        to: 'any',
        minutes: profile.seasoningMinutes,
      });
    }
  }
  // After gold, the chamber is cleaned before anything else goes in.
  rules.push({
    dimension: 'contamination',
    appliesTo: { kind: 'toolType', toolType: 'ebeam-evaporator' },
    from: 'au-metal',
    to: 'any',
    minutes: 90,
  });
  return rules;
}
