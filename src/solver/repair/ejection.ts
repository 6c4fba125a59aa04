import { changeoverMinutes } from '../setup.js';
import type { RepairSchedule } from './schedule.js';

// Ejection chains: a job left out takes a start where only other jobs stand in its way, and those move
// on — to their own cheapest free start, or by ejecting others in turn, a few links deep. A job of
// lower priority than the one taking its place may drop out; the caller keeps a chain only when the
// score improves, so a higher-priority booking never makes way for a lower one.

/** Work allowed to the chains: one unit per position tried. */
export interface Effort {
  left: number;
}

/** How many positions to try at each depth of a chain (the deepest last). */
const WIDTH = [6, 3, 2];

/** Tries to place job u by ejecting others; on false the schedule is as it was. */
export function insertByEjection(
  schedule: RepairSchedule,
  u: number,
  depth: number,
  chain: Set<number>,
  effort: Effort,
): boolean {
  const jobs = schedule.problem.jobs;
  const width = WIDTH[Math.max(0, WIDTH.length - depth)] ?? 2;
  const positions = positionsFor(schedule, u, chain).slice(0, width);
  chain.add(u);
  try {
    for (const p of positions) {
      if (effort.left-- <= 0) return false;
      const mark = schedule.mark();
      for (const e of p.ejected) schedule.unplace(e);
      if (!schedule.fits(u, p.option, p.start)) {
        schedule.rollbackTo(mark);
        continue;
      }
      schedule.place(u, p.option, p.start);
      const ejected = [...p.ejected].sort((a, b) => jobs[a]!.level - jobs[b]!.level || a - b);
      let ok = true;
      for (const e of ejected) {
        const slot = schedule.best(e);
        if (slot !== undefined) {
          schedule.place(e, slot.option, slot.start);
          continue;
        }
        if (depth > 1 && insertByEjection(schedule, e, depth - 1, chain, effort)) continue;
        if (jobs[e]!.level > jobs[u]!.level) continue;
        ok = false;
        break;
      }
      if (ok) return true;
      schedule.rollbackTo(mark);
    }
    return false;
  } finally {
    chain.delete(u);
  }
}

export interface Position {
  readonly option: number;
  readonly start: number;
  readonly ejected: readonly number[];
  readonly cost: number;
}

/** Only this many nearest free stretches of the fixed calendar are searched for a job's positions. */
const STRETCHES = 24;

/**
 * Starts where job u clears the calendar that stays put and only jobs (none in the chain) are in its
 * way: the stretch edges, its own start, and the starts just before, at and after each job there.
 * Fewest ejected first, then the cheapest.
 */
export function positionsFor(schedule: RepairSchedule, u: number, chain: ReadonlySet<number>): Position[] {
  const job = schedule.problem.jobs[u]!;
  const seen = new Set<string>();
  const found: Position[] = [];
  job.options.forEach((o, option) => {
    const fixed = schedule.fixedLanes[o.tool]!;
    const lane = schedule.lanes[o.tool]!;
    const stretches: [number, number][] = [];
    for (const range of o.ranges) {
      for (let g = fixed.indexAfter(range.from); g <= fixed.size; g++) {
        if (fixed.floor(g) > range.to) break;
        const a = Math.max(fixed.first(g, job.setup), range.from);
        const b = Math.min(fixed.last(g, job.setup, o.footprint), range.to);
        if (a <= b) stretches.push([a, b]);
      }
    }
    const distance = ([a, b]: [number, number]) => Math.max(0, a - job.target, job.target - b);
    stretches.sort((x, y) => distance(x) - distance(y));
    for (const [a, b] of stretches.slice(0, STRETCHES)) {
      const starts = [a, b, Math.min(b, Math.max(a, job.target))];
      const reach = lane.maxChangeover + o.footprint;
      for (let i = lane.indexAfter(a - reach - 1); i < lane.size && lane.start[i]! <= b + reach; i++) {
        if (lane.job[i]! < 0) continue;
        starts.push(
          lane.start[i]!,
          lane.until[i]! + changeoverMinutes(lane.changeovers, lane.setup[i]!, job.setup),
          lane.start[i]! - o.footprint - changeoverMinutes(lane.changeovers, job.setup, lane.setup[i]!),
        );
      }
      for (const s of starts) {
        if (s < a || s > b) continue;
        const key = `${option}:${s}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const ejected = schedule.conflicts(u, option, s);
        if (ejected.some((e) => chain.has(e))) continue;
        found.push({ option, start: s, ejected, cost: Math.abs(s - job.target) + o.penalty });
      }
    }
  });
  return found.sort((x, y) => x.ejected.length - y.ejected.length || x.cost - y.cost || x.start - y.start);
}
