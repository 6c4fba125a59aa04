import { z } from 'zod';

// Opaque page cursors: the position of the last row a page showed (its sort key and id), so the
// next page starts right after it whatever was inserted meanwhile (keyset pagination, no offsets).

/** The `cursor` query field: base64url JSON of a position `position` accepts, else a 422 naming it. */
export function cursorField<T extends z.ZodType>(position: T) {
  return z
    .string()
    .max(400)
    .regex(/^[A-Za-z0-9_-]+$/, { message: 'must be a cursor from a previous page' })
    .transform((value, ctx) => {
      try {
        return JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a cursor from a previous page' });
        return z.NEVER;
      }
    })
    .pipe(position)
    .describe('Where the previous page ended (its `nextCursor`); absent: the first page');
}

export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** `text` matched literally by a SQL LIKE (Prisma's `contains` leaves `%`, `_` and `\` live). */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
