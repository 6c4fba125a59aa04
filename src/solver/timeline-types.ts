import type { ChangeoverTable, SetupKey } from './setup.js';

// The timeline contract shared by the fast ToolTimeline and the readable ReferenceTimeline.
//
// A reservation's footprint is [start, end + buffer) for bookings and [start, end) for maintenance;
// footprints never overlap, and two bookings adjacent in start order also need the changeover
// between their setups. Maintenance resets the chamber: no changeover on either side of it.

export interface TimelineEntry {
  readonly id: string;
  readonly start: number;
  readonly end: number;
  /** The booking's setup key, or NO_SETUP for maintenance. */
  readonly setup: SetupKey;
}

export interface Footprint extends TimelineEntry {
  /** Where the footprint ends: `end` plus the buffer for bookings. */
  readonly until: number;
}

export interface TimelineRules {
  readonly bufferAfterMinutes: number;
  readonly changeovers: ChangeoverTable;
}

export interface SlotQuery {
  readonly durationMinutes: number;
  readonly setup: SetupKey;
  readonly earliestStart: number;
  /** Inclusive. */
  readonly latestStart: number;
}

/** A feasible start in one free gap, with the gap's own range of feasible starts (±Infinity when open). */
export interface Slot {
  readonly start: number;
  readonly firstStart: number;
  readonly lastStart: number;
}

/** Return false to stop the search. */
export type SlotVisitor = (slot: Slot) => boolean;

export interface Timeline {
  readonly size: number;
  insert(entry: TimelineEntry): void;
  remove(id: string): boolean;
  has(id: string): boolean;
  /** All entries in start order. */
  entries(): Footprint[];
  /** Entries whose footprint overlaps [start, end), in start order. */
  overlapping(start: number, end: number): Footprint[];
  /** Feasible slots, one per free gap (its earliest start in the query window), earliest gap first. */
  forEachSlot(query: SlotQuery, visit: SlotVisitor): void;
  /** Feasible slots, one per free gap (its latest start in the query window), latest gap first. */
  forEachSlotBackward(query: SlotQuery, visit: SlotVisitor): void;
}

export function earliestSlot(timeline: Timeline, query: SlotQuery): Slot | undefined {
  let found: Slot | undefined;
  timeline.forEachSlot(query, (slot) => ((found = slot), false));
  return found;
}

export function latestSlot(timeline: Timeline, query: SlotQuery): Slot | undefined {
  let found: Slot | undefined;
  timeline.forEachSlotBackward(query, (slot) => ((found = slot), false));
  return found;
}
