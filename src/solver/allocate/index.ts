// Allocation rounds: the requests of one week on scarce tool types, allocated jointly within the
// tenant classes' target shares (src/solver/README.md states the rule).
export * from './model.js';
export { allocateRound, allocateFirstComeFirstServed } from './allocate.js';
export type { AllocationSearchOptions } from './allocate.js';
export { ALLOCATION_RULE, LEFT_OUT_REASONS, leftOutWords } from './reasons.js';
export type { LeftOutReasonCode } from './reasons.js';
export { effectiveTargets, fairSplit, jainIndex, shareDeviation } from './shares.js';
