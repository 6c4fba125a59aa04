import type { CompiledProblem } from '../compile.js';
import { Random } from '../random.js';
import type { SearchStream, StopCheck } from '../stream.js';
import { ShopGraph } from './graph.js';
import { buildInitialSolution } from './initial.js';
import { relinkToward, sequenceDistance, snapshotDistance } from './relink.js';

const INF = 0x3fffffff;
const FORWARD = 0;
const BACKWARD = 1;
const REASSIGN = 2;

export interface ShopTabuOptions {
  seed: number;
  /** Stop when the makespan reaches this bound. */
  lowerBound?: number;
  /** Iterations without a new stream best before jumping back to an elite solution. */
  stallLimit?: number;
  elitePoolSize?: number;
  /** Tabu tenure is tenureMin + uniform(0..tenureSpan) iterations. */
  tenureMin?: number;
  tenureSpan?: number;
  /** Random moves applied after a jump back: walkMin + uniform(0..walkSpan). */
  walkMin?: number;
  walkSpan?: number;
  /** Extra walk moves per failed jump (a jump after which the stream's best did not improve), up to the cap. */
  walkGrowth?: number;
  walkGrowthCap?: number;
  /** Break ties between critical paths at random (else machine arcs first). */
  randomPath?: boolean;
  /** Cycles from fresh greedy starts before jumping among elites (seeds a diverse pool). */
  freshStarts?: number;
  /** Elites closer than this fraction of the ops count as the same basin. */
  eliteDistance?: number;
  /** Jump back by path relinking between two elites (else by a random walk from one). */
  relink?: boolean;
  /** Fraction of the distance walked toward the guiding elite: relinkMin + uniform(0..relinkSpan). */
  relinkMin?: number;
  relinkSpan?: number;
}

/**
 * Tabu search on the critical path of the disjunctive graph (TSAB / i-TSAB family):
 * N7 block moves (Zhang et al.) with Balas–Vazacopoulos feasibility tests and approximate
 * evaluation, plus Mastrolilli–Gambardella machine reassignment of critical ops for FJSP.
 * Tabu list of reversed arcs (op pairs) and of (op, machine) assignments, aspiration by the best,
 * elite pool with back jumps when the search stalls.
 * Hot path: typed arrays only; one exact O(n) head/tail pass per iteration.
 */
export class ShopTabuSearch implements SearchStream {
  readonly g: ShopGraph;
  private readonly rng: Random;
  private readonly n: number;
  private readonly flexible: boolean;
  iterations = 0;
  bestValue = INF;
  private best: Int32Array;
  private readonly lowerBound: number;
  // Tabu memories: pair (a before b forbidden until) and (op on machine forbidden until).
  private readonly tabuPair: Int32Array;
  private readonly pairMask: number;
  private readonly pairHashed: boolean;
  private readonly tabuAssign: Int32Array;
  private readonly tenureMin: number;
  private readonly tenureSpan: number;
  // Critical path and per-iteration scratch.
  private readonly cp: Int32Array;
  private cpLen = 0;
  private readonly nr: Int32Array;
  // The move chosen in this iteration.
  private mvKind = -1;
  private mvI = 0;
  private mvJ = 0;
  private mvOp = 0;
  private mvMachine = 0;
  private mvAfter = 0;
  private mvEst = INF;
  private mvTies = 0;
  private randomPick = false;
  // Stall handling.
  private sinceBest = 0;
  private readonly stallLimit: number;
  private readonly elites: { value: number; snap: Int32Array }[] = [];
  private readonly eliteSize: number;
  private readonly walkMin: number;
  private readonly walkSpan: number;
  private readonly walkGrowth: number;
  private readonly walkGrowthCap: number;
  private readonly relink: boolean;
  private readonly randomPath: boolean;
  private readonly eliteDistance: number;
  private freshStarts: number;
  private readonly relinkMin: number;
  private readonly relinkSpan: number;
  private localBest = INF;
  private sinceLocal = 0;
  /** Best solution of the current cycle (since the last jump back): joins the elites at its end. */
  private localSnap: Int32Array;
  /** Jumps since the stream's best last improved: the random walk grows with it. */
  private failedJumps = 0;

  constructor(readonly problem: CompiledProblem, options: ShopTabuOptions) {
    this.g = new ShopGraph(problem);
    this.rng = new Random(options.seed);
    const n = problem.nOps;
    this.n = n;
    let flexible = false;
    for (let o = 0; o < n; o++) if (problem.altStart[o + 1]! - problem.altStart[o]! > 1) flexible = true;
    this.flexible = flexible;
    this.pairHashed = n > 2048;
    this.pairMask = this.pairHashed ? (1 << 22) - 1 : 0;
    this.tabuPair = new Int32Array(this.pairHashed ? 1 << 22 : n * n);
    this.tabuAssign = new Int32Array(n * problem.nMachines);
    const ratio = Math.floor(problem.nJobs / Math.max(1, problem.nMachines));
    this.tenureMin = options.tenureMin ?? 2 + Math.min(12, Math.floor(Math.sqrt(n) / 2)) + ratio;
    this.tenureSpan = options.tenureSpan ?? Math.max(2, Math.floor(this.tenureMin / 2));
    this.walkMin = options.walkMin ?? 2;
    this.walkSpan = options.walkSpan ?? 3;
    this.walkGrowth = options.walkGrowth ?? 0;
    this.walkGrowthCap = options.walkGrowthCap ?? 20;
    this.relink = options.relink ?? true;
    this.randomPath = options.randomPath ?? false;
    this.eliteDistance = Math.floor((options.eliteDistance ?? 0.1) * n);
    this.freshStarts = options.freshStarts ?? 8;
    this.relinkMin = options.relinkMin ?? 0.25;
    this.relinkSpan = options.relinkSpan ?? 0.35;
    this.cp = new Int32Array(n);
    this.nr = new Int32Array(n);
    this.stallLimit = options.stallLimit ?? Math.max(2000, 20 * n);
    this.eliteSize = options.elitePoolSize ?? 8;
    this.lowerBound = options.lowerBound ?? 0;
    buildInitialSolution(this.g, this.rng, 0.5);
    if (!this.g.evaluate()) throw new Error('initial solution has a cycle');
    this.best = this.g.save();
    this.localSnap = this.best.slice();
    this.bestValue = this.g.cmax;
    this.localBest = this.g.cmax;
    this.addElite(this.best, this.bestValue);
  }

  bestSnapshot(): Int32Array {
    return this.best.slice();
  }

  /** Another stream's solution: kept in the elite pool as a jump-back target. */
  offer(snapshot: Int32Array, value: number): void {
    this.addElite(snapshot, value);
    if (value < this.bestValue) {
      this.bestValue = value;
      this.best = snapshot.slice();
    }
  }

  run(maxIterations: number, stop: StopCheck): number {
    const start = this.iterations;
    while (this.iterations - start < maxIterations) {
      if ((this.iterations & 63) === 0 && stop()) break;
      if (this.bestValue <= this.lowerBound) break;
      if (!this.step()) break;
    }
    return this.iterations - start;
  }

  /** One tabu iteration; false when the neighbourhood is empty (the solution is optimal). */
  private step(): boolean {
    const g = this.g;
    this.iterations++;
    this.criticalPath();
    this.mvKind = -1;
    this.mvEst = INF;
    this.mvTies = 0;
    let fallbackKind = -1;
    this.scanBlocks();
    if (this.flexible) this.scanReassignments();
    if (this.mvKind < 0) {
      // Everything tabu: take a random move of the neighbourhood.
      this.randomPick = true;
      this.mvTies = 0;
      this.scanBlocks();
      if (this.flexible) this.scanReassignments();
      this.randomPick = false;
      fallbackKind = this.mvKind;
      if (fallbackKind < 0) return false;
    }
    if (!this.applyChosen()) throw new Error('tabu move made a cycle');
    const c = g.cmax;
    if (c < this.bestValue) {
      this.bestValue = c;
      g.save(this.best);
      this.sinceBest = 0;
      this.failedJumps = 0;
      this.addElite(this.best, c);
    } else this.sinceBest++;
    if (c < this.localBest) {
      this.localBest = c;
      this.sinceLocal = 0;
      g.save(this.localSnap);
    } else if (++this.sinceLocal > this.stallLimit) this.jumpBack();
    return true;
  }

  /** A longest path, walked forward by tails from a job's first op (random among ties). */
  private criticalPath(): void {
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
    const jobFirst = this.randomPath && this.rng.int(2) === 0;
    for (;;) {
      cp[len++] = o;
      const t = q[o]!;
      const b = ms[o]!;
      const a = js[o]!;
      const viaMachine = b >= 0 && p[b]! + q[b]! === t;
      const viaJob = a >= 0 && lag[o]! + p[a]! + q[a]! === t;
      if (viaMachine && (!viaJob || !jobFirst)) o = b;
      else if (viaJob) o = a;
      else break;
    }
    this.cpLen = len;
  }

  private consider(est: number, tabu: boolean, kind: number, i: number, j: number, op: number, k: number, after: number): void {
    if (this.randomPick) {
      if (this.rng.int(++this.mvTies) !== 0) return;
    } else {
      if (tabu && est >= this.bestValue) return;
      if (est > this.mvEst) return;
      if (est === this.mvEst) {
        if (this.rng.int(++this.mvTies) !== 0) return;
      } else this.mvTies = 1;
    }
    this.mvEst = est;
    this.mvKind = kind;
    this.mvI = i;
    this.mvJ = j;
    this.mvOp = op;
    this.mvMachine = k;
    this.mvAfter = after;
  }

  /** N7: move an op to the front or back of its critical block, or the block's ends inside it. */
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
        for (let i = a + 1; i < b; i++) if (b - i >= 1) this.tryForward(i, b);
        for (let i = a; i < b - 1; i++) this.tryBackward(i, b);
        for (let j = a + 2; j < b; j++) this.tryBackward(a, j);
      }
      a = b + 1;
    }
  }

  /** Evaluates moving cp[i] right after cp[j] (same machine block, i < j). */
  private tryForward(i: number, j: number): void {
    const { r, p, q, jp, js, lag, rel, mp, ms } = this.g;
    const cp = this.cp;
    const nr = this.nr;
    const u = cp[i]!;
    const v = cp[j]!;
    const su = js[u]!;
    // Acyclic if no path from JS(u) to v: L(v,n) >= L(JS(u),n) (Balas–Vazacopoulos).
    if (su >= 0 && (su === v || p[v]! + q[v]! < p[su]! + q[su]!)) return;
    if (!this.randomPick) {
      let tabu = false;
      const n = this.n;
      for (let k = i + 1; k <= j; k++) if (this.pairTabu(cp[k]! * n + u)) tabu = true;
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
    } else this.consider(0, false, FORWARD, i, j, u, this.g.mach[u]!, v);
  }

  /** Evaluates moving cp[j] right before cp[i] (same machine block, i < j). */
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
    if (!this.randomPick) {
      let tabu = false;
      const n = this.n;
      for (let k = i; k < j; k++) if (this.pairTabu(v * n + cp[k]!)) tabu = true;
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
    } else this.consider(0, false, BACKWARD, i, j, v, this.g.mach[v]!, pred);
  }

  /** FJSP: move a critical op to another eligible machine, at its best feasible position. */
  private scanReassignments(): void {
    const g = this.g;
    const { r, p, q, jp, js, lag, rel, mp, ms, mFirst } = g;
    const c = this.problem;
    const cp = this.cp;
    const m = g.m;
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
      // The old machine's neighbours become adjacent: a path estimate that the move cannot remove.
      const relief = ma >= 0 && mb >= 0 ? r[ma]! + p[ma]! + p[mb]! + q[mb]! : 0;
      const jsEnd = sv >= 0 ? r[sv]! + p[sv]! : INF;
      const jsLen = sv >= 0 ? p[sv]! + q[sv]! : -INF;
      const jpEnd = pv >= 0 ? r[pv]! : -INF;
      const jpLen = pv >= 0 ? p[pv]! + q[pv]! : INF;
      for (let a = a0; a < a1; a++) {
        const k = c.altMachine[a]!;
        if (k === g.mach[v]) continue;
        const d = c.altDuration[a]!;
        const tabu = this.tabuAssign[v * m + k]! > this.iterations;
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
            if (this.randomPick) {
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
        if (bestAfter !== -2) this.consider(this.randomPick ? 0 : bestEst, tabu, REASSIGN, idx, idx, v, k, bestAfter);
      }
    }
  }

  private pairTabu(key: number): boolean {
    const idx = this.pairHashed ? hashPair(key) & this.pairMask : key;
    return this.tabuPair[idx]! > this.iterations;
  }

  private setPairTabu(key: number, until: number): void {
    const idx = this.pairHashed ? hashPair(key) & this.pairMask : key;
    this.tabuPair[idx] = until;
  }

  private applyChosen(): boolean {
    const g = this.g;
    const cp = this.cp;
    const n = this.n;
    const until = this.iterations + this.tenureMin + this.rng.int(this.tenureSpan + 1);
    const i = this.mvI;
    const j = this.mvJ;
    if (this.mvKind === FORWARD) {
      const u = cp[i]!;
      for (let k = i + 1; k <= j; k++) this.setPairTabu(u * n + cp[k]!, until);
    } else if (this.mvKind === BACKWARD) {
      const v = cp[j]!;
      for (let k = i; k < j; k++) this.setPairTabu(cp[k]! * n + v, until);
    } else {
      this.tabuAssign[this.mvOp * g.m + g.mach[this.mvOp]!] = until;
    }
    return g.moveAndUpdate(this.mvOp, this.mvMachine, this.mvAfter);
  }

  /**
   * Keeps the pool good and diverse: a solution close to an elite (distance below the threshold)
   * can only replace that elite, and only when better; a distant one replaces the worst elite.
   */
  private addElite(snap: Int32Array, value: number): void {
    const e = this.elites;
    const { n, m } = this.g;
    let near = -1;
    for (let i = 0; i < e.length; i++) {
      if (snapshotDistance(e[i]!.snap, snap, n, m) <= this.eliteDistance) {
        near = i;
        break;
      }
    }
    if (near >= 0) {
      if (value >= e[near]!.value) return;
      e[near] = { value, snap: snap.slice() };
    } else if (e.length < this.eliteSize) e.push({ value, snap: snap.slice() });
    else if (value < e[e.length - 1]!.value) e[e.length - 1] = { value, snap: snap.slice() };
    else return;
    e.sort((x, y) => x.value - y.value);
  }


  /** Stalled: restart from an elite solution (biased to the best) with a short random walk. */
  private jumpBack(): void {
    this.addElite(this.localSnap, this.localBest);
    this.failedJumps++;
    const g0 = this.g;
    if (this.freshStarts > 0) {
      this.freshStarts--;
      buildInitialSolution(g0, this.rng, 0.5);
      g0.evaluate();
      this.localBest = g0.cmax;
      this.sinceLocal = 0;
      g0.save(this.localSnap);
      return;
    }
    const e = this.elites;
    const pick = e[Math.min(e.length - 1, Math.floor(e.length * this.rng.float() ** 2))]!;
    const g = this.g;
    g.restore(pick.snap);
    g.evaluate();
    if (this.relink && e.length >= 2) {
      let other = this.rng.int(e.length - 1);
      if (e[other] === pick) other = e.length - 1;
      const guide = e[other]!.snap;
      const d = sequenceDistance(g, guide);
      const steps = Math.floor(d * (this.relinkMin + this.relinkSpan * this.rng.float()));
      if (relinkToward(g, guide, steps, this.rng) > 0) {
        this.localBest = g.cmax;
        this.sinceLocal = 0;
        g.save(this.localSnap);
        return;
      }
    }
    const walk = this.walkMin + this.rng.int(this.walkSpan + 1) + Math.min(this.walkGrowthCap, Math.floor(this.failedJumps * this.walkGrowth));
    for (let s = 0; s < walk; s++) {
      this.criticalPath();
      this.randomPick = true;
      this.mvKind = -1;
      this.mvTies = 0;
      this.scanBlocks();
      if (this.flexible) this.scanReassignments();
      this.randomPick = false;
      if (this.mvKind < 0) break;
      this.applyChosen();
    }
    this.localBest = g.cmax;
    this.sinceLocal = 0;
    g.save(this.localSnap);
  }
}

function hashPair(key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> 10;
}
