import type { z } from 'zod';
import { refuse } from './failures.js';

/**
 * Parses a workflow argument or Update input; a bad one is refused with VALIDATION_FAILED naming
 * the fields. Synchronous on purpose: Update validators must be.
 */
export function parseMessage<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = result.error.issues.map((i) => `${[what, ...i.path.map(String)].join('.')}: ${i.message}`);
  throw refuse('VALIDATION_FAILED', `Invalid ${what}: ${fields.join('; ')}`);
}
