import type { Random } from '../random.js';
import type { ShopGraph } from './graph.js';

/**
 * A randomised greedy start: repeatedly schedule the (job's next op, machine) pair that completes
 * earliest, ties and near-ties broken by most work remaining plus noise. Sets the graph's sequences.
 */
export function buildInitialSolution(g: ShopGraph, rng: Random, noise: number): void {
  const c = g.problem;
  const next = Int32Array.from(c.jobFirst.subarray(0, c.nJobs));
  const jobReady = Float64Array.from(c.release);
  const machReady = new Float64Array(c.nMachines);
  const workLeft = new Float64Array(c.nJobs);
  for (let o = 0; o < c.nOps; o++) workLeft[c.opJob[o]!]! += minDuration(g, o);
  const sequences: number[][] = Array.from({ length: c.nMachines }, () => []);
  for (let placed = 0; placed < c.nOps; placed++) {
    let bestScore = Infinity;
    let bestOp = -1;
    let bestMachine = -1;
    let bestEnd = 0;
    for (let j = 0; j < c.nJobs; j++) {
      const o = next[j]!;
      if (o >= c.jobFirst[j + 1]!) continue;
      for (let a = c.altStart[o]!; a < c.altStart[o + 1]!; a++) {
        const k = c.altMachine[a]!;
        const end = Math.max(jobReady[j]!, machReady[k]!) + c.altDuration[a]!;
        const score = end - 0.01 * workLeft[j]! + noise * rng.float() * c.altDuration[a]!;
        if (score < bestScore) {
          bestScore = score;
          bestOp = o;
          bestMachine = k;
          bestEnd = end;
        }
      }
    }
    const j = c.opJob[bestOp]!;
    sequences[bestMachine]!.push(bestOp);
    machReady[bestMachine] = bestEnd;
    jobReady[j] = bestEnd + c.minLag[bestOp]!;
    workLeft[j]! -= minDuration(g, bestOp);
    next[j]!++;
  }
  g.setSequences(sequences);
}

function minDuration(g: ShopGraph, o: number): number {
  const c = g.problem;
  let d = Infinity;
  for (let a = c.altStart[o]!; a < c.altStart[o + 1]!; a++) d = Math.min(d, c.altDuration[a]!);
  return d;
}
