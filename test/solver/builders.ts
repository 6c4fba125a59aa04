import type {
  Booking,
  Maintenance,
  PlacementRequest,
  Policy,
  Qualification,
  SetupRule,
  SolverSnapshot,
  Tenant,
  Tool,
} from '../../src/solver/index.js';
import { buildSolverState, SOLVER_MODEL_VERSION } from '../../src/solver/index.js';
import type { SolverState } from '../../src/solver/index.js';

// Scenario builders: every default fits every other default, so a test states only what matters to it.

/** Monday 2025-03-03 00:00 in Hong Kong (a quota week starts here), in minutes since the epoch. */
export const MONDAY = Date.UTC(2025, 2, 2, 16, 0) / 60_000;
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** A minute in the reference week, Hong Kong time: at('Tue 14:30'); at('Mon 09:00', 1) is a week later. */
export function at(spec: string, weeksLater = 0): number {
  const match = /^(\w{3}) (\d{2}):(\d{2})$/.exec(spec);
  const day = match === null ? -1 : DAYS.indexOf(match[1]!);
  if (match === null || day < 0) throw new Error(`bad time ${spec}`);
  return MONDAY + (weeksLater * 7 + day) * 1440 + Number(match[2]) * 60 + Number(match[3]);
}

export const hours = (n: number): number => n * 60;

export function aTool(overrides: Partial<Tool> = {}): Tool {
  return {
    id: 'SEM-1',
    type: 'sem',
    materials: ['SiC', 'GaN', 'GaN-on-Si', 'Si'],
    waferSizes: [100, 150, 200],
    contaminationClass: 'standard',
    batchCapacity: 1,
    status: 'up',
    ...overrides,
  };
}

let nextId = 0;

export function aBooking(overrides: Partial<Booking> = {}): Booking {
  const start = overrides.start ?? at('Mon 09:00');
  return {
    kind: 'booking',
    id: `b${++nextId}`,
    toolId: 'SEM-1',
    start,
    end: start + 60,
    state: 'confirmed',
    tenantId: 'acme',
    userId: 'ann',
    material: 'SiC',
    waferSize: 150,
    contaminationGroup: 'standard',
    ...overrides,
  };
}

export function aMaintenance(overrides: Partial<Maintenance> = {}): Maintenance {
  const start = overrides.start ?? at('Mon 09:00');
  return {
    kind: 'maintenance',
    id: `m${++nextId}`,
    toolId: 'SEM-1',
    start,
    end: start + hours(8),
    reason: 'planned',
    ...overrides,
  };
}

export function aPolicy(overrides: Partial<Policy> = {}): Policy {
  return { appliesTo: { kind: 'toolType', toolType: 'sem' }, ...overrides };
}

export function aSetupRule(
  overrides: Partial<Extract<SetupRule, { dimension: 'material' }>> = {},
): SetupRule {
  return {
    dimension: 'material',
    appliesTo: { kind: 'toolType', toolType: 'sem' },
    from: 'any',
    to: 'any',
    minutes: 30,
    ...overrides,
  };
}

export function aQualification(overrides: Partial<Qualification> = {}): Qualification {
  return { userId: 'ann', appliesTo: { kind: 'toolType', toolType: 'sem' }, ...overrides };
}

export function aTenant(overrides: Partial<Tenant> = {}): Tenant {
  return { id: 'acme', name: 'Acme Power Devices', class: 'industry', priority: 1, ...overrides };
}

export function aRequest(overrides: Partial<PlacementRequest> = {}): PlacementRequest {
  return {
    id: `r${++nextId}`,
    tenantId: 'acme',
    userId: 'ann',
    target: { kind: 'toolType', toolType: 'sem' },
    durationMinutes: 60,
    earliestStart: at('Mon 08:00'),
    latestEnd: at('Fri 18:00'),
    material: 'SiC',
    waferSize: 150,
    contaminationGroup: 'standard',
    ...overrides,
  };
}

export function aSnapshot(parts: Partial<SolverSnapshot> = {}): SolverSnapshot {
  return {
    version: SOLVER_MODEL_VERSION,
    tools: [aTool()],
    reservations: [],
    setupRules: [],
    policies: [],
    qualifications: [aQualification()],
    tenants: [aTenant()],
    ...parts,
  };
}

export function aState(parts: Partial<SolverSnapshot> = {}): SolverState {
  return buildSolverState(aSnapshot(parts));
}

/** "Now" for tests: the Sunday before the reference week, so notice rules do not bite unless asked. */
export const NOW = at('Mon 00:00') - 1440;
