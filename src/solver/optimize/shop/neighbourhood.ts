import type { CompiledProblem } from '../compile.js';
import type { Random } from '../random.js';
import type { ShopGraph } from './graph.js';
import type { TabuMemory } from './memory.js';

const INF = 0x3fffffff;
const FORWARD = 0;
const BACKWARD = 1;
const REASSIGN = 2;

/**
 * The critical-path neighbourhood with approximate move evaluation:
 * - N7 (Zhang et al.): move an op of a critical block to the block's front or back, or the block's
 *   first/last op inside it; feasibility by the Balas–Vazacopoulos path tests, value estimated by
 *   recomputing heads and tails of the moved segment only (Balas–Vazacopoulos / Taillard);
 * - FJSP (Mastrolilli–Gambardella): move a critical op to another eligible machine, at its best
 *   position among those that cannot close a cycle.
 * Hot path: typed arrays and integer loops; nothing allocates.
 */
export class CriticalNeighbourhood {
  /** The critical path found by criticalPath(), in order. */
  readonly cp: Int32Array;
  cpLen = 0;
  private readonly nr: Int32Array;
  private readonly flexible: boolean;
  // The move chosen by choose().
  kind = -1;
  private mvI = 0;
  private mvJ = 0;
  op = 0;
  machine = 0;
  after = 0;
  estimate = INF;
  private ties = 0;
  private random = false;
  private aspiration = INF;

  constructor(
    private readonly g: ShopGraph,
    private readonly problem: CompiledProblem,
    private readonly rng: Random,
    private readonly memory: TabuMemory,
  ) {
    this.cp = new Int32Array(g.n);
    this.nr = new Int32Array(g.n);
    let flexible = false;
    for (let o = 0; o < g.n; o++) if (problem.altStart[o + 1]! - problem.altStart[o]! > 1) flexible = true;
    this.flexible = flexible;
  }

  /** A longest path, walked forward by tails from a job's first op (random among ties). */
  criticalPath(): void {
    const { p, q, ms, js, lag, rel, cmax } = this.g;
    const c = this.problem;
    const cp = this.cp;
    const nJobs = c.nJobs;
    let o = -1;
    const j0 = this.rng.int(nJobs);
    for (let k = 0; k < nJobs; k++) {
      const j = k + j0 < nJobs ? k + j0 : k + j0 - nJobs;
      const f = c.jobFirst[j]!;
      if (rel[f]! + p[f]! + q[f]! === cmax) {
        o = f;
        break;
      }
    }
    let len = 0;
    for (;;) {
      cp[len++] = o;
      const t = q[o]!;
      const b = ms[o]!;
      if (b >= 0 && p[b]! + q[b]! === t) {
        o = b;
        continue;
      }
      const a = js[o]!;
      if (a >= 0 && lag[o]! + p[a]! + q[a]! === t) {
        o = a;
        continue;
      }
      break;
    }
    this.cpLen = len;
  }

  /**
   * Picks the move with the best estimate among those not tabu (a tabu move is allowed when its
   * estimate beats `aspiration`), ties at random; or, with `random`, any move uniformly.
   * False when there is none.
   */
  choose(aspiration: number, random: boolean): boolean {
    this.kind = -1;
    this.estimate = INF;
    this.ties = 0;
    this.aspiration = aspiration;
    this.random = random;
    this.scanBlocks();
    if (this.flexible) this.scanReassignments();
    return this.kind >= 0;
  }

  /** Applies the chosen move and makes its reversal tabu until `until`; false if it made a cycle. */
  apply(until: number): boolean {
    const g = this.g;
    const cp = this.cp;
    const memory = this.memory;
    const i = this.mvI;
    const j = this.mvJ;
    if (this.kind === FORWARD) {
      const u = cp[i]!;
      for (let k = i + 1; k <= j; k++) memory.forbidPair(u, cp[k]!, until);
    } else if (this.kind === BACKWARD) {
      const v = cp[j]!;
      for (let k = i; k < j; k++) memory.forbidPair(cp[k]!, v, until);
    } else {
      memory.forbidAssign(this.op, g.mach[this.op]!, until);
    }
    return g.moveAndUpdate(this.op, this.machine, this.after);
  }

  private consider(est: number, tabu: boolean, kind: number, i: number, j: number, op: number, k: number, after: number): void {
    if (this.random) {
      if (this.rng.int(++this.ties) !== 0) return;
    } else {
      if (tabu && est >= this.aspiration) return;
      if (est > this.estimate) return;
      if (est === this.estimate) {
        if (this.rng.int(++this.ties) !== 0) return;
      } else this.ties = 1;
    }
    this.estimate = est;
    this.kind = kind;
    this.mvI = i;
    this.mvJ = j;
    this.op = op;
    this.machine = k;
    this.after = after;
  }

  private scanBlocks(): void {
    const { ms } = this.g;
    const cp = this.cp;
    const len = this.cpLen;
    let a = 0;
    while (a < len) {
      let b = a;
      while (b + 1 < len && ms[cp[b]!] === cp[b + 1]) b++;
      if (b > a) {
        for (let j = a + 1; j <= b; j++) this.tryForward(a, j);
        for (let i = a + 1; i < b; i++) this.tryForward(i, b);
        for (let i = a; i < b - 1; i++) this.tryBackward(i, b);
        for (let j = a + 2; j < b; j++) this.tryBackward(a, j);
      }
      a = b + 1;
    }
  }

  /** Moving cp[i] right after cp[j] (same critical block, i < j). */
  private tryForward(i: number, j: number): void {
    const { r, p, q, jp, js, lag, rel, mp, ms } = this.g;
    const cp = this.cp;
    const nr = this.nr;
    const u = cp[i]!;
    const v = cp[j]!;
    const su = js[u]!;
    // Acyclic if no path from JS(u) to v: L(v,n) >= L(JS(u),n) (Balas–Vazacopoulos).
    if (su >= 0 && (su === v || p[v]! + q[v]! < p[su]! + q[su]!)) return;
    if (this.random) {
      this.consider(0, false, FORWARD, i, j, u, this.g.mach[u]!, v);
      return;
    }
    let tabu = false;
    for (let k = i + 1; k <= j; k++) if (this.memory.pairTabu(cp[k]!, u)) tabu = true;
    const pred = mp[u]!;
    let t = pred >= 0 ? r[pred]! + p[pred]! : 0;
    for (let k = i + 1; k <= j; k++) {
      const x = cp[k]!;
      const b = jp[x]!;
      const jr = b >= 0 ? r[b]! + p[b]! + lag[b]! : rel[x]!;
      const h = jr > t ? jr : t;
      nr[k] = h;
      t = h + p[x]!;
    }
    const bu = jp[u]!;
    const jru = bu >= 0 ? r[bu]! + p[bu]! + lag[bu]! : rel[u]!;
    const hu = jru > t ? jru : t;
    const succ = ms[v]!;
    let tq = succ >= 0 ? p[succ]! + q[succ]! : 0;
    const jtu = su >= 0 ? lag[u]! + p[su]! + q[su]! : 0;
    const tu = jtu > tq ? jtu : tq;
    let est = hu + p[u]! + tu;
    tq = tu + p[u]!;
    for (let k = j; k > i; k--) {
      const x = cp[k]!;
      const s = js[x]!;
      const jt = s >= 0 ? lag[x]! + p[s]! + q[s]! : 0;
      const tl = jt > tq ? jt : tq;
      const val = nr[k]! + p[x]! + tl;
      if (val > est) est = val;
      tq = tl + p[x]!;
    }
    this.consider(est, tabu, FORWARD, i, j, u, this.g.mach[u]!, v);
  }

  /** Moving cp[j] right before cp[i] (same critical block, i < j). */
  private tryBackward(i: number, j: number): void {
    const { r, p, q, jp, js, lag, rel, mp, ms } = this.g;
    const cp = this.cp;
    const nr = this.nr;
    const u = cp[i]!;
    const v = cp[j]!;
    const pv = jp[v]!;
    // Acyclic if no path from u to JP(v): L(0,u)+p(u) >= L(0,JP(v))+p(JP(v)).
    if (pv >= 0 && (pv === u || r[u]! + p[u]! < r[pv]! + p[pv]!)) return;
    const pred = mp[u]!;
    if (this.random) {
      this.consider(0, false, BACKWARD, i, j, v, this.g.mach[v]!, pred);
      return;
    }
    let tabu = false;
    for (let k = i; k < j; k++) if (this.memory.pairTabu(v, cp[k]!)) tabu = true;
    let t = pred >= 0 ? r[pred]! + p[pred]! : 0;
    const jrv = pv >= 0 ? r[pv]! + p[pv]! + lag[pv]! : rel[v]!;
    const hv = jrv > t ? jrv : t;
    t = hv + p[v]!;
    for (let k = i; k < j; k++) {
      const x = cp[k]!;
      const b = jp[x]!;
      const jr = b >= 0 ? r[b]! + p[b]! + lag[b]! : rel[x]!;
      const h = jr > t ? jr : t;
      nr[k] = h;
      t = h + p[x]!;
    }
    const succ = ms[v]!;
    let tq = succ >= 0 ? p[succ]! + q[succ]! : 0;
    let est = 0;
    for (let k = j - 1; k >= i; k--) {
      const x = cp[k]!;
      const s = js[x]!;
      const jt = s >= 0 ? lag[x]! + p[s]! + q[s]! : 0;
      const tl = jt > tq ? jt : tq;
      const val = nr[k]! + p[x]! + tl;
      if (val > est) est = val;
      tq = tl + p[x]!;
    }
    const sv = js[v]!;
    const jtv = sv >= 0 ? lag[v]! + p[sv]! + q[sv]! : 0;
    const tv = jtv > tq ? jtv : tq;
    if (hv + p[v]! + tv > est) est = hv + p[v]! + tv;
    this.consider(est, tabu, BACKWARD, i, j, v, this.g.mach[v]!, pred);
  }

  private scanReassignments(): void {
    const g = this.g;
    const { r, p, q, jp, js, lag, rel, mp, ms, mFirst } = g;
    const c = this.problem;
    const cp = this.cp;
    for (let idx = 0; idx < this.cpLen; idx++) {
      const v = cp[idx]!;
      const a0 = c.altStart[v]!;
      const a1 = c.altStart[v + 1]!;
      if (a1 - a0 < 2) continue;
      const pv = jp[v]!;
      const sv = js[v]!;
      const jr = pv >= 0 ? r[pv]! + p[pv]! + lag[pv]! : rel[v]!;
      const jt = sv >= 0 ? lag[v]! + p[sv]! + q[sv]! : 0;
      const ma = mp[v]!;
      const mb = ms[v]!;
      // The old machine's neighbours become adjacent: a path the move cannot shorten.
      const relief = ma >= 0 && mb >= 0 ? r[ma]! + p[ma]! + p[mb]! + q[mb]! : 0;
      const jsEnd = sv >= 0 ? r[sv]! + p[sv]! : INF;
      const jsLen = sv >= 0 ? p[sv]! + q[sv]! : -INF;
      const jpEnd = pv >= 0 ? r[pv]! : -INF;
      const jpLen = pv >= 0 ? p[pv]! + q[pv]! : INF;
      for (let a = a0; a < a1; a++) {
        const k = c.altMachine[a]!;
        if (k === g.mach[v]) continue;
        const d = c.altDuration[a]!;
        const tabu = this.memory.assignTabu(v, k);
        let prev = -1;
        let next = mFirst[k]!;
        let bestEst = INF;
        let bestAfter = -2;
        let ties = 0;
        for (;;) {
          // No path JS(v) ~> prev (else inserting after prev closes a cycle); holds on a prefix.
          if (prev >= 0 && (prev === sv || (r[prev]! >= jsEnd && p[prev]! + q[prev]! < jsLen))) break;
          // No path next ~> JP(v); holds on a suffix.
          const okNext = next < 0 || (next !== pv && (jpEnd < r[next]! + p[next]! || p[next]! + q[next]! <= jpLen));
          if (okNext) {
            const hin = prev >= 0 && r[prev]! + p[prev]! > jr ? r[prev]! + p[prev]! : jr;
            const tn = next >= 0 ? p[next]! + q[next]! : 0;
            const tout = tn > jt ? tn : jt;
            let est = hin + d + tout;
            if (relief > est) est = relief;
            if (this.random) {
              if (this.rng.int(++ties) === 0) bestAfter = prev;
            } else if (est < bestEst || (est === bestEst && this.rng.int(++ties) === 0)) {
              if (est < bestEst) ties = 1;
              bestEst = est;
              bestAfter = prev;
            }
          }
          if (next < 0) break;
          prev = next;
          next = ms[next]!;
        }
        if (bestAfter !== -2) this.consider(this.random ? 0 : bestEst, tabu, REASSIGN, idx, idx, v, k, bestAfter);
      }
    }
  }
}
