import { z } from 'zod';

// The fields every boundary schema (HTTP body, query, path; workflow and Update inputs) is built
// from: text that PostgreSQL and Temporal can store (no NUL, no unpaired UTF-16 surrogate), bounded
// ids, instants in a range that means something. A bad value is a 422 naming the field, never a 500.

/** Free text: no control character but tab and line breaks, no unpaired surrogate. */
const storableMultiline = /^(?:[^\p{Cc}\p{Cs}]|[\t\n\r])*$/u;
/** One line of text: no control character at all, no unpaired surrogate. */
const storableLine = /^[^\p{Cc}\p{Cs}]*$/u;
/** An id: printable, no white space, no control, format or unpaired surrogate character. */
const idCharacters = /^[^\s\p{C}]+$/u;

export const maxIdLength = 100;

/** Text a person typed, up to `max` characters (`multiline` allows tabs and line breaks). */
export function text(options: { max: number; min?: number; multiline?: boolean }) {
  return z
    .string()
    .min(options.min ?? 0)
    .max(options.max)
    .regex(options.multiline ? storableMultiline : storableLine, {
      message: 'must not contain control characters (such as NUL) or unpaired surrogates',
    });
}

/** The id of a tool, tool type, tenant, user or plan: 1–100 printable characters without spaces. */
export function entityId() {
  return z
    .string()
    .min(1)
    .max(maxIdLength)
    .regex(idCharacters, { message: 'must be an id: printable characters without spaces' });
}

/** The instants Pilotline plans in; anything outside is a typo or an attack, not a plan. */
export const instantRange = { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' } as const;
const rangeMs = { from: Date.parse(instantRange.from), to: Date.parse(instantRange.to) };
// A malformed value is refused by its format check alone, not once more as out of range.
const inRange = (ms: number) => Number.isNaN(ms) || (ms >= rangeMs.from && ms < rangeMs.to);
const rangeMessage = `must be from ${instantRange.from.slice(0, 10)} to before ${instantRange.to.slice(0, 10)}`;

/** An ISO-8601 instant with offset, from 2000 to 2100. */
export function instant() {
  return z.iso
    .datetime({ offset: true })
    .refine((value) => inRange(Date.parse(value)), { message: rangeMessage })
    .describe(`ISO-8601 instant with offset, e.g. 2027-03-01T09:00:00+08:00, from ${instantRange.from} to before ${instantRange.to}`);
}

/** A calendar day `YYYY-MM-DD`, from 2000 to 2100. */
export function calendarDay() {
  return z.iso
    .date()
    .refine((value) => inRange(Date.parse(`${value}T00:00:00Z`)), { message: rangeMessage })
    .describe('YYYY-MM-DD');
}

/** A note on a decision or change (approve, reject, cancel, confirm…). */
export const noteSchema = text({ max: 500, multiline: true });

/** A reason the other side is told (a rejection): required, and more than white space. */
export const reasonSchema = text({ max: 500, multiline: true }).refine((s) => s.trim() !== '', {
  message: 'must say why: the requester is told this reason',
});

/** An e-mail address as typed: trimmed, compared and stored in lower case. */
export function email() {
  return z
    .string()
    .trim()
    .max(254)
    .pipe(z.email({ message: 'must be an e-mail address' }))
    .transform((value) => value.toLowerCase());
}

/** A person's or a thing's name: one line, 1 to `max` characters, trimmed. */
export function name(max = 120) {
  return text({ min: 1, max }).trim().pipe(z.string().min(1, { message: 'must not be blank' }));
}

/** Whole minutes from 0 to `max`. */
export function minutes(max: number) {
  return z.number().int().min(0).max(max);
}

/** `?dryRun=true`: answer what the change would do and break, change nothing. */
export const dryRunQuerySchema = z.object({
  dryRun: z.stringbool().optional().describe('Only answer what the change would do and which bookings it would affect; change nothing'),
});
