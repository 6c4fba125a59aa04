import type { z } from 'zod';
import { PilotlineError, type FieldIssue } from './errors.js';

/** Zod issues as `{ field, message }`, the field path prefixed with where the input came from. */
export function fieldIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const field = [prefix, path].filter(Boolean).join('.') || prefix || '(root)';
    return { field, message: issue.message };
  });
}

/** Parses a boundary input; a bad one becomes VALIDATION_FAILED naming every offending field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = fieldIssues(result.error, where);
  const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  throw new PilotlineError('VALIDATION_FAILED', `Invalid ${where}: ${summary}`, { issues });
}

/** A refusal naming one field, as a bad input is refused (422 with `issues`). */
export function invalidField(field: string, message: string): PilotlineError {
  return new PilotlineError('VALIDATION_FAILED', `Invalid ${field.split('.')[0]}: ${field}: ${message}`, { issues: [{ field, message }] });
}
