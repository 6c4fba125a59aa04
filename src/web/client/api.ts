// The JSON API as the browser sees it: the session cookie (sent by the browser itself) and its CSRF
// token on every change, JSON in and out, problem+json errors.
// Types come from the server's own zod schemas (type-only imports: nothing of the server is bundled).
import type { Me } from '../../domain/actor.js';
import type { ApiTokenView, CreatedToken, OidcRefusal, Profile, SessionView, SignInOptions } from '../../domain/account.js';
import type { Role } from '../../domain/roles.js';
import type { BookingView, PlacedBooking } from '../../domain/booking.js';
import type { LotState, LotView } from '../../domain/lot.js';
import type {
  Impact,
  LotRepairView,
  MaintenanceAnswer,
  MaintenancePlanView as MaintenancePlan,
  MaintenanceState,
  MaintenanceView,
  PmScheduleView,
} from '../../domain/maintenance.js';
import type { Explanation, PlacementPreview as Preview, SlotOption } from '../../domain/placement.js';
import type { Problem } from '../../domain/problem.js';
import type { Schedule } from '../../domain/schedule.js';
import type { ToolView } from '../../domain/tool.js';
import type { AcceptedOffer, WaitListEntryView } from '../../domain/wait-list.js';

export type {
  AcceptedOffer,
  WaitListEntryView,
  ApiTokenView,
  BookingView,
  CreatedToken,
  OidcRefusal,
  Profile,
  SessionView,
  SignInOptions,
  Explanation,
  Impact,
  LotRepairView,
  LotState,
  LotView,
  MaintenanceAnswer,
  MaintenancePlan,
  MaintenanceState,
  MaintenanceView,
  Me,
  PlacedBooking,
  PmScheduleView,
  Preview,
  Role,
  Schedule,
  SlotOption,
  ToolView,
};
export type ScheduleTool = Schedule['tools'][number];
export type LotStepView = LotView['steps'][number];
export type ScheduleBlock = ScheduleTool['blocks'][number];

/** A failed call: the server's problem details, or a stand-in when the network or server gave none. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly issues: Array<{ field: string; message: string }>;
  readonly details: Record<string, unknown> | undefined;

  constructor(problem: Partial<Problem> & { status: number; code: string }) {
    super(problem.detail ?? problem.title ?? problem.code);
    this.name = 'ApiProblem';
    this.status = problem.status;
    this.code = problem.code;
    this.title = problem.title ?? problem.code;
    this.detail = problem.detail;
    this.issues = problem.issues ?? [];
    this.details = problem.details;
  }

  /** No answer, or a server-side failure: the request may or may not have taken effect. */
  get uncertain(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

export interface ApiClient {
  get<T>(path: string, options?: { signal?: AbortSignal }): Promise<T>;
  post<T>(path: string, body?: unknown, options?: { signal?: AbortSignal }): Promise<T>;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
  /** The session's CSRF token, sent with every change (POST). */
  csrfToken?: string | undefined;
}

/** One call to the API: the browser adds the session cookie (same origin); a failure is an ApiProblem. */
export async function callApi<T>(method: 'GET' | 'POST', path: string, body: unknown, options: CallOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json, application/problem+json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(method !== 'GET' && options.csrfToken ? { 'x-csrf-token': options.csrfToken } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiProblem({
      status: 0,
      code: 'NETWORK',
      title: 'No answer',
      detail: 'The server did not answer; check your connection.',
    });
  }
  const text = await response.text();
  let payload: unknown;
  try {
    payload = text ? JSON.parse(text) : undefined;
  } catch {
    payload = undefined;
  }
  if (!response.ok) {
    const problem = (payload ?? {}) as Partial<Problem>;
    throw new ApiProblem({
      ...problem,
      status: response.status,
      code: problem.code ?? `HTTP_${response.status}`,
      title: problem.title ?? response.statusText,
    });
  }
  return payload as T;
}

/** The signed-in session's client: a 401 also tells `onUnauthenticated` (the session ended). */
export function apiClient(csrfToken: string, onUnauthenticated: () => void = () => undefined): ApiClient {
  const call = async <T>(method: 'GET' | 'POST', path: string, body: unknown, signal?: AbortSignal) => {
    try {
      return await callApi<T>(method, path, body, { csrfToken, signal });
    } catch (err) {
      if (err instanceof ApiProblem && err.status === 401) onUnauthenticated();
      throw err;
    }
  };
  return {
    get: (path, options) => call('GET', path, undefined, options?.signal),
    post: (path, body, options) => call('POST', path, body ?? {}, options?.signal),
  };
}

export function isAbort(err: unknown): boolean {
  return (err as Error)?.name === 'AbortError';
}
