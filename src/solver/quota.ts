import type { StartRange } from './ranges.js';
import { subtractRanges } from './ranges.js';
import { MINUTES_PER_WEEK, weekIndexOf, weekStartOf } from './week.js';

/** Minutes booked per tenant × tool type × quota week, kept up to date as reservations come and go. */
export class QuotaLedger {
  // tenant → tool type → week → minutes; nested maps, so the hot lookup builds no string key.
  private readonly used = new Map<string, Map<string, Map<number, number>>>();

  /** Adds (sign 1) or takes back (sign -1) a booking's minutes, split across the weeks it touches. */
  record(tenantId: string, toolType: string, start: number, end: number, sign: 1 | -1): void {
    let byType = this.used.get(tenantId);
    if (byType === undefined) this.used.set(tenantId, (byType = new Map()));
    let weeks = byType.get(toolType);
    if (weeks === undefined) byType.set(toolType, (weeks = new Map()));
    for (let week = weekIndexOf(start); weekStartOf(week) < end; week++) {
      const minutes = Math.min(end, weekStartOf(week + 1)) - Math.max(start, weekStartOf(week));
      const total = (weeks.get(week) ?? 0) + sign * minutes;
      if (total === 0) weeks.delete(week);
      else weeks.set(week, total);
    }
  }

  weeksOf(tenantId: string, toolType: string): ReadonlyMap<number, number> | undefined {
    return this.used.get(tenantId)?.get(toolType);
  }

  usedMinutes(tenantId: string, toolType: string, week: number): number {
    return this.weeksOf(tenantId, toolType)?.get(week) ?? 0;
  }
}

export interface QuotaCut {
  readonly week: number;
  readonly usedMinutes: number;
}

/**
 * The starts in [earliestStart, latestStart] at which a booking of `duration` keeps the tenant within
 * `limitMinutes` in every week it touches, and the weeks that cut starts away.
 */
export function quotaStartRanges(
  usedByWeek: ReadonlyMap<number, number> | undefined,
  limitMinutes: number,
  duration: number,
  earliestStart: number,
  latestStart: number,
): { ranges: StartRange[]; cuts: QuotaCut[] } {
  const whole = { from: earliestStart, to: latestStart };
  if (limitMinutes === Infinity || earliestStart > latestStart) return { ranges: [whole], cuts: [] };
  const holes: StartRange[] = [];
  const cuts: QuotaCut[] = [];
  for (let week = weekIndexOf(earliestStart); weekStartOf(week) < latestStart + duration; week++) {
    const used = usedByWeek?.get(week) ?? 0;
    const room = Math.max(0, limitMinutes - used);
    if (room >= Math.min(duration, MINUTES_PER_WEEK)) continue;
    // The slot's overlap with this week exceeds `room` exactly for starts strictly inside this range.
    const from = Math.max(earliestStart, weekStartOf(week) - duration + room + 1);
    const to = Math.min(latestStart, weekStartOf(week + 1) - room - 1);
    if (from > to) continue;
    holes.push({ from, to });
    cuts.push({ week, usedMinutes: used });
  }
  return { ranges: subtractRanges(whole, holes), cuts };
}
