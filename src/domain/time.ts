/** The solver counts whole minutes since the Unix epoch (UTC); the API speaks ISO-8601. */
export const msPerMinute = 60_000;

export function minuteFromDate(date: Date): number {
  return Math.floor(date.getTime() / msPerMinute);
}

/** The first whole minute at or after `date` (a window never starts before what was asked). */
export function minuteAtOrAfter(date: Date): number {
  return Math.ceil(date.getTime() / msPerMinute);
}

export function dateFromMinute(minute: number): Date {
  return new Date(minute * msPerMinute);
}

export function isoFromMinute(minute: number): string {
  return dateFromMinute(minute).toISOString();
}

/** Facility time zone: Hong Kong keeps UTC+8 all year (no daylight saving). */
export const facilityUtcOffsetMinutes = 8 * 60;

/** The facility's calendar day (`YYYY-MM-DD`) holding `date`. */
export function facilityDay(date: Date): string {
  return new Date(date.getTime() + facilityUtcOffsetMinutes * msPerMinute).toISOString().slice(0, 10);
}
