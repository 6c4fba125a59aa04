import { changeoverMinutes } from './setup.js';
import type {
  Footprint,
  SlotQuery,
  SlotVisitor,
  Timeline,
  TimelineEntry,
  TimelineRules,
} from './timeline-types.js';

// One tool's reservations, ordered by start, with O(log n) insert, remove, overlap query and gap search.
// Footprints, changeovers and the Timeline contract are described in timeline-types.ts.

export * from './timeline-types.js';

const NIL = 0;

/**
 * Hot path: an AVL tree stored in parallel typed arrays (no object per node), keyed by (start, insertion
 * order). Each node keeps its subtree's first and last node, largest footprint end and largest free
 * gap between consecutive footprints, so a gap search skips every subtree without a gap long enough.
 * The readable oracle is ReferenceTimeline in timeline-reference.ts; tests compare the two.
 */
export class ToolTimeline implements Timeline {
  private capacity = 0;
  private root = NIL;
  private nextFree = 1;
  private readonly freed: number[] = [];
  private nextSeq = 0;
  private readonly nodeOf = new Map<string, number>();
  private ids: string[] = [''];
  private startAt = new Float64Array(0);
  private endAt = new Float64Array(0);
  private untilAt = new Float64Array(0);
  private seqAt = new Float64Array(0);
  private setupAt = new Int32Array(0);
  private left = new Int32Array(0);
  private right = new Int32Array(0);
  private height = new Int32Array(0);
  private firstOf = new Int32Array(0);
  private lastOf = new Int32Array(0);
  private maxUntil = new Float64Array(0);
  private maxGap = new Float64Array(0);
  // Search parameters and results, kept on the instance so the recursive search allocates nothing.
  private need = 0;
  private keyStart = 0;
  private keySeq = 0;
  private hitCarry = 0;
  private hitPred = NIL;

  constructor(private readonly rules: TimelineRules) {
    this.grow(16);
  }

  get size(): number {
    return this.nodeOf.size;
  }

  has(id: string): boolean {
    return this.nodeOf.has(id);
  }

  insert(entry: TimelineEntry): void {
    if (this.nodeOf.has(entry.id)) throw new Error(`timeline already holds ${entry.id}`);
    const n = this.allocate();
    this.ids[n] = entry.id;
    this.startAt[n] = entry.start;
    this.endAt[n] = entry.end;
    this.untilAt[n] = entry.end + (entry.setup < 0 ? 0 : this.rules.bufferAfterMinutes);
    this.seqAt[n] = this.nextSeq++;
    this.setupAt[n] = entry.setup;
    this.left[n] = NIL;
    this.right[n] = NIL;
    this.update(n);
    this.nodeOf.set(entry.id, n);
    this.root = this.insertAt(this.root, n);
  }

  remove(id: string): boolean {
    const n = this.nodeOf.get(id);
    if (n === undefined) return false;
    this.root = this.removeAt(this.root, n);
    this.nodeOf.delete(id);
    this.ids[n] = '';
    this.freed.push(n);
    return true;
  }

  entries(): Footprint[] {
    const out: Footprint[] = [];
    this.collect(this.root, -Infinity, Infinity, out);
    return out;
  }

  overlapping(start: number, end: number): Footprint[] {
    const out: Footprint[] = [];
    this.collect(this.root, start, end, out);
    return out;
  }

  forEachSlot(query: SlotQuery, visit: SlotVisitor): void {
    const { durationMinutes: d, earliestStart: lo, latestStart: hi } = query;
    if (lo > hi) return;
    const need = d + this.rules.bufferAfterMinutes;
    // A gap can only hold a slot starting at or after lo if the node closing it starts at lo + need or later.
    this.keyStart = lo + need;
    this.keySeq = -1;
    for (;;) {
      this.need = need;
      const y = this.firstAfterKey(this.root, -Infinity, NIL);
      if (y === NIL) {
        this.visitGap(
          query,
          this.root === NIL ? NIL : this.lastOf[this.root]!,
          NIL,
          this.maxUntil[this.root]!,
          true,
          visit,
        );
        return;
      }
      if (!this.visitGap(query, this.hitPred, y, this.hitCarry, true, visit)) return;
      // Every later gap opens after y's footprint ends, which is past latestStart.
      if (this.startAt[y]! >= hi) return;
      this.keyStart = this.startAt[y]!;
      this.keySeq = this.seqAt[y]!;
    }
  }

  forEachSlotBackward(query: SlotQuery, visit: SlotVisitor): void {
    const { durationMinutes: d, earliestStart: lo, latestStart: hi } = query;
    if (lo > hi) return;
    const need = d + this.rules.bufferAfterMinutes;
    // First the gap holding latestStart: the one closed by the first node starting after it.
    this.need = -Infinity;
    this.keyStart = hi;
    this.keySeq = Infinity;
    let y = this.firstAfterKey(this.root, -Infinity, NIL);
    if (y === NIL) {
      const last = this.root === NIL ? NIL : this.lastOf[this.root]!;
      if (!this.visitGap(query, last, NIL, this.maxUntil[this.root]!, false, visit)) return;
      this.keyStart = Infinity;
      this.keySeq = Infinity;
    } else {
      if (!this.visitGap(query, this.hitPred, y, this.hitCarry, false, visit)) return;
      if (this.startAt[y]! - need < lo) return;
      this.keyStart = this.startAt[y]!;
      this.keySeq = this.seqAt[y]!;
    }
    for (;;) {
      this.need = need;
      y = this.lastBeforeKey(this.root, -Infinity, NIL);
      if (y === NIL) return;
      if (!this.visitGap(query, this.hitPred, y, this.hitCarry, false, visit)) return;
      // Every earlier gap closes before y starts, too early to start at lo or later.
      if (this.startAt[y]! - need < lo) return;
      this.keyStart = this.startAt[y]!;
      this.keySeq = this.seqAt[y]!;
    }
  }

  /** Checks the gap between pred and y (NIL: open) whose footprints before end at carry; false stops. */
  private visitGap(
    query: SlotQuery,
    pred: number,
    y: number,
    carry: number,
    forward: boolean,
    visit: SlotVisitor,
  ): boolean {
    const buffer = this.rules.bufferAfterMinutes;
    const table = this.rules.changeovers;
    let first = carry;
    if (pred !== NIL)
      first = Math.max(
        first,
        this.untilAt[pred]! + changeoverMinutes(table, this.setupAt[pred]!, query.setup),
      );
    const last =
      y === NIL
        ? Infinity
        : this.startAt[y]! -
          query.durationMinutes -
          buffer -
          changeoverMinutes(table, query.setup, this.setupAt[y]!);
    const from = Math.max(first, query.earliestStart);
    const to = Math.min(last, query.latestStart);
    if (from > to) return true;
    return visit({ start: forward ? from : to, firstStart: first, lastStart: last });
  }

  // ---- search: top-down, carrying the largest footprint end before the subtree and its predecessor ----

  private isAfterKey(n: number): boolean {
    const s = this.startAt[n]!;
    return s > this.keyStart || (s === this.keyStart && this.seqAt[n]! > this.keySeq);
  }

  private isBeforeKey(n: number): boolean {
    const s = this.startAt[n]!;
    return s < this.keyStart || (s === this.keyStart && this.seqAt[n]! < this.keySeq);
  }

  private hasGap(n: number, carry: number): boolean {
    return this.startAt[this.firstOf[n]!]! - carry >= this.need || this.maxGap[n]! >= this.need;
  }

  private hit(n: number, carry: number, pred: number): number {
    this.hitCarry = carry;
    this.hitPred = pred;
    return n;
  }

  /** First node after the key whose gap before it is at least `need`. */
  private firstAfterKey(n: number, carry: number, pred: number): number {
    if (n === NIL) return NIL;
    const l = this.left[n]!;
    const carryAtN = Math.max(carry, this.maxUntil[l]!);
    const predOfN = l === NIL ? pred : this.lastOf[l]!;
    if (!this.isAfterKey(n))
      return this.firstAfterKey(this.right[n]!, Math.max(carryAtN, this.untilAt[n]!), n);
    const found =
      l !== NIL && this.isAfterKey(this.firstOf[l]!)
        ? this.firstInSubtree(l, carry, pred)
        : this.firstAfterKey(l, carry, pred);
    if (found !== NIL) return found;
    if (this.startAt[n]! - carryAtN >= this.need) return this.hit(n, carryAtN, predOfN);
    return this.firstInSubtree(this.right[n]!, Math.max(carryAtN, this.untilAt[n]!), n);
  }

  private firstInSubtree(n: number, carry: number, pred: number): number {
    if (n === NIL || !this.hasGap(n, carry)) return NIL;
    const l = this.left[n]!;
    const found = this.firstInSubtree(l, carry, pred);
    if (found !== NIL) return found;
    const carryAtN = Math.max(carry, this.maxUntil[l]!);
    if (this.startAt[n]! - carryAtN >= this.need)
      return this.hit(n, carryAtN, l === NIL ? pred : this.lastOf[l]!);
    return this.firstInSubtree(this.right[n]!, Math.max(carryAtN, this.untilAt[n]!), n);
  }

  /** Last node before the key whose gap before it is at least `need`. */
  private lastBeforeKey(n: number, carry: number, pred: number): number {
    if (n === NIL) return NIL;
    const l = this.left[n]!;
    if (!this.isBeforeKey(n)) return this.lastBeforeKey(l, carry, pred);
    const carryAtN = Math.max(carry, this.maxUntil[l]!);
    const r = this.right[n]!;
    const carryAfterN = Math.max(carryAtN, this.untilAt[n]!);
    const found =
      r !== NIL && this.isBeforeKey(this.lastOf[r]!)
        ? this.lastInSubtree(r, carryAfterN, n)
        : this.lastBeforeKey(r, carryAfterN, n);
    if (found !== NIL) return found;
    if (this.startAt[n]! - carryAtN >= this.need)
      return this.hit(n, carryAtN, l === NIL ? pred : this.lastOf[l]!);
    return this.lastInSubtree(l, carry, pred);
  }

  private lastInSubtree(n: number, carry: number, pred: number): number {
    if (n === NIL || !this.hasGap(n, carry)) return NIL;
    const l = this.left[n]!;
    const carryAtN = Math.max(carry, this.maxUntil[l]!);
    const found = this.lastInSubtree(this.right[n]!, Math.max(carryAtN, this.untilAt[n]!), n);
    if (found !== NIL) return found;
    if (this.startAt[n]! - carryAtN >= this.need)
      return this.hit(n, carryAtN, l === NIL ? pred : this.lastOf[l]!);
    return this.lastInSubtree(l, carry, pred);
  }

  /** In-order entries of the subtree whose footprint overlaps [from, to). */
  private collect(n: number, from: number, to: number, out: Footprint[]): void {
    if (n === NIL || this.maxUntil[n]! <= from) return;
    this.collect(this.left[n]!, from, to, out);
    if (this.startAt[n]! >= to) return;
    if (this.untilAt[n]! > from) {
      out.push({
        id: this.ids[n]!,
        start: this.startAt[n]!,
        end: this.endAt[n]!,
        setup: this.setupAt[n]!,
        until: this.untilAt[n]!,
      });
    }
    this.collect(this.right[n]!, from, to, out);
  }

  // ---- AVL maintenance ----

  private less(a: number, b: number): boolean {
    const sa = this.startAt[a]!;
    const sb = this.startAt[b]!;
    return sa < sb || (sa === sb && this.seqAt[a]! < this.seqAt[b]!);
  }

  private insertAt(t: number, n: number): number {
    if (t === NIL) return n;
    if (this.less(n, t)) this.left[t] = this.insertAt(this.left[t]!, n);
    else this.right[t] = this.insertAt(this.right[t]!, n);
    return this.balance(t);
  }

  private removeAt(t: number, n: number): number {
    if (t === n) {
      const l = this.left[t]!;
      const r = this.right[t]!;
      if (l === NIL) return r;
      if (r === NIL) return l;
      const successor = this.firstOf[r]!;
      this.right[successor] = this.removeFirst(r);
      this.left[successor] = l;
      return this.balance(successor);
    }
    if (this.less(n, t)) this.left[t] = this.removeAt(this.left[t]!, n);
    else this.right[t] = this.removeAt(this.right[t]!, n);
    return this.balance(t);
  }

  private removeFirst(t: number): number {
    if (this.left[t] === NIL) return this.right[t]!;
    this.left[t] = this.removeFirst(this.left[t]!);
    return this.balance(t);
  }

  private balance(n: number): number {
    this.update(n);
    const l = this.left[n]!;
    const r = this.right[n]!;
    const skew = this.height[l]! - this.height[r]!;
    if (skew > 1) {
      if (this.height[this.left[l]!]! < this.height[this.right[l]!]!) this.left[n] = this.rotateLeft(l);
      return this.rotateRight(n);
    }
    if (skew < -1) {
      if (this.height[this.right[r]!]! < this.height[this.left[r]!]!) this.right[n] = this.rotateRight(r);
      return this.rotateLeft(n);
    }
    return n;
  }

  private rotateRight(n: number): number {
    const l = this.left[n]!;
    this.left[n] = this.right[l]!;
    this.right[l] = n;
    this.update(n);
    this.update(l);
    return l;
  }

  private rotateLeft(n: number): number {
    const r = this.right[n]!;
    this.right[n] = this.left[r]!;
    this.left[r] = n;
    this.update(n);
    this.update(r);
    return r;
  }

  /** Recomputes n's summary from its children (NIL reads as height 0, max −Infinity). */
  private update(n: number): void {
    const l = this.left[n]!;
    const r = this.right[n]!;
    this.height[n] = 1 + Math.max(this.height[l]!, this.height[r]!);
    this.firstOf[n] = l === NIL ? n : this.firstOf[l]!;
    this.lastOf[n] = r === NIL ? n : this.lastOf[r]!;
    let until = this.maxUntil[l]!;
    let gap = l === NIL ? -Infinity : Math.max(this.maxGap[l]!, this.startAt[n]! - until);
    until = Math.max(until, this.untilAt[n]!);
    if (r !== NIL) {
      gap = Math.max(gap, this.maxGap[r]!, this.startAt[this.firstOf[r]!]! - until);
      until = Math.max(until, this.maxUntil[r]!);
    }
    this.maxUntil[n] = until;
    this.maxGap[n] = gap;
  }

  private allocate(): number {
    const reused = this.freed.pop();
    if (reused !== undefined) return reused;
    if (this.nextFree >= this.capacity) this.grow(this.capacity * 2);
    return this.nextFree++;
  }

  private grow(capacity: number): void {
    const widen = <T extends Float64Array | Int32Array>(old: T, make: (size: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    const f64 = (size: number) => new Float64Array(size);
    const i32 = (size: number) => new Int32Array(size);
    this.startAt = widen(this.startAt, f64);
    this.endAt = widen(this.endAt, f64);
    this.untilAt = widen(this.untilAt, f64);
    this.seqAt = widen(this.seqAt, f64);
    this.setupAt = widen(this.setupAt, i32);
    this.left = widen(this.left, i32);
    this.right = widen(this.right, i32);
    this.height = widen(this.height, i32);
    this.firstOf = widen(this.firstOf, i32);
    this.lastOf = widen(this.lastOf, i32);
    this.maxUntil = widen(this.maxUntil, f64);
    this.maxGap = widen(this.maxGap, f64);
    this.maxUntil[NIL] = -Infinity;
    this.maxGap[NIL] = -Infinity;
    this.capacity = capacity;
  }
}
