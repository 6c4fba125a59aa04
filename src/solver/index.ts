// Pilotline's solver: pure functions over plain data. No I/O, no clock, no unseeded randomness.

export * from './model.js';
export { buildSolverState, SolverState } from './state.js';
export type { ToolContext } from './state.js';
export { placeBooking, explainRequest } from './place.js';
export type { PlaceBookingOptions } from './place.js';
export { validateSchedule, checkPlacement } from './check.js';
export { placeLinkedGroup, linkedToolIdsOf } from './linked.js';
export type { LinkedGroup, LinkedGroupPlacement } from './linked.js';
export { repairAfterMaintenance, applyRepairPlan } from './repair.js';
export type { RepairOptions, RepairSearchOptions } from './repair.js';
export { REPAIR_REASON_TEXT, REPAIR_RULE } from './repair/reasons.js';
export { ToolTimeline, earliestSlot, latestSlot } from './timeline.js';
export type { Timeline, TimelineEntry, Footprint, Slot, SlotQuery, TimelineRules } from './timeline.js';
export { SolverInputError } from './errors.js';
export { WEEK_ANCHOR_MINUTE, MINUTES_PER_WEEK, weekIndexOf, weekStartOf } from './week.js';
export * from './generate/index.js';
export * from './allocate/index.js';
