import { ServiceError, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { isErrorCode, PilotlineError, type FieldIssue } from '../errors.js';

/**
 * A failed workflow call in our terms: a refusal keeps the code its workflow or activity gave it
 * (the ApplicationFailure type); a workflow that has finished refuses with INVALID_STATE; an
 * unreachable Temporal is DEPENDENCY_UNAVAILABLE.
 */
export function fromWorkflowFailure(err: unknown): PilotlineError {
  if (err instanceof PilotlineError) return err;
  if ((err instanceof WorkflowUpdateFailedError || err instanceof WorkflowFailedError) && err.cause instanceof ApplicationFailure) {
    const { type, message, details } = err.cause;
    const detail = details?.[0];
    const { issues, ...rest } = detail && typeof detail === 'object' ? (detail as Record<string, unknown>) : {};
    return new PilotlineError(isErrorCode(type) ? type : 'INTERNAL', message, {
      ...(Object.keys(rest).length ? { details: rest } : {}),
      ...(Array.isArray(issues) ? { issues: issues as FieldIssue[] } : {}),
    });
  }
  if (err instanceof WorkflowNotFoundError || (err instanceof ServiceError && /completed|not found/i.test(err.message))) {
    return new PilotlineError('INVALID_STATE', 'That booking is closed; nothing more can change it');
  }
  if (err instanceof ServiceError) {
    return new PilotlineError('DEPENDENCY_UNAVAILABLE', 'The workflow service did not answer; try again', { cause: err });
  }
  return new PilotlineError('INTERNAL', 'Internal error', { cause: err });
}
