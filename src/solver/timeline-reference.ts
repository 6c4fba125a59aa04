import { changeoverMinutes } from './setup.js';
import type {
  Footprint,
  Slot,
  SlotQuery,
  SlotVisitor,
  Timeline,
  TimelineEntry,
  TimelineRules,
} from './timeline-types.js';

/**
 * The readable timeline: a sorted array scanned gap by gap. It is the test oracle for ToolTimeline
 * (same results, O(n) per operation); nothing in the solver uses it.
 */
export class ReferenceTimeline implements Timeline {
  private readonly sorted: (Footprint & { readonly seq: number })[] = [];
  private nextSeq = 0;

  constructor(private readonly rules: TimelineRules) {}

  get size(): number {
    return this.sorted.length;
  }

  has(id: string): boolean {
    return this.sorted.some((e) => e.id === id);
  }

  insert(entry: TimelineEntry): void {
    if (this.has(entry.id)) throw new Error(`timeline already holds ${entry.id}`);
    const until = entry.end + (entry.setup < 0 ? 0 : this.rules.bufferAfterMinutes);
    const stored = {
      id: entry.id,
      start: entry.start,
      end: entry.end,
      setup: entry.setup,
      until,
      seq: this.nextSeq++,
    };
    const at = this.sorted.findIndex((e) => e.start > stored.start);
    this.sorted.splice(at === -1 ? this.sorted.length : at, 0, stored);
  }

  remove(id: string): boolean {
    const at = this.sorted.findIndex((e) => e.id === id);
    if (at !== -1) this.sorted.splice(at, 1);
    return at !== -1;
  }

  entries(): Footprint[] {
    return this.sorted.map(({ id, start, end, setup, until }) => ({ id, start, end, setup, until }));
  }

  overlapping(start: number, end: number): Footprint[] {
    return this.entries().filter((e) => e.start < end && e.until > start);
  }

  forEachSlot(query: SlotQuery, visit: SlotVisitor): void {
    for (const gap of this.gaps(query)) {
      const start = Math.max(gap.firstStart, query.earliestStart);
      if (start <= Math.min(gap.lastStart, query.latestStart) && !visit({ ...gap, start })) return;
    }
  }

  forEachSlotBackward(query: SlotQuery, visit: SlotVisitor): void {
    for (const gap of this.gaps(query).reverse()) {
      const start = Math.min(gap.lastStart, query.latestStart);
      if (start >= Math.max(gap.firstStart, query.earliestStart) && !visit({ ...gap, start })) return;
    }
  }

  /** Every gap between consecutive entries (and before the first, after the last), as feasible starts. */
  private gaps(query: SlotQuery): Slot[] {
    const { bufferAfterMinutes: buffer, changeovers } = this.rules;
    const gaps: Slot[] = [];
    let busyUntil = -Infinity;
    for (let i = 0; i <= this.sorted.length; i++) {
      const before = this.sorted[i - 1];
      const after = this.sorted[i];
      const firstStart =
        before === undefined
          ? -Infinity
          : Math.max(busyUntil, before.until + changeoverMinutes(changeovers, before.setup, query.setup));
      const lastStart =
        after === undefined
          ? Infinity
          : after.start -
            buffer -
            query.durationMinutes -
            changeoverMinutes(changeovers, query.setup, after.setup);
      gaps.push({ start: firstStart, firstStart, lastStart });
      if (after !== undefined) busyUntil = Math.max(busyUntil, after.until);
    }
    return gaps;
  }
}
