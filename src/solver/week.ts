// Quota weeks: fixed 7-day periods starting Monday 00:00 in Hong Kong (UTC+8 all year, no DST).

export const MINUTES_PER_HOUR = 60;
export const MINUTES_PER_DAY = 1_440;
export const MINUTES_PER_WEEK = 10_080;

/** Monday 1970-01-05 00:00 Asia/Hong_Kong = 1970-01-04T16:00Z, in minutes since the epoch. */
export const WEEK_ANCHOR_MINUTE = 4 * MINUTES_PER_DAY - 8 * MINUTES_PER_HOUR;

/** Index of the quota week holding `minute` (weeks before the anchor are negative). */
export function weekIndexOf(minute: number): number {
  return Math.floor((minute - WEEK_ANCHOR_MINUTE) / MINUTES_PER_WEEK);
}

export function weekStartOf(weekIndex: number): number {
  return WEEK_ANCHOR_MINUTE + weekIndex * MINUTES_PER_WEEK;
}
