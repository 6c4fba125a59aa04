import { isJobShopShaped, makespanLowerBound, type CompiledProblem } from './compile.js';
import { Decoder } from './general/decode.js';
import { GeneralLns } from './general/lns.js';
import { ShopGraph } from './shop/graph.js';
import { ShopTabuSearch, type ShopTabuOptions } from './shop/tabu.js';
import type { SearchStream } from './stream.js';

/** `tabu`: critical-path tabu search on the disjunctive graph; `lns`: decoder-based LNS for everything else. */
export type Engine = 'tabu' | 'lns';

export function chooseEngine(c: CompiledProblem): Engine {
  return isJobShopShaped(c) ? 'tabu' : 'lns';
}

/** Lower bound on the objective value (0 for the objectives that may reach 0). */
export function objectiveLowerBound(c: CompiledProblem): number {
  return c.objective === 'makespan' ? makespanLowerBound(c) : 0;
}

/** Tuning knobs of the tabu search (defaults are tuned on Taillard and Brandimarte instances). */
export type TabuTuning = Omit<ShopTabuOptions, 'seed' | 'lowerBound'>;

export function createStream(c: CompiledProblem, engine: Engine, seed: number, tuning: TabuTuning = {}): SearchStream {
  const lowerBound = objectiveLowerBound(c);
  if (engine === 'tabu') return new ShopTabuSearch(c, { ...tuning, seed, lowerBound });
  return new GeneralLns(c, { seed, lowerBound, seedFromRelaxation: c.objective === 'makespan' });
}

/** Start, machine and duration of every op in a stream snapshot. */
export interface Placement {
  start: Int32Array;
  machine: Int32Array;
  duration: Int32Array;
}

export function placementOf(c: CompiledProblem, engine: Engine, snapshot: Int32Array): Placement {
  if (engine === 'tabu') {
    const g = new ShopGraph(c);
    g.restore(snapshot);
    if (!g.evaluate()) throw new Error('snapshot has a cycle');
    return { start: g.r.slice(), machine: g.mach.slice(), duration: g.p.slice() };
  }
  const d = new Decoder(c, c.objective === 'stability');
  d.decode(GeneralLns.genotypeOf(snapshot, d.nUnits));
  return { start: d.start.slice(), machine: d.machine.slice(), duration: d.duration.slice() };
}
