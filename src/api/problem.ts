import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { problemSchema, type Problem } from '../domain/problem.js';
import { PilotlineError, toPilotlineError, type ErrorCode } from '../errors.js';

/** The one place error codes become HTTP statuses. */
export const httpStatusOf: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  SLOT_TAKEN: 409,
  NO_FEASIBLE_SLOT: 409,
  NOT_QUALIFIED: 403,
  TOOL_DOWN: 409,
  QUOTA_EXCEEDED: 409,
  OUTSIDE_POLICY: 422,
  INVALID_STATE: 409,
  MAINTENANCE_OVERLAP: 409,
  STATEMENT_ISSUED: 409,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  CONFIG_INVALID: 500,
  DEPENDENCY_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export { problemSchema, type Problem };

export function toProblem(err: PilotlineError): Problem {
  const status = httpStatusOf[err.code];
  return {
    type: `https://pilotline.dev/problems/${err.code.toLowerCase().replaceAll('_', '-')}`,
    title: err.code,
    status,
    code: err.code,
    // Internal errors say nothing about their cause to clients.
    detail: status >= 500 && err.code === 'INTERNAL' ? 'Internal error' : err.message,
    ...(err.issues ? { issues: err.issues } : {}),
    ...(err.details ? { details: err.details } : {}),
  };
}

/** Fastify's own failures (bad JSON, wrong content type, body too large, long or bad URL) in our terms. */
export function fromFastifyError(err: FastifyError): PilotlineError | undefined {
  if (err.code?.startsWith('FST_CSRF_')) {
    return new PilotlineError(
      'FORBIDDEN',
      'A change made with the session cookie needs its CSRF token in the x-csrf-token header (csrfToken of GET /api/auth/session)',
    );
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new PilotlineError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PilotlineError('PAYLOAD_TOO_LARGE', 'Request body too large');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new PilotlineError('URI_TOO_LONG', 'A path segment is too long');
    case 'FST_ERR_BAD_URL':
      return new PilotlineError('VALIDATION_FAILED', 'The URL is not validly encoded', { issues: [{ field: 'url', message: 'not a valid URL component' }] });
  }
  if (err.statusCode === 400) {
    return new PilotlineError('VALIDATION_FAILED', `Invalid request: ${err.message}`, {
      issues: [{ field: 'body', message: err.message }],
    });
  }
  if (err.statusCode === 413) return new PilotlineError('PAYLOAD_TOO_LARGE', 'Request body too large');
  if (err.statusCode === 404) return new PilotlineError('NOT_FOUND', err.message);
  return undefined;
}

export function sendProblem(reply: FastifyReply, err: PilotlineError): FastifyReply {
  const problem = toProblem(err);
  return reply.status(problem.status).type('application/problem+json').send(problem);
}

export function problemErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known = err instanceof PilotlineError ? err : (fromFastifyError(err) ?? toPilotlineError(err));
  if (httpStatusOf[known.code] >= 500) request.log.error({ err }, 'request failed');
  return sendProblem(reply, known);
}
