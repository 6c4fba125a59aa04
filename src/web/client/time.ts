// Facility time: Asia/Hong_Kong is UTC+8 all year (no daylight saving), so a fixed offset is exact
// and the UI shows facility time whatever the browser's own zone.

export const hktOffsetMs = 8 * 3_600_000;
export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The wall-clock fields of an instant in Hong Kong. */
function wall(ms: number) {
  const d = new Date(ms + hktOffsetMs);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

export function startOfDay(ms: number): number {
  return Math.floor((ms + hktOffsetMs) / dayMs) * dayMs - hktOffsetMs;
}

/** Monday 00:00 of the week holding `ms`. */
export function startOfWeek(ms: number): number {
  const day = startOfDay(ms);
  return day - ((wall(day).weekday + 6) % 7) * dayMs;
}

export function formatTime(ms: number): string {
  const w = wall(ms);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

export function formatDate(ms: number): string {
  const w = wall(ms);
  return `${weekdays[w.weekday]} ${w.day} ${months[w.month]}`;
}

export function formatDateTime(ms: number): string {
  return `${formatDate(ms)} ${formatTime(ms)}`;
}

/** "Tue 4 Mar 09:00–17:00", or both dates when the range crosses midnight. */
export function formatRange(start: number, end: number): string {
  const sameDay = startOfDay(start) === startOfDay(end - 1);
  return sameDay
    ? `${formatDateTime(start)}–${formatTime(end)}`
    : `${formatDateTime(start)} – ${formatDateTime(end)}`;
}

export function formatDuration(minutes: number): string {
  const d = Math.floor(minutes / 1440);
  const hh = Math.floor((minutes % 1440) / 60);
  const mm = Math.round(minutes % 60);
  const parts = [d ? `${d} d` : '', hh ? `${hh} h` : '', mm ? `${mm} min` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : '0 min';
}

/** "in 3 h 20 min" / "5 min ago". */
export function formatRelative(ms: number, now: number): string {
  const minutes = Math.round((ms - now) / 60_000);
  return minutes >= 0 ? `in ${formatDuration(minutes)}` : `${formatDuration(-minutes)} ago`;
}

/** YYYY-MM-DD of the Hong Kong day holding `ms`. */
export function isoDay(ms: number): string {
  const w = wall(ms);
  return `${w.year}-${pad(w.month + 1)}-${pad(w.day)}`;
}

/** Hong Kong midnight of a YYYY-MM-DD day, or undefined. */
export function parseIsoDay(text: string | null): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? '');
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - hktOffsetMs;
}

/** The value of an <input type="datetime-local"> showing `ms` in Hong Kong time. */
export function toLocalInput(ms: number): string {
  const w = wall(ms);
  return `${isoDay(ms)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** An <input type="datetime-local"> value read as Hong Kong time, or undefined. */
export function fromLocalInput(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(text);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])) - hktOffsetMs;
}

/** ISO-8601 with the facility's offset, as the API accepts: 2031-03-03T09:00:00+08:00. */
export function toIsoHkt(ms: number): string {
  const w = wall(ms);
  return `${isoDay(ms)}T${pad(w.hour)}:${pad(w.minute)}:00+08:00`;
}
