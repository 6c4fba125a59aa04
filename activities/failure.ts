import { ApplicationFailure } from '@temporalio/common';
import { PilotlineError } from '../src/errors.js';

/**
 * A business refusal becomes a non-retryable ApplicationFailure whose type is the error code, so
 * the workflow (and the API behind it) sees the same code; anything else stays retryable.
 */
export function asActivityFailure(err: unknown): unknown {
  if (err instanceof PilotlineError) {
    return ApplicationFailure.create({
      type: err.code,
      message: err.message,
      nonRetryable: true,
      // The fields a refusal names travel with it, so the API can name them too.
      details: err.details || err.issues ? [{ ...err.details, ...(err.issues ? { issues: err.issues } : {}) }] : undefined,
    });
  }
  return err;
}
