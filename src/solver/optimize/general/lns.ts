import type { CompiledProblem } from '../compile.js';
import { Random } from '../random.js';
import type { SearchStream, StopCheck } from '../stream.js';
import { Decoder, type Genotype } from './decode.js';
import { seedFromRelaxation } from './seed.js';
import { targetUnits } from './targets.js';

export interface LnsOptions {
  seed: number;
  /** Lower bound on the objective: stop when reached. */
  lowerBound?: number;
  /** Late-acceptance history length. */
  history?: number;
  /** Start from a short tabu search on the job-shop relaxation (makespan problems). */
  seedFromRelaxation?: boolean;
}

/**
 * Large-neighbourhood search for the general model: destroy a window of the unit order (or a few
 * ops' machine choices) and rebuild it by a randomised rule, or pull a critical / late / displaced
 * unit earlier; decode with propagation; accept by late-acceptance hill climbing. The order stays
 * close to time order (it starts sorted and moves are local), so a window of it is roughly a
 * window of time. (Re-sorting it by decoded start times was tried: the sorted order can decode
 * quite differently, and the search drifted.)
 */
export class GeneralLns implements SearchStream {
  readonly decoder: Decoder;
  private readonly rng: Random;
  iterations = 0;
  bestValue: number;
  private bestMakespan: number;
  private readonly best: Genotype;
  private readonly cur: Genotype;
  private curValue: number;
  private curMakespan: number;
  private readonly cand: Genotype;
  private readonly history: Float64Array;
  private readonly lowerBound: number;
  private readonly flexibleOps: Int32Array;
  private readonly keys: Float64Array;
  // Units worth moving earlier in the current solution, and where each unit sits in its order.
  private readonly targets: Int32Array;
  private nTargets = 0;
  private readonly entryOfUnit: Int32Array;
  private readonly occurrence: Int32Array;
  /** Move kinds in use: 0 shuffle, 1 move, 2 swap, 3 rule, 4 pull target, 5 reassign, 6 free target. */
  private readonly operators: number[];

  constructor(readonly c: CompiledProblem, options: LnsOptions) {
    this.rng = new Random(options.seed);
    this.decoder = new Decoder(c, c.objective === 'stability');
    this.lowerBound = options.lowerBound ?? 0;
    const nUnits = this.decoder.nUnits;
    const flexible: number[] = [];
    for (let o = 0; o < c.nOps; o++) if (c.altStart[o + 1]! - c.altStart[o]! > 1) flexible.push(o);
    this.flexibleOps = Int32Array.from(flexible);
    this.operators = [0, 1, 2, 3, 4];
    if (flexible.length > 0) this.operators.push(5);
    if (c.objective === 'stability') this.operators.push(6);
    this.keys = new Float64Array(nUnits);
    this.targets = new Int32Array(nUnits);
    this.entryOfUnit = new Int32Array(nUnits);
    this.occurrence = new Int32Array(c.nJobs);
    let initial: Genotype = { order: this.initialOrder(), assign: new Int32Array(c.nOps).fill(-1), free: new Int32Array(c.nOps) };
    let d = this.decoder.decode(initial);
    if (options.seedFromRelaxation) {
      const seeded = seedFromRelaxation(c, this.decoder, options.seed);
      const ds = this.decoder.decode(seeded);
      if (ds.value <= d.value) {
        initial = seeded;
        d = ds;
      }
    }
    // Leave the decoder holding the initial solution's schedule.
    d = this.decoder.decode(initial);
    this.best = { order: initial.order.slice(), assign: initial.assign.slice(), free: initial.free.slice() };
    this.bestValue = d.value;
    this.bestMakespan = d.makespan;
    this.cur = { order: new Int32Array(nUnits), assign: new Int32Array(c.nOps), free: new Int32Array(c.nOps) };
    this.curValue = d.value;
    this.curMakespan = d.makespan;
    this.makeCurrent(initial, d.value, d.makespan);
    this.cand = { order: new Int32Array(nUnits), assign: new Int32Array(c.nOps), free: new Int32Array(c.nOps) };
    this.history = new Float64Array(options.history ?? 64).fill(d.value);
  }

  /** g was just decoded (the decoder holds its schedule): it becomes the current solution. */
  private makeCurrent(g: Genotype, value: number, makespan: number): void {
    this.cur.order.set(g.order);
    this.cur.assign.set(g.assign);
    this.cur.free.set(g.free);
    this.curValue = value;
    this.curMakespan = makespan;
    this.noteTargets();
  }

  private saveBest(g: Genotype, value: number, makespan: number): void {
    this.best.order.set(g.order);
    this.best.assign.set(g.assign);
    this.best.free.set(g.free);
    this.bestValue = value;
    this.bestMakespan = makespan;
  }

  /** A list-scheduling order: by current start (stability), else by earliest start and due date, with noise. */
  private initialOrder(): Int32Array {
    const c = this.c;
    const dec = this.decoder;
    const units: { job: number; key: number }[] = [];
    for (let j = 0; j < c.nJobs; j++) {
      let t = c.release[j]!;
      for (let u = dec.jobUnitFirst[j]!; u < dec.jobUnitFirst[j + 1]!; u++) {
        const o = dec.unitFirst[u]!;
        let key = t;
        if (c.objective === 'stability' && c.currentMachine[o]! >= 0) key = c.currentStart[o]!;
        else if (c.objective === 'weightedTardiness' && c.due[j]! >= 0) key = t + 0.25 * c.due[j]!;
        units.push({ job: j, key: key + this.rng.float() * 0.5 });
        for (let x = o; x <= dec.unitLast[u]!; x++) t += minDuration(c, x) + c.minLag[x]!;
      }
    }
    units.sort((a, b) => a.key - b.key);
    return Int32Array.from(units.map((u) => u.job));
  }

  bestSnapshot(): Int32Array {
    const { order, assign, free } = this.best;
    const s = new Int32Array(order.length + assign.length + free.length);
    s.set(order, 0);
    s.set(assign, order.length);
    s.set(free, order.length + assign.length);
    return s;
  }

  static genotypeOf(snapshot: Int32Array, nUnits: number): Genotype {
    const nOps = (snapshot.length - nUnits) / 2;
    return { order: snapshot.slice(0, nUnits), assign: snapshot.slice(nUnits, nUnits + nOps), free: snapshot.slice(nUnits + nOps) };
  }

  offer(snapshot: Int32Array, value: number): void {
    if (value >= this.bestValue) return;
    const g = GeneralLns.genotypeOf(snapshot, this.decoder.nUnits);
    const d = this.decoder.decode(g);
    this.saveBest(g, d.value, d.makespan);
    this.makeCurrent(g, d.value, d.makespan);
  }

  /** After decoding the current solution: its target units and where each unit sits in the order. */
  private noteTargets(): void {
    this.nTargets = targetUnits(this.c, this.decoder, this.decoder.unitOf, this.targets);
    const order = this.cur.order;
    const dec = this.decoder;
    this.occurrence.fill(0);
    for (let e = 0; e < order.length; e++) {
      const j = order[e]!;
      this.entryOfUnit[dec.jobUnitFirst[j]! + this.occurrence[j]!++] = e;
    }
  }

  run(maxIterations: number, stop: StopCheck): number {
    const start = this.iterations;
    while (this.iterations - start < maxIterations) {
      if ((this.iterations & 7) === 0 && stop()) break;
      if (this.bestValue <= this.lowerBound) break;
      this.step();
    }
    return this.iterations - start;
  }

  private step(): void {
    const rng = this.rng;
    const { cand, cur } = this;
    cand.order.set(cur.order);
    cand.assign.set(cur.assign);
    cand.free.set(cur.free);
    const n = cand.order.length;
    const kind = this.operators[rng.int(this.operators.length)]!;
    if (kind === 6 && this.nTargets > 0) {
      // Let a displaced unit start before its current slot (or anchor it again).
      const u = this.targets[rng.int(this.nTargets)]!;
      const dec = this.decoder;
      const flip = 1 - cand.free[dec.unitFirst[u]!]!;
      for (let o = dec.unitFirst[u]!; o <= dec.unitLast[u]!; o++) cand.free[o] = flip;
    } else if (kind === 0) this.shuffleWindow(cand.order);
    else if (kind === 4 && this.nTargets > 0) {
      // Pull a critical (or late, or displaced) unit earlier.
      const u = this.targets[rng.int(this.nTargets)]!;
      const from = this.entryOfUnit[u]!;
      const span = 1 + rng.int(Math.max(1, Math.ceil(Math.sqrt(n)) * 2));
      moveEntry(cand.order, from, Math.max(0, from - span));
    }
    else if (kind === 1 && n > 1) {
      // Move one unit a short distance.
      const from = rng.int(n);
      const span = Math.max(1, Math.min(n - 1, 2 + rng.int(Math.ceil(Math.sqrt(n)) * 2)));
      const to = Math.min(n - 1, Math.max(0, from + rng.int(2 * span + 1) - span));
      moveEntry(cand.order, from, to);
    } else if (kind === 2 && n > 1) {
      const a = rng.int(n - 1);
      const t = cand.order[a]!;
      cand.order[a] = cand.order[a + 1]!;
      cand.order[a + 1] = t;
    } else if (kind === 3) this.sortWindowByRule(cand.order);
    else if (kind === 5) {
      const count = 1 + rng.int(3);
      for (let k = 0; k < count; k++) {
        const o = this.flexibleOps[rng.int(this.flexibleOps.length)]!;
        const nAlt = this.c.altStart[o + 1]! - this.c.altStart[o]!;
        cand.assign[o] = rng.int(3) === 0 ? -1 : rng.int(nAlt);
      }
    }
    this.iterations++;
    const d = this.decoder.decode(cand);
    const slot = this.iterations % this.history.length;
    const better = d.value < this.curValue || (d.value === this.curValue && d.makespan <= this.curMakespan);
    if (better || d.value <= this.history[slot]!) {
      if (d.value < this.bestValue || (d.value === this.bestValue && d.makespan < this.bestMakespan)) this.saveBest(cand, d.value, d.makespan);
      this.makeCurrent(cand, d.value, d.makespan);
    }
    if (this.curValue < this.history[slot]!) this.history[slot] = this.curValue;
  }

  private window(n: number): [number, number] {
    const w = Math.min(n, 2 + this.rng.int(Math.max(2, Math.min(24, Math.ceil(n / 3)))));
    const a = this.rng.int(n - w + 1);
    return [a, a + w];
  }

  private shuffleWindow(order: Int32Array): void {
    const [a, b] = this.window(order.length);
    for (let i = b - 1; i > a; i--) {
      const j = a + this.rng.int(i - a + 1);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
  }

  /** Rebuilds a window by a randomly chosen priority: due date, weight, or job release. */
  private sortWindowByRule(order: Int32Array): void {
    const c = this.c;
    const [a, b] = this.window(order.length);
    const rule = this.rng.int(3);
    const keys = this.keys;
    for (let i = a; i < b; i++) {
      const j = order[i]!;
      const noise = this.rng.float() * 0.1;
      keys[i] =
        rule === 0 ? (c.due[j]! >= 0 ? c.due[j]! : 1e12) + noise
        : rule === 1 ? -c.weight[j]! + noise
        : c.release[j]! + noise;
    }
    const slice = Array.from({ length: b - a }, (_, k) => a + k).sort((x, y) => keys[x]! - keys[y]!);
    const jobs = slice.map((i) => order[i]!);
    for (let i = a; i < b; i++) order[i] = jobs[i - a]!;
  }
}

function moveEntry(order: Int32Array, from: number, to: number): void {
  const v = order[from]!;
  if (from < to) order.copyWithin(from, from + 1, to + 1);
  else order.copyWithin(to + 1, to, from);
  order[to] = v;
}

function minDuration(c: CompiledProblem, o: number): number {
  let d = Infinity;
  for (let a = c.altStart[o]!; a < c.altStart[o + 1]!; a++) d = Math.min(d, c.altDuration[a]!);
  return d;
}
