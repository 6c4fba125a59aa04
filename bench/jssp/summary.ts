// The JSSP bench's figures: gaps to the best-known makespans, over feasible schedules only. An
// infeasible schedule has no gap worth averaging (it may beat the optimum by breaking a rule);
// it is named apart, and its group says so.

export interface InstanceResult {
  name: string;
  makespan: number;
  /** Best-known upper bound (the optimum when closed), or null when unknown. */
  bks: number | null;
  feasible: boolean;
}

export interface Figures {
  instances: number;
  /** Mean and max gap to the best-known makespan in per cent, over feasible schedules with a known bks. */
  meanGapPct: number | null;
  maxGapPct: number | null;
  /** Feasible schedules at the best-known makespan. */
  atBks: number;
  infeasible: string[];
}

export interface Summary extends Figures {
  /** The same figures per instance family: ft, la, ta, mk… (the name's leading letters). */
  groups: Record<string, Figures>;
}

export function gapPct(result: InstanceResult): number | null {
  return result.bks === null ? null : (100 * (result.makespan - result.bks)) / result.bks;
}

export function groupOf(name: string): string {
  return /^[a-z]+/i.exec(name)?.[0]?.toLowerCase() ?? name;
}

export function summarise(results: readonly InstanceResult[]): Summary {
  const groups: Record<string, Figures> = {};
  for (const name of [...new Set(results.map((r) => groupOf(r.name)))].sort()) {
    groups[name] = figures(results.filter((r) => groupOf(r.name) === name));
  }
  return { ...figures(results), groups };
}

function figures(results: readonly InstanceResult[]): Figures {
  const gaps = results.flatMap((r) => {
    const gap = r.feasible ? gapPct(r) : null;
    return gap === null ? [] : [gap];
  });
  return {
    instances: results.length,
    meanGapPct: gaps.length ? round(gaps.reduce((a, b) => a + b, 0) / gaps.length, 3) : null,
    maxGapPct: gaps.length ? round(Math.max(...gaps), 3) : null,
    atBks: results.filter((r) => r.feasible && r.bks !== null && r.makespan <= r.bks).length,
    infeasible: results.filter((r) => !r.feasible).map((r) => r.name),
  };
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
