// The JSON API as the browser sees it: the session cookie (sent by the browser itself) and its CSRF
// token on every change, JSON in and out, problem+json errors.
// Types come from the server's own zod schemas (type-only imports: nothing of the server is bundled).
import type { Me } from '../../domain/actor.js';
import type { ApiTokenView, CreatedToken, IssuedLink, OidcRefusal, Profile, SessionView, SignInOptions } from '../../domain/account.js';
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
import type { AffectedBooking, AffectedListing } from '../../domain/affected.js';
import type { AuditEntry } from '../../domain/audit.js';
import type { PersonView } from '../../domain/person.js';
import type { PolicyView } from '../../domain/policy.js';
import type { ProjectView } from '../../domain/project.js';
import type { QualificationView } from '../../domain/qualification.js';
import type { RateView } from '../../domain/rate.js';
import type { SetupRuleView } from '../../domain/setup-rule.js';
import type { TenantView } from '../../domain/tenant.js';
import type { ToolTypeView } from '../../domain/tool-admin.js';
import type { TrainingRequestView } from '../../domain/training.js';

export type {
  AcceptedOffer,
  WaitListEntryView,
  AffectedBooking,
  AffectedListing,
  AuditEntry,
  PersonView,
  PolicyView,
  ProjectView,
  QualificationView,
  RateView,
  SetupRuleView,
  TenantView,
  ToolTypeView,
  TrainingRequestView,
  ApiTokenView,
  BookingView,
  CreatedToken,
  IssuedLink,
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
  patch<T>(path: string, body: unknown, options?: { signal?: AbortSignal }): Promise<T>;
  delete<T>(path: string, options?: { signal?: AbortSignal }): Promise<T>;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
  /** The session's CSRF token, sent with every change (POST, PATCH, DELETE). */
  csrfToken?: string | undefined;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One call to the API: the browser adds the session cookie (same origin); a failure is an ApiProblem. */
export async function callApi<T>(method: HttpMethod, path: string, body: unknown, options: CallOptions = {}): Promise<T> {
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
  const call = async <T>(method: HttpMethod, path: string, body: unknown, signal?: AbortSignal) => {
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
    patch: (path, body, options) => call('PATCH', path, body, options?.signal),
    delete: (path, options) => call('DELETE', path, undefined, options?.signal),
  };
}

export function isAbort(err: unknown): boolean {
  return (err as Error)?.name === 'AbortError';
}
