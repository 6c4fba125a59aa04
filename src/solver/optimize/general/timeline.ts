import type { CompiledProblem } from '../compile.js';

/**
 * The runs booked on one machine during decoding, sorted by start. A run is one op or a batch of
 * ops with the same family, start and end. Blocked time is kept apart: changeovers are owed
 * between consecutive runs only. Runs are added and removed in LIFO order by the decoder, so a
 * removal always restores the state before the matching add.
 * Hot path: growable typed arrays, binary search, memmove inserts; the decoder calls these per op.
 */
export class MachineTimeline {
  private starts: Int32Array = new Int32Array(16);
  private ends: Int32Array = new Int32Array(16);
  private fams: Int32Array = new Int32Array(16);
  private used: Int32Array = new Int32Array(16);
  private count = 0;

  constructor(
    private readonly blocked: Int32Array,
    private readonly setup: Int32Array | null,
    private readonly nFamilies: number,
    private readonly capacity: number,
  ) {}

  clear(): void {
    this.count = 0;
  }

  private changeover(from: number, to: number): number {
    return this.setup === null ? 0 : this.setup[from * this.nFamilies + to]!;
  }

  /** Index of the first run starting at or after t. */
  private lowerBound(t: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Earliest t >= s where [t, t+dur) misses every blocked interval. */
  private pastBlocked(s: number, dur: number): number {
    const b = this.blocked;
    const nb = b.length >> 1;
    if (nb === 0) return s;
    // First blocked interval ending after s.
    let lo = 0;
    let hi = nb;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (b[2 * mid + 1]! <= s) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < nb; i++) {
      if (b[2 * i]! >= s + dur) break;
      s = b[2 * i + 1]!;
    }
    return s;
  }

  /**
   * Earliest start >= lo for an op of this family, duration and batch size: either joining a
   * compatible batch (same family and duration, room left) or a new run in a gap. Joining wins ties.
   */
  earliest(lo: number, dur: number, fam: number, size: number): number {
    const { starts, ends, fams } = this;
    const n = this.count;
    let best = Infinity;
    const first = this.lowerBound(lo);
    if (this.capacity > 1) {
      for (let k = first; k < n; k++) {
        if (fams[k] === fam && ends[k]! - starts[k]! === dur && this.used[k]! + size <= this.capacity) {
          best = starts[k]!;
          break;
        }
      }
    }
    // Gap g lies between run g-1 and run g; runs before `first` start before lo, so begin there.
    for (let g = first; g <= n; g++) {
      let s = lo;
      if (g > 0) {
        const e = ends[g - 1]! + this.changeover(fams[g - 1]!, fam);
        if (e > s) s = e;
      }
      if (s >= best) break;
      s = this.pastBlocked(s, dur);
      if (g < n && s + dur > starts[g]! - this.changeover(fam, fams[g]!)) continue;
      if (s < best) best = s;
      break;
    }
    return best;
  }

  /** Books [start, start+dur): joins the batch starting there if any, else adds a run. */
  add(start: number, dur: number, fam: number, size: number): void {
    const i = this.lowerBound(start);
    if (i < this.count && this.starts[i] === start) {
      this.used[i]! += size;
      return;
    }
    if (this.count === this.starts.length) this.grow();
    const { starts, ends, fams, used } = this;
    const n = this.count;
    if (i < n) {
      starts.copyWithin(i + 1, i, n);
      ends.copyWithin(i + 1, i, n);
      fams.copyWithin(i + 1, i, n);
      used.copyWithin(i + 1, i, n);
    }
    starts[i] = start;
    ends[i] = start + dur;
    fams[i] = fam;
    used[i] = size;
    this.count = n + 1;
  }

  /** Undoes the matching add. */
  remove(start: number, size: number): void {
    const i = this.lowerBound(start);
    this.used[i]! -= size;
    if (this.used[i]! > 0) return;
    const n = this.count;
    if (i < n - 1) {
      this.starts.copyWithin(i, i + 1, n);
      this.ends.copyWithin(i, i + 1, n);
      this.fams.copyWithin(i, i + 1, n);
      this.used.copyWithin(i, i + 1, n);
    }
    this.count = n - 1;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const bigger = (a: Int32Array): Int32Array => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.starts = bigger(this.starts);
    this.ends = bigger(this.ends);
    this.fams = bigger(this.fams);
    this.used = bigger(this.used);
  }
}

export function buildTimelines(c: CompiledProblem): MachineTimeline[] {
  return Array.from(
    { length: c.nMachines },
    (_, m) => new MachineTimeline(c.blocked[m]!, c.setup[m]!, c.nFamilies, c.capacity[m]!),
  );
}
