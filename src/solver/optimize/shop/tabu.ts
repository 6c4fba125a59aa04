import type { CompiledProblem } from '../compile.js';
import { Random } from '../random.js';
import type { SearchStream, StopCheck } from '../stream.js';
import { ShopGraph } from './graph.js';
import { buildInitialSolution } from './initial.js';
import { TabuMemory } from './memory.js';
import { CriticalNeighbourhood } from './neighbourhood.js';
import { relinkToward, sequenceDistance, snapshotDistance } from './relink.js';

export interface ShopTabuOptions {
  seed: number;
  /** Stop when the makespan reaches this bound. */
  lowerBound?: number;
  /** Iterations without improving the current cycle's best before jumping elsewhere. */
  stallLimit?: number;
  elitePoolSize?: number;
  /** Elites closer than this fraction of the ops (sequence distance) count as the same basin. */
  eliteDistance?: number;
  /** Cycles started from fresh greedy solutions before jumping among elites (seeds a diverse pool). */
  freshStarts?: number;
  /** Tabu tenure is tenureMin + uniform(0..tenureSpan) iterations. */
  tenureMin?: number;
  tenureSpan?: number;
  /** Jump by path relinking between two elites (else by a random walk from one). */
  relink?: boolean;
  /** Fraction of the distance walked toward the guiding elite: relinkMin + uniform(0..relinkSpan). */
  relinkMin?: number;
  relinkSpan?: number;
  /** Random moves after a jump without relinking: walkMin + uniform(0..walkSpan). */
  walkMin?: number;
  walkSpan?: number;
}

interface Elite {
  value: number;
  snap: Int32Array;
}

/**
 * Tabu search on the critical path of the disjunctive graph, TSAB / i-TSAB style: N7 moves and
 * FJSP reassignments with approximate evaluation (CriticalNeighbourhood), a tabu list of reversed
 * arcs and left machines, aspiration by the best, and cycles: when a cycle stalls, its best joins a
 * distance-aware elite pool and the next cycle starts from a fresh greedy solution (the first few
 * times), or from a point on the path between two elites (path relinking).
 * Hot path: typed arrays; heads and tails are updated incrementally after each move.
 */
export class ShopTabuSearch implements SearchStream {
  readonly g: ShopGraph;
  iterations = 0;
  bestValue: number;
  private best: Int32Array;
  private readonly rng: Random;
  private readonly memory: TabuMemory;
  private readonly moves: CriticalNeighbourhood;
  private readonly lowerBound: number;
  private readonly tenureMin: number;
  private readonly tenureSpan: number;
  private readonly stallLimit: number;
  private readonly eliteSize: number;
  private readonly eliteDistance: number;
  private freshStarts: number;
  private readonly relink: boolean;
  private readonly relinkMin: number;
  private readonly relinkSpan: number;
  private readonly walkMin: number;
  private readonly walkSpan: number;
  private readonly elites: Elite[] = [];
  /** The current cycle's best value and solution, and iterations since it improved. */
  private localBest: number;
  private readonly localSnap: Int32Array;
  private sinceLocal = 0;

  constructor(
    readonly problem: CompiledProblem,
    options: ShopTabuOptions,
  ) {
    const n = problem.nOps;
    this.g = new ShopGraph(problem);
    this.rng = new Random(options.seed);
    this.memory = new TabuMemory(n, problem.nMachines);
    this.moves = new CriticalNeighbourhood(this.g, problem, this.rng, this.memory);
    this.lowerBound = options.lowerBound ?? 0;
    const ratio = Math.floor(problem.nJobs / Math.max(1, problem.nMachines));
    this.tenureMin = options.tenureMin ?? 2 + Math.min(12, Math.floor(Math.sqrt(n) / 2)) + ratio;
    this.tenureSpan = options.tenureSpan ?? Math.max(2, Math.floor(this.tenureMin / 2));
    this.stallLimit = options.stallLimit ?? Math.max(2000, 20 * n);
    this.eliteSize = options.elitePoolSize ?? 8;
    this.eliteDistance = Math.floor((options.eliteDistance ?? 0.1) * n);
    this.freshStarts = options.freshStarts ?? 8;
    this.relink = options.relink ?? true;
    this.relinkMin = options.relinkMin ?? 0.25;
    this.relinkSpan = options.relinkSpan ?? 0.35;
    this.walkMin = options.walkMin ?? 2;
    this.walkSpan = options.walkSpan ?? 3;
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

  /** Another stream's solution: kept in the elite pool as a jump target. */
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

  /** One tabu iteration; false when the neighbourhood is empty (nothing left to improve). */
  private step(): boolean {
    const g = this.g;
    const moves = this.moves;
    this.iterations++;
    this.memory.now = this.iterations;
    moves.criticalPath();
    // Everything tabu and nothing aspirated: take any move.
    if (!moves.choose(this.bestValue, false) && !moves.choose(this.bestValue, true)) return false;
    if (!moves.apply(this.until())) throw new Error('tabu move made a cycle');
    const c = g.cmax;
    if (c < this.bestValue) {
      this.bestValue = c;
      g.save(this.best);
      this.addElite(this.best, c);
    }
    if (c < this.localBest) {
      this.localBest = c;
      this.sinceLocal = 0;
      g.save(this.localSnap);
    } else if (++this.sinceLocal > this.stallLimit) this.nextCycle();
    return true;
  }

  private until(): number {
    return this.iterations + this.tenureMin + this.rng.int(this.tenureSpan + 1);
  }

  /**
   * Keeps the pool good and diverse: a solution close to an elite (sequence distance within the
   * threshold) can only replace that elite, when better; a distant one replaces the worst.
   */
  private addElite(snap: Int32Array, value: number): void {
    const e = this.elites;
    const { n, m } = this.g;
    const near = e.findIndex((x) => snapshotDistance(x.snap, snap, n, m) <= this.eliteDistance);
    if (near >= 0) {
      if (value >= e[near]!.value) return;
      e[near] = { value, snap: snap.slice() };
    } else if (e.length < this.eliteSize) e.push({ value, snap: snap.slice() });
    else if (value < e[e.length - 1]!.value) e[e.length - 1] = { value, snap: snap.slice() };
    else return;
    e.sort((x, y) => x.value - y.value);
  }

  /** The cycle stalled: file its best, then start the next cycle elsewhere. */
  private nextCycle(): void {
    this.addElite(this.localSnap, this.localBest);
    const g = this.g;
    if (this.freshStarts > 0) {
      this.freshStarts--;
      buildInitialSolution(g, this.rng, 0.5);
      g.evaluate();
    } else {
      const e = this.elites;
      const pick = e[Math.min(e.length - 1, Math.floor(e.length * this.rng.float() ** 2))]!;
      g.restore(pick.snap);
      g.evaluate();
      if (!this.relink || e.length < 2 || !this.relinkFrom(pick)) this.randomWalk();
    }
    this.localBest = g.cmax;
    this.sinceLocal = 0;
    g.save(this.localSnap);
  }

  /** Walks part of the way from `pick` toward another elite; false when no step was possible. */
  private relinkFrom(pick: Elite): boolean {
    const e = this.elites;
    let other = this.rng.int(e.length - 1);
    if (e[other] === pick) other = e.length - 1;
    const guide = e[other]!.snap;
    const d = sequenceDistance(this.g, guide);
    const steps = Math.floor(d * (this.relinkMin + this.relinkSpan * this.rng.float()));
    return relinkToward(this.g, guide, steps, this.rng) > 0;
  }

  private randomWalk(): void {
    const walk = this.walkMin + this.rng.int(this.walkSpan + 1);
    for (let s = 0; s < walk; s++) {
      this.moves.criticalPath();
      if (!this.moves.choose(Infinity, true)) break;
      this.moves.apply(this.until());
    }
  }
}
