// Why a displaced booking moved where it did, or cannot be kept: the codes a repair plan carries and
// their words, the same for every tenant. They name no other booking or tenant. Plain data without
// zod, so the API's schemas (bundled into workflows) can use them without the solver's model.

export const REPAIR_MOVE_REASONS = ['NEAREST_FREE_START', 'MOVED_FURTHER_TO_MAKE_ROOM'] as const;
export type RepairMoveReason = (typeof REPAIR_MOVE_REASONS)[number];

export const REPAIR_UNPLACEABLE_REASONS = ['NO_FREE_START', 'TAKEN_BY_EQUAL_OR_HIGHER_PRIORITY'] as const;
export type RepairUnplaceableReason = (typeof REPAIR_UNPLACEABLE_REASONS)[number];

/** The rule every repair follows (src/solver/README.md says how). */
export const REPAIR_RULE =
  'Maintenance keeps as many of the bookings in its way as it can, and a higher-priority tenant never ' +
  'loses a booking so that a lower-priority one keeps theirs; then it moves them as little as possible ' +
  'in total, each only within its own window and the tool’s policies.';

export const REPAIR_REASON_TEXT: Readonly<Record<RepairMoveReason | RepairUnplaceableReason, string>> = {
  NEAREST_FREE_START:
    'Moved to the free start nearest its original time that its own window, the tool’s policies and the calendar allow.',
  MOVED_FURTHER_TO_MAKE_ROOM:
    'Moved further than its nearest free start, still within its own window and the tool’s policies: ' +
    `that start went to another booking the maintenance displaced. ${REPAIR_RULE}`,
  NO_FREE_START:
    'Cannot be kept: there is no free start in its window on any tool it may use (the reasons per tool say what blocks it).',
  TAKEN_BY_EQUAL_OR_HIGHER_PRIORITY:
    'Cannot be kept: it would fit on its own, but every start it may use went to displaced bookings of ' +
    `equal or higher priority. ${REPAIR_RULE}`,
};
