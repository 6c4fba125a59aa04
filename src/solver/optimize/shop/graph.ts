import type { CompiledProblem } from '../compile.js';

/**
 * The disjunctive graph of a (flexible) job-shop solution: each op's machine and its place in that
 * machine's sequence; heads r (earliest start) and tails q (longest path after the op ends).
 * Hot path: everything here runs once per tabu iteration on typed arrays, no allocation.
 */
export class ShopGraph {
  readonly n: number;
  readonly m: number;
  // Static: job arcs with their min lags, release of each job's first op.
  readonly jp: Int32Array;
  readonly js: Int32Array;
  readonly lag: Int32Array;
  readonly rel: Int32Array;
  // The solution.
  readonly mach: Int32Array;
  readonly p: Int32Array;
  readonly mp: Int32Array;
  readonly ms: Int32Array;
  readonly mFirst: Int32Array;
  readonly mLast: Int32Array;
  // Derived by evaluate().
  readonly r: Int32Array;
  readonly q: Int32Array;
  readonly topo: Int32Array;
  /** Position of each op in topo (kept valid by moveAndUpdate). */
  readonly pos: Int32Array;
  cmax = 0;
  private readonly indeg: Int32Array;
  private readonly jobFirsts: Int32Array;
  // Scratch for the order repair: visit stamps and the two affected sets.
  private readonly mark: Int32Array;
  private stamp = 0;
  private readonly fwd: Int32Array;
  private readonly bwd: Int32Array;
  private readonly slots: Int32Array;
  private readonly durOn: Int32Array;

  constructor(readonly problem: CompiledProblem) {
    const n = problem.nOps;
    const m = problem.nMachines;
    this.n = n;
    this.m = m;
    this.jp = new Int32Array(n).fill(-1);
    this.js = new Int32Array(n).fill(-1);
    this.lag = new Int32Array(n);
    this.rel = new Int32Array(n);
    for (let j = 0; j < problem.nJobs; j++) {
      const first = problem.jobFirst[j]!;
      const end = problem.jobFirst[j + 1]!;
      this.rel[first] = problem.release[j]!;
      for (let o = first; o < end; o++) {
        if (o > first) this.jp[o] = o - 1;
        if (o < end - 1) {
          this.js[o] = o + 1;
          this.lag[o] = problem.minLag[o]!;
        }
      }
    }
    this.mach = new Int32Array(n).fill(-1);
    this.p = new Int32Array(n);
    this.mp = new Int32Array(n).fill(-1);
    this.ms = new Int32Array(n).fill(-1);
    this.mFirst = new Int32Array(m).fill(-1);
    this.mLast = new Int32Array(m).fill(-1);
    this.r = new Int32Array(n);
    this.q = new Int32Array(n);
    this.topo = new Int32Array(n);
    this.indeg = new Int32Array(n);
    this.pos = new Int32Array(n);
    this.jobFirsts = Int32Array.from(problem.jobFirst.subarray(0, problem.nJobs));
    this.mark = new Int32Array(n);
    this.fwd = new Int32Array(n);
    this.bwd = new Int32Array(n);
    this.slots = new Int32Array(n);
    // Dense op × machine duration table (-1 = not eligible) for O(1) lookups in moves.
    this.durOn = new Int32Array(n * m).fill(-1);
    for (let o = 0; o < n; o++) {
      for (let a = problem.altStart[o]!; a < problem.altStart[o + 1]!; a++) {
        this.durOn[o * m + problem.altMachine[a]!] = problem.altDuration[a]!;
      }
    }
  }

  duration(o: number, machine: number): number {
    return this.durOn[o * this.m + machine]!;
  }

  /** Builds the sequences from per-machine op lists (each in processing order). */
  setSequences(sequences: readonly (readonly number[])[]): void {
    this.mFirst.fill(-1);
    this.mLast.fill(-1);
    for (let k = 0; k < this.m; k++) {
      let prev = -1;
      for (const o of sequences[k]!) {
        this.mach[o] = k;
        this.p[o] = this.duration(o, k);
        this.mp[o] = prev;
        this.ms[o] = -1;
        if (prev >= 0) this.ms[prev] = o;
        else this.mFirst[k] = o;
        prev = o;
      }
      this.mLast[k] = prev;
    }
  }

  /** Heads, tails and makespan; false when the machine sequences make a cycle. */
  evaluate(): boolean {
    const { n, jp, js, mp, ms, p, r, q, lag, rel, topo, indeg } = this;
    let top = 0;
    // Kahn's algorithm; topo doubles as the stack (filled from the back) and the output order.
    let stack = n;
    for (let o = 0; o < n; o++) {
      const d = (jp[o]! >= 0 ? 1 : 0) + (mp[o]! >= 0 ? 1 : 0);
      indeg[o] = d;
      r[o] = rel[o]!;
      if (d === 0) topo[--stack] = o;
    }
    // Pop from the stack region, write the order into the front region (they never cross).
    let cmax = 0;
    while (stack < n) {
      const o = topo[stack++]!;
      topo[top++] = o;
      const end = r[o]! + p[o]!;
      if (end > cmax) cmax = end;
      const s = js[o]!;
      if (s >= 0) {
        const t = end + lag[o]!;
        if (t > r[s]!) r[s] = t;
        if (--indeg[s] === 0) topo[--stack] = s;
      }
      const t2 = ms[o]!;
      if (t2 >= 0) {
        if (end > r[t2]!) r[t2] = end;
        if (--indeg[t2] === 0) topo[--stack] = t2;
      }
    }
    if (top < n) return false;
    for (let i = 0; i < n; i++) this.pos[topo[i]!] = i;
    for (let i = n - 1; i >= 0; i--) {
      const o = topo[i]!;
      let t = 0;
      const s = js[o]!;
      if (s >= 0) t = lag[o]! + p[s]! + q[s]!;
      const t2 = ms[o]!;
      if (t2 >= 0) {
        const u = p[t2]! + q[t2]!;
        if (u > t) t = u;
      }
      q[o] = t;
    }
    this.cmax = cmax;
    return true;
  }

  /**
   * relocate() plus an incremental update: the topological order is repaired around the new arcs
   * (Pearce–Kelly), then heads are recomputed only after the first affected position and tails
   * only before the last one. False (and nothing changed) when the move would close a cycle.
   */
  moveAndUpdate(o: number, k: number, after: number): boolean {
    const { pos, topo } = this;
    const oldMachine = this.mach[o]!;
    const oldAfter = this.mp[o]!;
    const oldNext = this.ms[o]!;
    this.relocate(o, k, after);
    const next = this.ms[o]!;
    let lo = pos[o]!;
    let hi = lo;
    if (after >= 0 && pos[after]! > pos[o]!) {
      // New arc after -> o points backwards in the order.
      if (!this.reorder(o, after)) {
        this.relocate(o, oldMachine, oldAfter);
        return false;
      }
      hi = Math.max(hi, pos[after]!);
    } else if (next >= 0 && pos[next]! < pos[o]!) {
      // New arc o -> next points backwards.
      lo = pos[next]!;
      if (!this.reorder(next, o)) {
        this.relocate(o, oldMachine, oldAfter);
        return false;
      }
    }
    if (after >= 0 && pos[after]! > hi) hi = pos[after]!;
    if (oldAfter >= 0 && pos[oldAfter]! > hi) hi = pos[oldAfter]!;
    if (oldNext >= 0 && pos[oldNext]! < lo) lo = pos[oldNext]!;
    if (pos[o]! < lo) lo = pos[o]!;
    if (pos[o]! > hi) hi = pos[o]!;
    const { n, jp, js, mp, ms, p, r, q, lag, rel } = this;
    for (let i = lo; i < n; i++) {
      const x = topo[i]!;
      const a = jp[x]!;
      // Only a job's first op has a release; the others start after their job predecessor.
      let h = a >= 0 ? r[a]! + p[a]! + lag[a]! : rel[x]!;
      const b = mp[x]!;
      if (b >= 0) {
        const t = r[b]! + p[b]!;
        if (t > h) h = t;
      }
      r[x] = h;
    }
    for (let i = hi; i >= 0; i--) {
      const x = topo[i]!;
      let t = 0;
      const s1 = js[x]!;
      if (s1 >= 0) t = lag[x]! + p[s1]! + q[s1]!;
      const s2 = ms[x]!;
      if (s2 >= 0) {
        const u = p[s2]! + q[s2]!;
        if (u > t) t = u;
      }
      q[x] = t;
    }
    // Every longest path can start at a job's first op (the only ops with release arcs).
    let cmax = 0;
    const firsts = this.jobFirsts;
    for (let j = 0; j < firsts.length; j++) {
      const f = firsts[j]!;
      const c = rel[f]! + p[f]! + q[f]!;
      if (c > cmax) cmax = c;
    }
    this.cmax = cmax;
    return true;
  }

  /**
   * Pearce–Kelly repair for a new arc tail -> head with pos[head] < pos[tail]: ops between them
   * that reach `tail` keep their relative order and go first, those reachable from `head` follow.
   */
  private reorder(head: number, tail: number): boolean {
    const { pos, topo, mark, fwd, bwd, slots, js, ms, jp, mp } = this;
    const lb = pos[head]!;
    const ub = pos[tail]!;
    const st = ++this.stamp;
    // Forward from head, within [lb, ub].
    let nf = 0;
    fwd[nf++] = head;
    mark[head] = st;
    for (let i = 0; i < nf; i++) {
      const x = fwd[i]!;
      const s1 = js[x]!;
      const s2 = ms[x]!;
      if (s1 === tail || s2 === tail) return false;
      if (s1 >= 0 && mark[s1] !== st && pos[s1]! < ub) {
        mark[s1] = st;
        fwd[nf++] = s1;
      }
      if (s2 >= 0 && mark[s2] !== st && pos[s2]! < ub) {
        mark[s2] = st;
        fwd[nf++] = s2;
      }
    }
    // Backward from tail, within [lb, ub].
    const sb = ++this.stamp;
    let nb = 0;
    bwd[nb++] = tail;
    mark[tail] = sb;
    for (let i = 0; i < nb; i++) {
      const x = bwd[i]!;
      const a1 = jp[x]!;
      const a2 = mp[x]!;
      if (a1 >= 0 && mark[a1] !== sb && pos[a1]! > lb) {
        mark[a1] = sb;
        bwd[nb++] = a1;
      }
      if (a2 >= 0 && mark[a2] !== sb && pos[a2]! > lb) {
        mark[a2] = sb;
        bwd[nb++] = a2;
      }
    }
    sortByPos(fwd, nf, pos);
    sortByPos(bwd, nb, pos);
    // Merge the two position sets, then hand them out: backward set first, forward set after.
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < nb || j < nf) {
      if (j >= nf || (i < nb && pos[bwd[i]!]! < pos[fwd[j]!]!)) slots[k++] = pos[bwd[i++]!]!;
      else slots[k++] = pos[fwd[j++]!]!;
    }
    k = 0;
    for (i = 0; i < nb; i++) {
      const x = bwd[i]!;
      topo[slots[k]!] = x;
      pos[x] = slots[k++]!;
    }
    for (j = 0; j < nf; j++) {
      const x = fwd[j]!;
      topo[slots[k]!] = x;
      pos[x] = slots[k++]!;
    }
    return true;
  }

  /** Moves op o to machine k right after op `after` (-1: first on k). */
  relocate(o: number, k: number, after: number): void {
    const { mp, ms, mFirst, mLast } = this;
    const old = this.mach[o]!;
    const a = mp[o]!;
    const b = ms[o]!;
    if (a >= 0) ms[a] = b;
    else mFirst[old] = b;
    if (b >= 0) mp[b] = a;
    else mLast[old] = a;
    const next = after >= 0 ? ms[after]! : mFirst[k]!;
    mp[o] = after;
    ms[o] = next;
    if (after >= 0) ms[after] = o;
    else mFirst[k] = o;
    if (next >= 0) mp[next] = o;
    else mLast[k] = o;
    if (old !== k) {
      this.mach[o] = k;
      this.p[o] = this.duration(o, k);
    }
  }

  /** Snapshot of the solution: [mach, mp, ms, mFirst, mLast]. */
  save(into?: Int32Array): Int32Array {
    const { n, m } = this;
    const s = into ?? new Int32Array(3 * n + 2 * m);
    s.set(this.mach, 0);
    s.set(this.mp, n);
    s.set(this.ms, 2 * n);
    s.set(this.mFirst, 3 * n);
    s.set(this.mLast, 3 * n + m);
    return s;
  }

  restore(s: Int32Array): void {
    const { n, m } = this;
    this.mach.set(s.subarray(0, n));
    this.mp.set(s.subarray(n, 2 * n));
    this.ms.set(s.subarray(2 * n, 3 * n));
    this.mFirst.set(s.subarray(3 * n, 3 * n + m));
    this.mLast.set(s.subarray(3 * n + m, 3 * n + 2 * m));
    for (let o = 0; o < n; o++) this.p[o] = this.duration(o, this.mach[o]!);
  }

  /** Machine sequences, one op list per machine. */
  sequences(): number[][] {
    const out: number[][] = [];
    for (let k = 0; k < this.m; k++) {
      const seq: number[] = [];
      for (let o = this.mFirst[k]!; o >= 0; o = this.ms[o]!) seq.push(o);
      out.push(seq);
    }
    return out;
  }
}

function sortByPos(a: Int32Array, n: number, pos: Int32Array): void {
  for (let i = 1; i < n; i++) {
    const x = a[i]!;
    const px = pos[x]!;
    let j = i - 1;
    while (j >= 0 && pos[a[j]!]! > px) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
}
