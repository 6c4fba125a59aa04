import type { CompiledProblem } from '../compile.js';
import type { Decoder } from './decode.js';

/**
 * Units worth moving earlier in the order, read off the last decoded schedule:
 * makespan — the units on a critical chain (each op starts right when its job predecessor or its
 * machine predecessor, plus changeover, lets it); weighted tardiness — units of late jobs;
 * stability — units with an op away from its current slot. Writes them to `out`, returns the count.
 */
export function targetUnits(c: CompiledProblem, d: Decoder, unitOf: Int32Array, out: Int32Array): number {
  let n = 0;
  const add = (u: number): void => {
    if (n === 0 || out[n - 1] !== u) out[n++] = u;
  };
  if (c.objective === 'weightedTardiness') {
    for (let j = 0; j < c.nJobs; j++) {
      if (c.due[j]! < 0) continue;
      const last = c.jobFirst[j + 1]! - 1;
      if (d.start[last]! + d.duration[last]! <= c.due[j]!) continue;
      for (let o = c.jobFirst[j]!; o <= last; o++) add(unitOf[o]!);
    }
    return n;
  }
  if (c.objective === 'stability') {
    for (let o = 0; o < c.nOps; o++) {
      if (c.currentMachine[o]! >= 0 && (d.start[o] !== c.currentStart[o] || d.machine[o] !== c.currentMachine[o])) add(unitOf[o]!);
    }
    return n;
  }
  // Ops of each machine by start, to find machine predecessors.
  const byMachine: number[][] = Array.from({ length: c.nMachines }, () => []);
  let last = 0;
  for (let o = 0; o < c.nOps; o++) {
    byMachine[d.machine[o]!]!.push(o);
    if (d.start[o]! + d.duration[o]! > d.start[last]! + d.duration[last]!) last = o;
  }
  for (const ops of byMachine) ops.sort((a, b) => d.start[a]! - d.start[b]!);
  let o = last;
  for (let guard = 0; guard < c.nOps; guard++) {
    add(unitOf[o]!);
    const s = d.start[o]!;
    const first = c.jobFirst[c.opJob[o]!]!;
    if (o > first && d.start[o - 1]! + d.duration[o - 1]! + c.minLag[o - 1]! === s) {
      o = o - 1;
      continue;
    }
    const m = d.machine[o]!;
    const ops = byMachine[m]!;
    // The run just before: the latest op starting before s.
    let lo = 0;
    let hi = ops.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (d.start[ops[mid]!]! < s) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) break;
    const x = ops[lo - 1]!;
    const setup = c.setup[m] ? c.setup[m]![c.family[x]! * c.nFamilies + c.family[o]!]! : 0;
    if (d.start[x]! + d.duration[x]! + setup !== s) break;
    o = x;
  }
  return n;
}
