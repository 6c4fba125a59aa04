// Periods of Hong Kong days that reports are asked for: presets and their names.
import { isoDay } from '../time.js';

export interface DayPeriod {
  from: string;
  to: string;
}

const day = (year: number, month: number, date: number) => new Date(Date.UTC(year, month, date)).toISOString().slice(0, 10);

/** The presets, as of the Hong Kong day holding `now`: closed periods first, each ending today at the latest. */
export function periodPresets(now: number): Array<{ key: string; label: string; period: DayPeriod }> {
  const today = isoDay(now);
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1];
  const quarter = Math.floor(m / 3);
  const ago = (days: number) => isoDay(now - days * 86_400_000);
  return [
    { key: 'last-quarter', label: 'Last quarter', period: { from: day(y, (quarter - 1) * 3, 1), to: day(y, quarter * 3, 0) } },
    { key: 'last-month', label: 'Last month', period: { from: day(y, m - 1, 1), to: day(y, m, 0) } },
    { key: 'this-quarter', label: 'This quarter', period: { from: day(y, quarter * 3, 1), to: today } },
    { key: 'this-year', label: 'This year', period: { from: day(y, 0, 1), to: today } },
    { key: 'last-year', label: 'Last year', period: { from: day(y - 1, 0, 1), to: day(y - 1, 11, 31) } },
    { key: 'last-365', label: 'Last 12 months', period: { from: ago(364), to: today } },
  ];
}

/** "1 Jul – 30 Sep 2026", "Q3 2026" where a period is a calendar quarter. */
export function periodName(period: DayPeriod): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const [fy, fm, fd] = period.from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = period.to.split('-').map(Number) as [number, number, number];
  const lastOfMonth = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  if (fy === ty && fd === 1 && td === lastOfMonth && (fm - 1) % 3 === 0 && tm === fm + 2) return `Q${(fm + 2) / 3} ${fy}`;
  const from = `${fd} ${months[fm - 1]}${fy === ty ? '' : ` ${fy}`}`;
  return `${from} – ${td} ${months[tm - 1]} ${ty}`;
}
