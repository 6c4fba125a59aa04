import { NO_MAX_LAG, type CompiledProblem } from '../compile.js';
import { planUnits, type UnitTemplate } from './chains.js';
import { buildTimelines, type MachineTimeline } from './timeline.js';

/**
 * A solution of the general model, decoded into a schedule by `Decoder`:
 * - order: job indices; the k-th occurrence of job j stands for j's k-th unit (so every
 *   permutation is valid);
 * - assign: per op, the chosen alternative (index into its alternatives) or -1 to let the decoder
 *   pick the machine that finishes first;
 * - free: per op, 1 to let it start before its current start (stability objective; by default an
 *   op keeps at least its current start).
 * A unit is a maximal run of a job's ops linked by Q-time limits: it is placed as a whole.
 */
export interface Genotype {
  order: Int32Array;
  assign: Int32Array;
  free: Int32Array;
}

export interface Decoded {
  value: number;
  makespan: number;
}


/**
 * Serial schedule generation with propagation: each unit goes to the earliest feasible slots
 * (release, min lags, blocked time, changeovers, batches), and a violated max lag pushes the
 * previous op of the unit later until the whole unit fits (the pushes only ever grow).
 * Hot path: typed arrays; one decode per search iteration.
 */
export class Decoder {
  readonly nUnits: number;
  readonly unitFirst: Int32Array;
  readonly unitLast: Int32Array;
  readonly jobUnitFirst: Int32Array;
  readonly start: Int32Array;
  readonly machine: Int32Array;
  readonly duration: Int32Array;
  /** Start of each order entry's unit after the last decode. */
  readonly entryStart: Int32Array;
  /** Unit of each op. */
  readonly unitOf: Int32Array;
  private readonly timelines: MachineTimeline[];
  private readonly lbEnd: Int32Array;
  private readonly occurrence: Int32Array;
  private readonly jobReady: Int32Array;
  private readonly templates: (UnitTemplate | null)[];

  constructor(readonly c: CompiledProblem, readonly anchorToCurrent: boolean) {
    const firsts: number[] = [];
    const lasts: number[] = [];
    this.jobUnitFirst = new Int32Array(c.nJobs + 1);
    for (let j = 0; j < c.nJobs; j++) {
      this.jobUnitFirst[j] = firsts.length;
      for (let o = c.jobFirst[j]!; o < c.jobFirst[j + 1]!; o++) {
        if (o === c.jobFirst[j] || c.maxLag[o - 1] === NO_MAX_LAG) firsts.push(o);
        if (o === c.jobFirst[j + 1]! - 1 || c.maxLag[o] === NO_MAX_LAG) lasts.push(o);
      }
    }
    this.jobUnitFirst[c.nJobs] = firsts.length;
    this.nUnits = firsts.length;
    this.unitFirst = Int32Array.from(firsts);
    this.unitLast = Int32Array.from(lasts);
    this.start = new Int32Array(c.nOps);
    this.machine = new Int32Array(c.nOps);
    this.duration = new Int32Array(c.nOps);
    this.entryStart = new Int32Array(this.nUnits);
    this.unitOf = new Int32Array(c.nOps);
    for (let u = 0; u < this.nUnits; u++) this.unitOf.fill(u, this.unitFirst[u]!, this.unitLast[u]! + 1);
    this.timelines = buildTimelines(c);
    this.lbEnd = new Int32Array(c.nOps);
    this.occurrence = new Int32Array(c.nJobs);
    this.jobReady = new Int32Array(c.nJobs);
    this.templates = planUnits(c, this.unitFirst, this.unitLast);
  }

  /** Units in job order, each job's units consecutively: a valid (poor) order to start from. */
  defaultOrder(): Int32Array {
    const order = new Int32Array(this.nUnits);
    let k = 0;
    for (let j = 0; j < this.c.nJobs; j++) {
      for (let u = this.jobUnitFirst[j]!; u < this.jobUnitFirst[j + 1]!; u++) order[k++] = j;
    }
    return order;
  }

  decode(g: Genotype): Decoded {
    const c = this.c;
    for (const t of this.timelines) t.clear();
    this.occurrence.fill(0);
    this.jobReady.set(c.release);
    const order = g.order;
    for (let e = 0; e < order.length; e++) {
      const j = order[e]!;
      const u = this.jobUnitFirst[j]! + this.occurrence[j]!++;
      const first = this.unitFirst[u]!;
      const last = this.unitLast[u]!;
      if (!this.placeUnit(first, last, this.jobReady[j]!, g)) this.placeTemplate(u, this.jobReady[j]!);
      this.entryStart[e] = this.start[first]!;
      this.jobReady[j] = this.start[last]! + this.duration[last]! + c.minLag[last]!;
    }
    return this.evaluate();
  }

  /** Greedy placement with Q-time backtracking; false (nothing placed) when it does not settle. */
  private placeUnit(first: number, last: number, ready: number, g: Genotype): boolean {
    const assign = g.assign;
    const c = this.c;
    const { start, machine, duration, lbEnd, timelines } = this;
    for (let o = first; o <= last; o++) lbEnd[o] = 0;
    let o = first;
    let backtracks = 0;
    const limit = 8 * (last - first + 1) + 16;
    while (o <= last) {
      let lo = ready;
      let hi = Infinity;
      if (o > first) {
        const prevEnd = start[o - 1]! + duration[o - 1]!;
        lo = prevEnd + c.minLag[o - 1]!;
        hi = prevEnd + c.maxLag[o - 1]!;
      }
      if (this.anchorToCurrent && g.free[o] === 0 && c.currentMachine[o]! >= 0 && c.currentStart[o]! > lo) lo = c.currentStart[o]!;
      const a0 = assign[o]! >= 0 ? c.altStart[o]! + assign[o]! : c.altStart[o]!;
      const a1 = assign[o]! >= 0 ? a0 + 1 : c.altStart[o + 1]!;
      let bestA = -1;
      let bestS = 0;
      let bestScore = Infinity;
      let minS = Infinity;
      for (let a = a0; a < a1; a++) {
        const m = c.altMachine[a]!;
        const d = c.altDuration[a]!;
        const from = lbEnd[o]! - d > lo ? lbEnd[o]! - d : lo;
        const s = timelines[m]!.earliest(from, d, c.family[o]!, c.batchSize[o]!);
        if (s < minS) minS = s;
        if (s > hi) continue;
        let score = s + d;
        if (this.anchorToCurrent && c.currentMachine[o]! >= 0 && c.currentMachine[o] !== m) score += c.machineChangeCost;
        if (score < bestScore) {
          bestScore = score;
          bestA = a;
          bestS = s;
        }
      }
      if (bestA >= 0) {
        const m = c.altMachine[bestA]!;
        const d = c.altDuration[bestA]!;
        timelines[m]!.add(bestS, d, c.family[o]!, c.batchSize[o]!);
        start[o] = bestS;
        machine[o] = m;
        duration[o] = d;
        o++;
        continue;
      }
      // No slot within the Q-time limit: the previous op must end later; undo it and retry.
      const p = o - 1;
      if (++backtracks > limit) {
        for (let x = p; x >= first; x--) timelines[machine[x]!]!.remove(start[x]!, c.batchSize[x]!);
        return false;
      }
      timelines[machine[p]!]!.remove(start[p]!, c.batchSize[p]!);
      lbEnd[p] = minS - c.maxLag[p]!;
      o = p;
    }
    return true;
  }

  /** The unit's rigid template at the earliest shift where every op fits. */
  private placeTemplate(u: number, ready: number): void {
    const c = this.c;
    const { start, machine, duration, timelines } = this;
    const first = this.unitFirst[u]!;
    const last = this.unitLast[u]!;
    const tpl = this.templates[u]!;
    let t = ready;
    for (;;) {
      let k = 0;
      for (; k <= last - first; k++) {
        const o = first + k;
        const a = c.altStart[o]! + tpl.alt[k]!;
        const m = c.altMachine[a]!;
        const d = c.altDuration[a]!;
        const want = t + tpl.offset[k]!;
        const s = timelines[m]!.earliest(want, d, c.family[o]!, c.batchSize[o]!);
        if (s !== want) {
          for (let x = o - 1; x >= first; x--) timelines[machine[x]!]!.remove(start[x]!, c.batchSize[x]!);
          t += s - want;
          break;
        }
        timelines[m]!.add(s, d, c.family[o]!, c.batchSize[o]!);
        start[o] = s;
        machine[o] = m;
        duration[o] = d;
      }
      if (k > last - first) return;
    }
  }

  private evaluate(): Decoded {
    const c = this.c;
    let makespan = 0;
    for (let o = 0; o < c.nOps; o++) {
      const e = this.start[o]! + this.duration[o]!;
      if (e > makespan) makespan = e;
    }
    let value = makespan;
    if (c.objective === 'weightedTardiness') {
      value = 0;
      for (let j = 0; j < c.nJobs; j++) {
        if (c.due[j]! < 0) continue;
        const last = c.jobFirst[j + 1]! - 1;
        const late = this.start[last]! + this.duration[last]! - c.due[j]!;
        if (late > 0) value += c.weight[j]! * late;
      }
    } else if (c.objective === 'stability') {
      value = 0;
      for (let o = 0; o < c.nOps; o++) {
        const m = c.currentMachine[o]!;
        if (m < 0) continue;
        value += Math.abs(this.start[o]! - c.currentStart[o]!) + (m === this.machine[o] ? 0 : c.machineChangeCost);
      }
    }
    return { value, makespan };
  }
}
