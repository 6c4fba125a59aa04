import { z } from 'zod';
import { facilityUtcOffsetMinutes, msPerMinute } from './time.js';

// Statements are per Hong Kong calendar month (UTC+8 all year): `YYYY-MM`, its bounds as instants.

const offsetMs = facilityUtcOffsetMinutes * msPerMinute;

/** A Hong Kong calendar month `YYYY-MM`, from 2000-01 to 2099-12. */
export const monthSchema = z
  .string()
  .regex(/^20\d{2}-(0[1-9]|1[0-2])$/, { message: 'must be a month YYYY-MM from 2000-01 to 2099-12' })
  .describe('A Hong Kong calendar month, YYYY-MM');
export type Month = z.infer<typeof monthSchema>;

/** The month's first instant and the next month's, as UTC instants ([from, to), half-open). */
export function monthBounds(month: Month): { from: Date; to: Date } {
  const [year, index] = [Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1];
  return { from: new Date(Date.UTC(year, index, 1) - offsetMs), to: new Date(Date.UTC(year, index + 1, 1) - offsetMs) };
}

/** The Hong Kong month holding `at`. */
export function monthOf(at: Date): Month {
  return new Date(at.getTime() + offsetMs).toISOString().slice(0, 7);
}

/** The month `n` months after `month` (negative: before). */
export function addMonths(month: Month, n: number): Month {
  const [year, index] = [Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + n];
  return new Date(Date.UTC(year, index, 1)).toISOString().slice(0, 7);
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: Month, to: Month): Month[] {
  const months: Month[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
  return months;
}
