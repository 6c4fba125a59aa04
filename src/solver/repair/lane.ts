import type { ChangeoverTable } from '../setup.js';
import { changeoverMinutes } from '../setup.js';
import type { Footprint } from '../timeline-types.js';

// One tool's calendar as the repair search sees it: the reservations that stay put plus the jobs
// placed so far, in start order, in plain arrays. The rules are the timeline's (timeline-types.ts):
// footprints never overlap and neighbours in start order also need their changeover. A lane is small
// (the days around one window), so inserting by splice is cheaper than a tree.

/** Entries that are not jobs: the calendar the repair may not change. */
export const FIXED = -1;

export class Lane {
  readonly start: number[] = [];
  readonly until: number[] = [];
  /** The latest footprint end up to and including the entry (fixed entries may overlap: in-use bookings). */
  readonly carry: number[] = [];
  readonly setup: number[] = [];
  readonly job: number[] = [];

  constructor(
    readonly changeovers: ChangeoverTable,
    readonly maxChangeover: number,
    fixed: readonly Footprint[],
  ) {
    let carry = -Infinity;
    for (const f of fixed) {
      carry = Math.max(carry, f.until);
      this.start.push(f.start);
      this.until.push(f.until);
      this.carry.push(carry);
      this.setup.push(f.setup);
      this.job.push(FIXED);
    }
  }

  get size(): number {
    return this.start.length;
  }

  /** Index of the first entry starting after `minute` (the gap before it holds `minute`). */
  indexAfter(minute: number): number {
    let lo = 0;
    let hi = this.start.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.start[mid]! <= minute) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Earliest start for setup `k` in gap g (between entries g − 1 and g). */
  first(g: number, k: number): number {
    if (g === 0) return -Infinity;
    const p = g - 1;
    return Math.max(this.carry[p]!, this.until[p]! + changeoverMinutes(this.changeovers, this.setup[p]!, k));
  }

  /** Latest start in gap g for a footprint of `footprint` minutes with setup `k`. */
  last(g: number, k: number, footprint: number): number {
    if (g === this.start.length) return Infinity;
    return this.start[g]! - footprint - changeoverMinutes(this.changeovers, k, this.setup[g]!);
  }

  /** A lower bound on every start in gap g and later ones (the carry only grows). */
  floor(g: number): number {
    return g === 0 ? -Infinity : this.carry[g - 1]!;
  }

  insert(job: number, start: number, footprint: number, setup: number): void {
    const i = this.indexAfter(start);
    this.start.splice(i, 0, start);
    this.until.splice(i, 0, start + footprint);
    // A placed job fits after everything before it, so its own end is the carry.
    this.carry.splice(i, 0, start + footprint);
    this.setup.splice(i, 0, setup);
    this.job.splice(i, 0, job);
  }

  remove(job: number, start: number): void {
    for (let i = this.indexAfter(start) - 1; i >= 0 && this.start[i] === start; i--) {
      if (this.job[i] !== job) continue;
      this.start.splice(i, 1);
      this.until.splice(i, 1);
      this.carry.splice(i, 1);
      this.setup.splice(i, 1);
      this.job.splice(i, 1);
      return;
    }
    throw new Error(`lane holds no job ${job} at ${start}`);
  }
}
