import { TenantClassSchema } from './model.js';
import type { Policy, TenantClass, Tool } from './model.js';
import { scopeCovers } from './scope.js';
import { MINUTES_PER_HOUR } from './week.js';

/** A tool's effective booking rules, every field filled (Infinity where there is no limit). */
export interface ResolvedPolicy {
  readonly minDurationMinutes: number;
  readonly maxDurationMinutes: number;
  readonly minNoticeMinutes: number;
  readonly maxAdvanceMinutes: number;
  readonly bufferAfterMinutes: number;
  readonly approvalRequired: boolean;
  /** The tool's own grid for offered starts; none: the caller's. */
  readonly startGridMinutes: number | undefined;
  readonly weeklyQuotaMinutes: Readonly<Record<TenantClass, number>>;
  readonly tenantPriority: Readonly<Partial<Record<TenantClass, number>>>;
}

/** Type-level policies first, then the tool's own: later fields override earlier ones. */
export function resolvePolicy(tool: Pick<Tool, 'id' | 'type'>, policies: readonly Policy[]): ResolvedPolicy {
  const layers = [
    ...policies.filter((p) => p.appliesTo.kind === 'toolType' && scopeCovers(p.appliesTo, tool)),
    ...policies.filter((p) => p.appliesTo.kind === 'tool' && scopeCovers(p.appliesTo, tool)),
  ];
  const merged: Partial<Policy> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined) Object.assign(merged, { [key]: value });
    }
  }
  const quota = {} as Record<TenantClass, number>;
  for (const tenantClass of TenantClassSchema.options) {
    const hours = merged.weeklyQuotaHoursByTenantClass?.[tenantClass] ?? merged.weeklyQuotaHours;
    quota[tenantClass] = hours === undefined ? Infinity : Math.round(hours * MINUTES_PER_HOUR);
  }
  return {
    minDurationMinutes: merged.minDurationMinutes ?? 1,
    maxDurationMinutes: merged.maxDurationMinutes ?? Infinity,
    minNoticeMinutes: merged.minNoticeMinutes ?? 0,
    maxAdvanceMinutes: merged.maxAdvanceMinutes ?? Infinity,
    bufferAfterMinutes: merged.bufferAfterMinutes ?? 0,
    approvalRequired: merged.approvalRequired ?? false,
    startGridMinutes: merged.startGridMinutes,
    weeklyQuotaMinutes: quota,
    tenantPriority: merged.tenantPriority ?? {},
  };
}
