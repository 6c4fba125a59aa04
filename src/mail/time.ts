// Times as people at the facility read them: Hong Kong wall-clock time, "Tue 3 Mar, 09:00–12:00 HKT".
// Intl reads the zone database, so the text stays right whatever zone the server runs in.

const zone = 'Asia/Hong_Kong';
const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: zone,
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

interface Wall {
  weekday: string;
  day: string;
  month: string;
  year: string;
  time: string;
}

function wall(at: Date): Wall {
  const byType = Object.fromEntries(parts.formatToParts(at).map((p) => [p.type, p.value]));
  return { weekday: byType.weekday!, day: byType.day!, month: byType.month!, year: byType.year!, time: `${byType.hour}:${byType.minute}` };
}

/** "Tue 3 Mar", with the year when it is not the year of `now`. */
function day(w: Wall, now: Date): string {
  return `${w.weekday} ${w.day} ${w.month}${w.year === wall(now).year ? '' : ` ${w.year}`}`;
}

/** "Mon 2 Mar": the day in Hong Kong. */
export function formatDay(at: Date, now: Date): string {
  return day(wall(at), now);
}

/** "Tue 3 Mar, 09:00 HKT". */
export function formatInstant(at: Date, now: Date): string {
  const w = wall(at);
  return `${day(w, now)}, ${w.time} HKT`;
}

/** "Tue 3 Mar, 09:00–12:00 HKT", or "Tue 3 Mar 22:00 – Wed 4 Mar 06:00 HKT" across midnight. */
export function formatSlot(start: Date, end: Date, now: Date): string {
  const from = wall(start);
  const to = wall(end);
  // A slot ending at midnight still reads as one day: "22:00–00:00".
  const lastMinute = wall(new Date(end.getTime() - 60_000));
  const sameDay = from.day === lastMinute.day && from.month === lastMinute.month && from.year === lastMinute.year;
  return sameDay ? `${day(from, now)}, ${from.time}–${to.time} HKT` : `${day(from, now)} ${from.time} – ${day(to, now)} ${to.time} HKT`;
}

/** The most recent `hour`:00 Hong Kong time at or before `now` (Hong Kong keeps UTC+8 all year). */
export function latestHktHour(now: Date, hour: number): Date {
  const hkt = 8 * 3_600_000;
  const dayStart = Math.floor((now.getTime() + hkt) / 86_400_000) * 86_400_000 - hkt;
  const today = dayStart + hour * 3_600_000;
  return new Date(today <= now.getTime() ? today : today - 86_400_000);
}

/** Every ISO-8601 instant in `text` as Hong Kong time (old subjects were written in UTC). */
export function localiseInstants(text: string, now: Date): string {
  return text.replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g, (iso) => {
    const at = new Date(iso);
    return Number.isNaN(at.getTime()) ? iso : formatInstant(at, now);
  });
}
