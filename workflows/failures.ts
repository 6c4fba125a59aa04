import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { ErrorCode } from '../src/errors.js';

/** A business refusal: the update (or workflow) fails with the code as its type, never retried. */
export function refuse(code: ErrorCode, message: string, details?: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message, nonRetryable: true, details: details ? [details] : undefined });
}

/**
 * An activity's failure as seen by the caller of an Update: the activity's own code when it
 * refused (its ApplicationFailure type), INTERNAL otherwise.
 */
export function asRefusal(err: unknown): unknown {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
    return ApplicationFailure.create({
      type: err.cause.type ?? 'INTERNAL',
      message: err.cause.message,
      details: err.cause.details ? [...err.cause.details] : undefined,
      nonRetryable: true,
    });
  }
  if (err instanceof ApplicationFailure) return err;
  return ApplicationFailure.create({ type: 'INTERNAL', message: 'The booking could not be updated', nonRetryable: true });
}
