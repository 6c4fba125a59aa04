import type { AllocationInput, AllocationRequest, ClassShares } from '../allocate/model.js';
import type {
  Booking,
  Maintenance,
  Material,
  Policy,
  Qualification,
  SetupRule,
  SolverSnapshot,
  Tenant,
  TenantClass,
  Tool,
  WaferSize,
} from '../model.js';
import { SOLVER_MODEL_VERSION } from '../model.js';
import { MINUTES_PER_DAY, MINUTES_PER_HOUR, MINUTES_PER_WEEK } from '../week.js';
import { CATALOGUE, PRIORITY_BY_CLASS, profileOf, TENANTS } from './catalogue.js';
import { Prng } from './prng.js';

// A seeded contested week for an allocation round: the SiC epi reactors, the GaN MOCVD reactors and
// the implanter of the catalogue, twelve tenants (four per class), a PM window and a few bookings
// already in the week, and requests asking for about `demandFactor` times the free time of each
// tool type. Industry tends to submit first, universities last, as on a first-come website.

export interface RoundScenarioOptions {
  readonly seed: number;
  /** Requested minutes over free minutes, per tool type (default 2). */
  readonly demandFactor?: number;
  readonly shares?: ClassShares;
  /**
   * Keep the catalogue's weekly quotas per tenant (default false: on allocated tool types the round's
   * shares do that work, and a 40 h quota would cap the demand below twice the capacity).
   */
  readonly quotas?: boolean;
}

export interface RoundScenario {
  readonly snapshot: SolverSnapshot;
  readonly input: AllocationInput;
  readonly weekStart: number;
  readonly weekEnd: number;
}

/** Monday 2027-03-01 00:00 in Hong Kong. */
export const ROUND_WEEK_START = Date.UTC(2027, 1, 28, 16, 0) / 60_000;

const ALLOCATED_TYPES = ['sic-epi', 'gan-mocvd', 'ht-implanter'] as const;
const EXTRA_INSTITUTE = {
  id: 'inst-reliability',
  name: 'Institute · reliability lab',
  class: 'institute' as const,
  materials: ['SiC', 'GaN'] as Material[],
  users: 2,
};
/** Earlier keys submit first: industry watches the calendar most closely. */
const SUBMISSION_BIAS: Readonly<Record<TenantClass, number>> = {
  industry: 0,
  institute: 0.35,
  university: 0.7,
};

export function generateRoundScenario(options: RoundScenarioOptions): RoundScenario {
  const rng = new Prng(options.seed);
  const weekStart = ROUND_WEEK_START;
  const weekEnd = weekStart + MINUTES_PER_WEEK;
  const now = weekStart - 5 * MINUTES_PER_DAY;
  const models = CATALOGUE.filter((m) => (ALLOCATED_TYPES as readonly string[]).includes(m.type));
  const tools: Tool[] = models.flatMap((m) =>
    Array.from({ length: m.count }, (_, i) => ({
      id: `${m.idPrefix}-${i + 1}`,
      type: m.type,
      name: `${m.name} #${i + 1}`,
      materials: [...m.materials],
      waferSizes: [...m.waferSizes],
      contaminationClass: m.contaminationClass,
      batchCapacity: 1,
      status: 'up' as const,
    })),
  );
  const policies: Policy[] = models.map((m) => {
    const p = profileOf(m);
    return {
      appliesTo: { kind: 'toolType', toolType: m.type },
      minDurationMinutes: p.minMinutes,
      maxDurationMinutes: p.maxMinutes,
      minNoticeMinutes: p.minNoticeMinutes,
      maxAdvanceMinutes: p.maxAdvanceMinutes,
      bufferAfterMinutes: p.bufferAfterMinutes,
      ...(options.quotas ? { weeklyQuotaHours: p.weeklyQuotaHours } : {}),
      approvalRequired: p.approvalRequired,
      tenantPriority: { ...PRIORITY_BY_CLASS },
    };
  });
  const setupRules: SetupRule[] = [
    // Switching a MOCVD chamber between GaN-on-sapphire/SiC and GaN-on-Si templates needs a bake-out.
    {
      dimension: 'material',
      appliesTo: { kind: 'toolType', toolType: 'gan-mocvd' },
      from: 'any',
      to: 'any',
      minutes: 3 * MINUTES_PER_HOUR,
    },
    // The implanter changes ion source and wafer holder between SiC and GaN.
    {
      dimension: 'material',
      appliesTo: { kind: 'toolType', toolType: 'ht-implanter' },
      from: 'any',
      to: 'any',
      minutes: 45,
    },
  ];
  const chosen = [
    ...TENANTS.filter((t) => t.class === 'institute'),
    EXTRA_INSTITUTE,
    ...TENANTS.filter((t) => t.class === 'university'),
    ...TENANTS.filter((t) => t.class === 'industry').slice(0, 4),
  ];
  const tenants: Tenant[] = chosen.map((t) => ({
    id: t.id,
    name: t.name,
    class: t.class,
    priority: PRIORITY_BY_CLASS[t.class],
  }));
  const qualifications: Qualification[] = [];
  const usersOf = new Map<string, string[]>();
  for (const t of chosen) {
    const users = Array.from({ length: 2 }, (_, i) => `${t.id}-u${i + 1}`);
    usersOf.set(t.id, users);
    for (const userId of users) {
      for (const m of models) {
        if (m.materials.some((x) => t.materials.includes(x)))
          qualifications.push({ userId, appliesTo: { kind: 'toolType', toolType: m.type } });
      }
    }
  }
  const maintenance: Maintenance[] = [
    {
      kind: 'maintenance',
      id: 'pm-sicepi-2',
      toolId: 'SICEPI-2',
      start: weekStart + 2 * MINUTES_PER_DAY,
      end: weekStart + 2 * MINUTES_PER_DAY + 8 * MINUTES_PER_HOUR,
      reason: 'recurring',
    },
    {
      kind: 'maintenance',
      id: 'pm-mocvd-1',
      toolId: 'MOCVD-1',
      start: weekStart + MINUTES_PER_DAY,
      end: weekStart + MINUTES_PER_DAY + 8 * MINUTES_PER_HOUR,
      reason: 'recurring',
    },
  ];
  const existing: Booking[] = [
    aBooking('fcfs-1', 'SICEPI-1', weekStart + 9 * MINUTES_PER_HOUR, 6, 'inst-power', 'SiC'),
    aBooking(
      'fcfs-2',
      'MOCVD-2',
      weekStart + 3 * MINUTES_PER_DAY + 8 * MINUTES_PER_HOUR,
      8,
      'ind-bayside',
      'GaN',
    ),
    aBooking(
      'fcfs-3',
      'IMPL-1',
      weekStart + 4 * MINUTES_PER_DAY + 10 * MINUTES_PER_HOUR,
      3,
      'uni-harbour',
      'SiC',
    ),
  ];
  const snapshot: SolverSnapshot = {
    version: SOLVER_MODEL_VERSION,
    tools,
    reservations: [...maintenance, ...existing],
    setupRules,
    policies,
    qualifications,
    tenants,
  };
  const factor = options.demandFactor ?? 2;
  const requests: AllocationRequest[] = [];
  for (const m of models) {
    const onType = tools.filter((t) => t.type === m.type);
    const blocked = [...maintenance, ...existing]
      .filter((r) => onType.some((t) => t.id === r.toolId))
      .reduce((sum, r) => sum + r.end - r.start, 0);
    const free = onType.length * MINUTES_PER_WEEK - blocked;
    const users = chosen.filter((t) => m.materials.some((x) => t.materials.includes(x)));
    const weights = users.map((t) => (t.class === 'institute' ? 0.4 : 0.3) * (0.5 + rng.next()));
    const sum = weights.reduce((a, b) => a + b, 0);
    users.forEach((t, i) => {
      let asked = 0;
      const goal = (factor * free * weights[i]!) / sum;
      while (asked < goal) {
        const request = aRequest(rng, m.type, t, usersOf.get(t.id)!, onType, weekStart, requests.length + 1);
        asked += request.durationMinutes;
        requests.push(request);
      }
    });
  }
  const keys = requests.map((r) => {
    const tenant = chosen.find((t) => t.id === r.tenantId)!;
    return rng.next() + SUBMISSION_BIAS[tenant.class];
  });
  const order = requests.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]!);
  order.forEach((index, position) => (requests[index] = { ...requests[index]!, order: position }));
  const input: AllocationInput = {
    version: SOLVER_MODEL_VERSION,
    requests,
    shares: options.shares ?? { institute: 40, university: 30, industry: 30 },
    shareTolerancePts: 1,
    now,
  };
  return { snapshot, input, weekStart, weekEnd };
}

function aBooking(
  id: string,
  toolId: string,
  start: number,
  hours: number,
  tenantId: string,
  material: Material,
): Booking {
  return {
    kind: 'booking',
    id,
    toolId,
    start,
    end: start + hours * MINUTES_PER_HOUR,
    state: 'confirmed',
    tenantId,
    userId: `${tenantId}-u1`,
    material,
    waferSize: 150,
    contaminationGroup: 'standard',
  };
}

function aRequest(
  rng: Prng,
  toolType: string,
  tenant: { id: string; materials: readonly Material[] },
  users: readonly string[],
  tools: readonly Tool[],
  weekStart: number,
  serial: number,
): AllocationRequest {
  const model = CATALOGUE.find((m) => m.type === toolType)!;
  const [shortest, longest] = profileOf(model).typicalMinutes;
  const step = model.area === 'epitaxy' ? 30 : 15;
  const durationMinutes = rng.int(shortest / step, longest / step) * step;
  const materials = tools[0]!.materials.filter((x) => tenant.materials.includes(x));
  const material = rng.pick(materials);
  const waferSize = rng.pick(
    tools[0]!.waferSizes.filter((s) => s !== 200 || model.area === 'epitaxy'),
  ) as WaferSize;
  const shape = rng.next();
  let earliestStart = weekStart;
  let latestEnd = weekStart + MINUTES_PER_WEEK;
  if (shape >= 0.5) {
    // A few days, or one day, somewhere in the week.
    const days = shape < 0.8 ? rng.int(2, 3) : 1;
    const first = rng.int(0, 7 - days);
    earliestStart = weekStart + first * MINUTES_PER_DAY;
    latestEnd = Math.max(
      earliestStart + days * MINUTES_PER_DAY,
      earliestStart + durationMinutes + 4 * MINUTES_PER_HOUR,
    );
    latestEnd = Math.min(latestEnd, weekStart + MINUTES_PER_WEEK);
  }
  const toolIds = tools.length > 1 && rng.chance(0.15) ? [rng.pick(tools).id] : undefined;
  return {
    id: `${toolType}-${tenant.id}-${serial}`,
    tenantId: tenant.id,
    userId: rng.pick(users),
    toolType,
    ...(toolIds ? { toolIds } : {}),
    durationMinutes,
    earliestStart,
    latestEnd,
    material,
    waferSize,
    contaminationGroup: 'standard',
    priority: rng.int(1, 3),
    order: 0,
    dropped: false,
  };
}
