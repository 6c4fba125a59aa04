import type { Random } from '../random.js';
import type { ShopGraph } from './graph.js';

/** Machine sequences of a snapshot ([mach, mp, ms, mFirst, mLast], see ShopGraph.save). */
function sequencesOf(snapshot: Int32Array, n: number, m: number): Int32Array[] {
  const ms = snapshot.subarray(2 * n, 3 * n);
  const out: Int32Array[] = [];
  for (let k = 0; k < m; k++) {
    const seq: number[] = [];
    for (let o = snapshot[3 * n + k]!; o >= 0; o = ms[o]!) seq.push(o);
    out.push(Int32Array.from(seq));
  }
  return out;
}

/** Positions, machine by machine, where the graph's sequence differs from the target's. */
export function sequenceDistance(g: ShopGraph, target: Int32Array): number {
  const seqs = sequencesOf(target, g.n, g.m);
  let d = 0;
  for (let k = 0; k < g.m; k++) {
    const t = seqs[k]!;
    let i = 0;
    for (let o = g.mFirst[k]!; o >= 0; o = g.ms[o]!, i++) if (i >= t.length || t[i] !== o) d++;
    if (i < t.length) d += t.length - i;
  }
  return d;
}

/**
 * Path relinking (as in TS/PR and i-TSAB): walks the graph's solution toward the target's, each
 * step putting on some machine the target's next op in place (a relocation, or a reassignment in
 * FJSP), skipping steps that would close a cycle. Returns the steps taken.
 */
export function relinkToward(g: ShopGraph, target: Int32Array, steps: number, rng: Random): number {
  const seqs = sequencesOf(target, g.n, g.m);
  let done = 0;
  while (done < steps) {
    let moved = false;
    const k0 = rng.int(g.m);
    for (let t = 0; t < g.m && !moved; t++) {
      const k = k0 + t < g.m ? k0 + t : k0 + t - g.m;
      const seq = seqs[k]!;
      let i = 0;
      let a = g.mFirst[k]!;
      while (i < seq.length && a === seq[i]) {
        a = g.ms[a]!;
        i++;
      }
      if (i === seq.length) continue;
      moved = g.moveAndUpdate(seq[i]!, k, i === 0 ? -1 : seq[i - 1]!);
    }
    if (!moved) break;
    done++;
  }
  return done;
}

/** Sequence distance between two snapshots of the same problem (positions that differ). */
export function snapshotDistance(a: Int32Array, b: Int32Array, n: number, m: number): number {
  let d = 0;
  const msA = a.subarray(2 * n, 3 * n);
  const msB = b.subarray(2 * n, 3 * n);
  for (let k = 0; k < m; k++) {
    let x = a[3 * n + k]!;
    let y = b[3 * n + k]!;
    while (x >= 0 || y >= 0) {
      if (x !== y) d++;
      x = x >= 0 ? msA[x]! : -1;
      y = y >= 0 ? msB[y]! : -1;
    }
  }
  return d;
}
