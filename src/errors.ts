/**
 * Every failure Pilotline reports carries a stable code from this closed list. The API maps
 * codes to HTTP statuses once (src/api/problem.ts); workflows map them to ApplicationFailure
 * types (same string), so a code survives every boundary unchanged.
 */
export const errorCodes = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'SLOT_TAKEN',
  'NO_FEASIBLE_SLOT',
  'NOT_QUALIFIED',
  'TOOL_DOWN',
  'QUOTA_EXCEEDED',
  'OUTSIDE_POLICY',
  'INVALID_STATE',
  'MAINTENANCE_OVERLAP',
  /** An issued usage statement never changes: corrections go into a later month. */
  'STATEMENT_ISSUED',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'URI_TOO_LONG',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'CONFIG_INVALID',
  'DEPENDENCY_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `body.start` or `DATABASE_URL`. */
  field: string;
  message: string;
}

export class PilotlineError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly issues: FieldIssue[] | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { details?: Record<string, unknown>; issues?: FieldIssue[]; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'PilotlineError';
    this.code = code;
    this.details = extra.details;
    this.issues = extra.issues;
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}

/** Turns anything thrown into a PilotlineError; unknown failures become INTERNAL. */
export function toPilotlineError(err: unknown): PilotlineError {
  if (err instanceof PilotlineError) return err;
  return new PilotlineError('INTERNAL', 'Internal error', { cause: err });
}
