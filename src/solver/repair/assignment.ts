import type { RepairSchedule } from './schedule.js';
import { compareScores } from './schedule.js';

// Reassigning slots: keep every start the kept jobs occupy now, and hand those slots out again by an
// optimal assignment (Hungarian method), each job to a slot inside its window with room for it. On a
// window tool this is where the exact answer lives: whose booking takes the slot just after the window
// and whose goes before it. Slots keep their starts, so only the changeovers between new neighbours
// and the weekly quotas can object: every job is checked as it goes back, and on any objection
// nothing changes.

/** Too costly to assign: larger than any real displacement plus penalties. */
const FORBIDDEN = 1e15;

export function reassignSlots(schedule: RepairSchedule): boolean {
  const { jobs, tools } = schedule.problem;
  const placed = jobs.filter((j) => schedule.isPlaced(j.index));
  const n = placed.length;
  if (n < 2) return false;
  const slots = placed.map((j) => {
    const o = j.options[schedule.optionOf[j.index]!]!;
    const start = schedule.startOf[j.index]!;
    const lane = schedule.lanes[o.tool]!;
    // Room up to the next entry, as if this slot's job had no changeover to it (checked on the way back).
    const next = lane.indexAfter(start);
    const room = next < lane.size ? lane.start[next]! - start : Infinity;
    return { tool: o.tool, start, room };
  });
  void tools;
  const cost = new Float64Array(n * n).fill(FORBIDDEN);
  const choice = new Int32Array(n * n).fill(-1);
  placed.forEach((job, r) => {
    job.options.forEach((o, option) => {
      slots.forEach((slot, c) => {
        if (o.tool !== slot.tool || o.footprint > slot.room) return;
        if (!o.ranges.some((range) => range.from <= slot.start && slot.start <= range.to)) return;
        const value = Math.abs(slot.start - job.target) + o.penalty;
        if (value < cost[r * n + c]!) {
          cost[r * n + c] = value;
          choice[r * n + c] = option;
        }
      });
    });
  });
  const slotOf = hungarian(cost, n);
  let changed = false;
  for (let r = 0; r < n; r++) if (slotOf[r] !== r) changed = true;
  if (!changed) return false;
  const before = schedule.score();
  const mark = schedule.mark();
  for (const job of placed) schedule.unplace(job.index);
  for (let r = 0; r < n; r++) {
    const c = slotOf[r]!;
    const option = choice[r * n + c]!;
    const j = placed[r]!.index;
    if (option < 0 || !schedule.fits(j, option, slots[c]!.start)) {
      schedule.rollbackTo(mark);
      return false;
    }
    schedule.place(j, option, slots[c]!.start);
  }
  if (compareScores(schedule.score(), before) <= 0) {
    schedule.rollbackTo(mark);
    return false;
  }
  schedule.commit();
  return true;
}

/** Minimum-cost perfect assignment of an n × n matrix (row-major): the column for each row. O(n³). */
export function hungarian(cost: Float64Array, n: number): Int32Array {
  // Potentials u (rows), v (columns); p[col] = the row matched to col (1-based, 0 = none).
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1);
  const way = new Int32Array(n + 1);
  const minv = new Float64Array(n + 1);
  const used = new Uint8Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * n + (j - 1)]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const colOf = new Int32Array(n);
  for (let j = 1; j <= n; j++) colOf[p[j]! - 1] = j - 1;
  return colOf;
}
