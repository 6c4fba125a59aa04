// Why a round left a request out, as codes and words the same for every tenant: they quote the
// request's own class share and rules, never another tenant or another booking. Plain data, no zod.

export const LEFT_OUT_REASONS = [
  'DROPPED_BY_MANAGER',
  'BLOCKED_BY_RULE',
  'NO_FREE_TIME',
  'QUOTA_REACHED',
  'CLASS_SHARE_REACHED',
  'TAKEN_WITHIN_CLASS',
  'TAKEN_IN_ROUND',
] as const;
export type LeftOutReasonCode = (typeof LEFT_OUT_REASONS)[number];

/** The fairness rule every round follows (src/solver/README.md says how). */
export const ALLOCATION_RULE =
  'Each tool type’s time in a round goes to the tenant classes in proportion to their target shares; ' +
  'a class that cannot use all of its share passes the rest on to the others. Within that, the round ' +
  'grants as many hours as fit, taking turns between the classes and tenants furthest below their part.';

export interface ShareWordsFacts {
  readonly tenantClass: string;
  readonly toolType: string;
  readonly targetPct: number;
  readonly wouldBePct: number;
  readonly tolerancePts: number;
}

const pct = (value: number) => `${value.toFixed(1)} %`;

/** The reason in one or two sentences. */
export function leftOutWords(reason: LeftOutReasonCode, share?: ShareWordsFacts): string {
  switch (reason) {
    case 'DROPPED_BY_MANAGER':
      return 'Left out of this round by the lab manager.';
    case 'BLOCKED_BY_RULE':
      return 'No tool it asked for may take it: the reasons per tool name the rule (qualification, material, wafer size, duration, notice or quota).';
    case 'NO_FREE_TIME':
      return 'Its window had no free time left on the tools it asked for before the round began (maintenance or existing bookings; the reasons per tool show when).';
    case 'QUOTA_REACHED':
      return 'Its tenant’s weekly quota on this tool type is used up by the tenant’s own requests granted in this round.';
    case 'CLASS_SHARE_REACHED':
      return share === undefined
        ? 'Granting it would take its tenant class above its target share.'
        : `There is time for it, but granting it would take the ${share.tenantClass} class to ${pct(share.wouldBePct)} of ` +
            `${share.toolType} time in this round, against a target of ${pct(share.targetPct)} ` +
            `(the round keeps each class within ${share.tolerancePts} point${share.tolerancePts === 1 ? '' : 's'} of its target).`;
    case 'TAKEN_WITHIN_CLASS':
      return 'It would fit on its own, but every start it may use went to requests of its own tenant class granted in this round.';
    case 'TAKEN_IN_ROUND':
      return (
        'It would fit on its own, but every start it may use went to requests granted in this round, ' +
        `chosen in turn by the fairness rule. ${ALLOCATION_RULE}`
      );
  }
}
