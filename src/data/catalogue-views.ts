import type { PolicyView } from '../domain/policy.js';
import type { RateView } from '../domain/rate.js';
import type { SetupRuleView } from '../domain/setup-rule.js';
import type { ToolTypeView } from '../domain/tool-admin.js';
import type { Policy, Rate, SetupRule, ToolType } from '../generated/prisma/client.js';

// Tool types, policies, setup rules and rates as the catalogue pages see them.

export function toolTypeView(row: ToolType & { _count: { tools: number } }): ToolTypeView {
  return { id: row.id, name: row.name, area: row.area, description: row.description, tools: row._count.tools };
}

export const toolTypeCounts = { _count: { select: { tools: { where: { retiredAt: null } } } } } as const;

export function policyView(row: Policy): PolicyView {
  return {
    id: row.id,
    toolTypeId: row.toolTypeId,
    toolId: row.toolId,
    minDurationMin: row.minDurationMin,
    maxDurationMin: row.maxDurationMin,
    minNoticeMin: row.minNoticeMin,
    maxAdvanceMin: row.maxAdvanceMin,
    bufferAfterMin: row.bufferAfterMin,
    weeklyQuotaMin: row.weeklyQuotaMin,
    approvalRequired: row.approvalRequired,
    approvalTimeoutMin: row.approvalTimeoutMin,
    checkInGraceMin: row.checkInGraceMin,
    lateCancelMin: row.lateCancelMin,
    lateCancelChargePercent: row.lateCancelChargePercent,
    noShowChargePercent: row.noShowChargePercent,
    reminderOffsetsMin: row.reminderOffsetsMin,
    startGridMin: row.startGridMin,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function setupRuleView(row: SetupRule): SetupRuleView {
  return {
    id: row.id,
    toolTypeId: row.toolTypeId,
    toolId: row.toolId,
    dimension: row.dimension === 'material' ? 'material' : 'contamination',
    fromGroup: row.fromGroup,
    toGroup: row.toGroup,
    minutes: row.minutes,
  };
}

export function rateView(row: Rate, current: boolean): RateView {
  return {
    id: row.id,
    toolTypeId: row.toolTypeId,
    tenantClass: row.tenantClass,
    hourlyRateCents: row.hourlyRateCents,
    currency: row.currency,
    validFrom: row.validFrom.toISOString(),
    current,
  };
}
