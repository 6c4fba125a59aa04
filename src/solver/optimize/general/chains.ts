import type { CompiledProblem } from '../compile.js';

/** A problem with no valid schedule at all; the message names the job and the reason. */
export class InfeasibleProblemError extends Error {
  override readonly name = 'InfeasibleProblemError';
}

/**
 * A rigid placement of one Q-time unit that is valid on otherwise empty machines: the chosen
 * alternative and start offset of each op. The decoder falls back to it when greedy placement
 * with backtracking does not settle (e.g. a changeover longer than the Q-time on one machine).
 */
export interface UnitTemplate {
  alt: Int32Array;
  offset: Int32Array;
}

const SEARCH_LIMIT = 200_000;

/** Templates for every unit of more than one op; throws when a unit can never be scheduled. */
export function planUnits(c: CompiledProblem, unitFirst: Int32Array, unitLast: Int32Array): (UnitTemplate | null)[] {
  const out: (UnitTemplate | null)[] = [];
  for (let u = 0; u < unitFirst.length; u++) {
    const first = unitFirst[u]!;
    const last = unitLast[u]!;
    if (first === last) {
      out.push(null);
      continue;
    }
    const plan = planUnit(c, first, last);
    if (!plan) {
      const job = c.jobIds[c.opJob[first]!];
      throw new InfeasibleProblemError(
        `job ${job}: operations ${c.opIndex[first]}–${c.opIndex[last]} cannot meet their Q-time limits on any machine assignment (changeovers between them exceed the limits)`,
      );
    }
    out.push(plan);
  }
  return out;
}

function setupOn(c: CompiledProblem, m: number, from: number, to: number): number {
  const s = c.setup[m];
  return s ? s[from * c.nFamilies + to]! : 0;
}

/** Depth-first search over alternatives; each complete assignment is checked by propagation. */
function planUnit(c: CompiledProblem, first: number, last: number): UnitTemplate | null {
  const len = last - first + 1;
  const alt = new Int32Array(len);
  let nodes = 0;
  const visit = (k: number): UnitTemplate | null => {
    if (++nodes > SEARCH_LIMIT) return null;
    if (k === len) {
      const offset = offsetsFor(c, first, alt);
      return offset ? { alt: alt.slice(), offset } : null;
    }
    const o = first + k;
    const nAlt = c.altStart[o + 1]! - c.altStart[o]!;
    for (let a = 0; a < nAlt; a++) {
      alt[k] = a;
      if (!quickCheck(c, first, alt, k)) continue;
      const found = visit(k + 1);
      if (found) return found;
    }
    return null;
  };
  return visit(0);
}

/** Prune: the previous unit op on the same machine must be able to get its changeover in time. */
function quickCheck(c: CompiledProblem, first: number, alt: Int32Array, k: number): boolean {
  const o = first + k;
  const m = c.altMachine[c.altStart[o]! + alt[k]!]!;
  let stretch = 0;
  for (let i = k - 1; i >= 0; i--) {
    const x = first + i;
    stretch += c.maxLag[x]!;
    const mx = c.altMachine[c.altStart[x]! + alt[i]!]!;
    if (mx === m) return setupOn(c, m, c.family[x]!, c.family[o]!) <= stretch;
    stretch += c.altDuration[c.altStart[x]! + alt[i]!]!;
  }
  return true;
}

/** Smallest offsets meeting min/max lags and same-machine changeovers, or null (positive cycle). */
function offsetsFor(c: CompiledProblem, first: number, alt: Int32Array): Int32Array | null {
  const len = alt.length;
  const off = new Int32Array(len);
  const dur = (k: number): number => c.altDuration[c.altStart[first + k]! + alt[k]!]!;
  const mach = (k: number): number => c.altMachine[c.altStart[first + k]! + alt[k]!]!;
  for (let pass = 0; pass <= 2 * len + 2; pass++) {
    let changed = false;
    for (let k = 1; k < len; k++) {
      let s = off[k - 1]! + dur(k - 1) + c.minLag[first + k - 1]!;
      for (let i = k - 1; i >= 0; i--) {
        if (mach(i) !== mach(k)) continue;
        s = Math.max(s, off[i]! + dur(i) + setupOn(c, mach(k), c.family[first + i]!, c.family[first + k]!));
        break;
      }
      if (s > off[k]!) {
        off[k] = s;
        changed = true;
      }
    }
    for (let k = len - 1; k > 0; k--) {
      const need = off[k]! - c.maxLag[first + k - 1]! - dur(k - 1);
      if (need > off[k - 1]!) {
        off[k - 1] = need;
        changed = true;
      }
    }
    if (!changed) {
      const base = off[0]!;
      for (let k = 0; k < len; k++) off[k]! -= base;
      return off;
    }
  }
  return null;
}
