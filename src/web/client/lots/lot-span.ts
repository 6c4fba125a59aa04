import type { LotView } from '../api.js';
import { formatRange } from '../time.js';

/** "3 steps · Tue 4 Mar 09:00 – Wed 5 Mar 14:00": a route's steps and the time they span. */
export function lotSpanText(lot: LotView): string {
  const slots = lot.steps.flatMap((s) => (s.booking ? [s.booking] : []));
  if (!slots.length) return `${lot.steps.length} steps`;
  const start = Math.min(...slots.map((b) => Date.parse(b.startsAt)));
  const end = Math.max(...slots.map((b) => Date.parse(b.endsAt)));
  return `${lot.steps.length} steps · ${formatRange(start, end)}`;
}
