import { ContaminationGroupSchema, MaterialSchema } from './model.js';
import type { ContaminationGroup, Material, SetupRule, Tool } from './model.js';
import { scopeCovers } from './scope.js';

// Sequence-dependent changeovers as a small per-tool matrix, so the hot path is one array read.

const MATERIALS = MaterialSchema.options;
const GROUPS = ContaminationGroupSchema.options;

/** The chamber state a booking leaves behind: material × contamination group, as a small integer. */
export type SetupKey = number;
export const SETUP_KEY_COUNT = MATERIALS.length * GROUPS.length;
/** Maintenance has no setup: a PM leaves the chamber clean, so no changeover on either side of it. */
export const NO_SETUP: SetupKey = -1;

export function setupKeyOf(material: Material, group: ContaminationGroup): SetupKey {
  return MATERIALS.indexOf(material) * GROUPS.length + GROUPS.indexOf(group);
}

/** Minutes between consecutive bookings, indexed [from * SETUP_KEY_COUNT + to]; null when a tool has no rules. */
export type ChangeoverTable = Int32Array | null;

export function changeoverMinutes(table: ChangeoverTable, from: SetupKey, to: SetupKey): number {
  return table === null || from < 0 || to < 0 ? 0 : table[from * SETUP_KEY_COUNT + to]!;
}

/** The largest changeover on the tool: how far a neighbour's setup can reach into a gap. */
export function maxChangeover(table: ChangeoverTable): number {
  let max = 0;
  if (table !== null) for (const minutes of table) max = Math.max(max, minutes);
  return max;
}

export function changeoverTableFor(
  tool: Pick<Tool, 'id' | 'type'>,
  rules: readonly SetupRule[],
): ChangeoverTable {
  const applicable = rules.filter((rule) => scopeCovers(rule.appliesTo, tool));
  if (applicable.length === 0) return null;
  const table = new Int32Array(SETUP_KEY_COUNT * SETUP_KEY_COUNT);
  for (let from = 0; from < SETUP_KEY_COUNT; from++) {
    for (let to = 0; to < SETUP_KEY_COUNT; to++) {
      let minutes = 0;
      for (const rule of applicable) {
        // Several rules may match one pair: the longest clean wins, they are not added up.
        if (ruleMatches(rule, from, to)) minutes = Math.max(minutes, rule.minutes);
      }
      table[from * SETUP_KEY_COUNT + to] = minutes;
    }
  }
  return table;
}

function ruleMatches(rule: SetupRule, from: SetupKey, to: SetupKey): boolean {
  const pick = rule.dimension === 'material' ? materialOf : groupOf;
  const a: string = pick(from);
  const b: string = pick(to);
  return a !== b && (rule.from === 'any' || rule.from === a) && (rule.to === 'any' || rule.to === b);
}

function materialOf(key: SetupKey): Material {
  return MATERIALS[Math.floor(key / GROUPS.length)]!;
}

function groupOf(key: SetupKey): ContaminationGroup {
  return GROUPS[key % GROUPS.length]!;
}
