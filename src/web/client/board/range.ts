// What the schedule shows: a day, a rolling 7 days or a rolling month, from a Hong Kong day on.
// "Today" lands on now: the 7-day view starts today (no fixed Monday–Sunday week), the month view
// a week back so the used layer of the last days stays in sight.
import { dayMs, formatDate, hourMs, isoDay, parseIsoDay, startOfDay } from '../time.js';

export type BoardView = 'day' | '7d' | 'month';

export interface BoardRange {
  view: BoardView;
  from: number;
  to: number;
}

const days: Record<BoardView, number> = { day: 1, '7d': 7, month: 30 };
/** The month view opens this many days before today. */
const monthLead = 7;

export const viewLabels: Record<BoardView, string> = { day: 'Day', '7d': '7 days', month: 'Month' };

/** The view named in the address (old `week` links read as 7 days). */
export function boardViewOf(text: string | null): BoardView {
  if (text === 'day' || text === 'month') return text;
  return '7d';
}

/** Where "Today" puts a view's first day. */
export function todayStart(view: BoardView, now: number): number {
  return startOfDay(now) - (view === 'month' ? monthLead * dayMs : 0);
}

export function rangeOf(view: BoardView, fromDay: string | null, now: number): BoardRange {
  const from = parseIsoDay(fromDay) ?? todayStart(view, now);
  return { view, from, to: from + days[view] * dayMs };
}

/** One page back or forward: a day, a week, four weeks. */
export function stepOf(view: BoardView): number {
  return (view === 'month' ? 28 : days[view]) * dayMs;
}

export function rangeTitle(range: BoardRange): string {
  if (range.view === 'day') return formatDate(range.from);
  return `${formatDate(range.from)} – ${formatDate(range.to - dayMs)}`;
}

export interface Tick {
  at: number;
  label: string;
  /** A day's first tick: drawn stronger, and a link to that day. */
  day: boolean;
  weekend: boolean;
}

/** The axis: hours in a day, days in 7 days and a month (a month labels every day by its number). */
export function ticksOf(range: BoardRange): Tick[] {
  const ticks: Tick[] = [];
  if (range.view === 'day') {
    for (let t = range.from; t < range.to; t += hourMs) {
      const hour = Math.round((t - range.from) / hourMs);
      ticks.push({ at: t, label: `${String(hour).padStart(2, '0')}:00`, day: hour === 0, weekend: false });
    }
    return ticks;
  }
  for (let d = range.from; d < range.to; d += dayMs) {
    const weekday = new Date(d + 8 * hourMs).getUTCDay();
    const label = range.view === 'month' ? String(new Date(d + 8 * hourMs).getUTCDate()) : formatDate(d);
    ticks.push({ at: d, label, day: true, weekend: weekday === 0 || weekday === 6 });
  }
  return ticks;
}

/** The address of the schedule with some parameters changed (empty or undefined removes one). */
export function boardLink(params: URLSearchParams, changes: Record<string, string | undefined>): string {
  const next = new URLSearchParams(params);
  next.delete('date');
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === '') next.delete(k);
    else next.set(k, v);
  }
  return `#/schedule?${next.toString()}`;
}

export { isoDay };
