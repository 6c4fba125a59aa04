// The JSON API as the browser sees it: a bearer token, JSON in and out, problem+json errors.
// Types come from the server's own zod schemas (type-only imports: nothing of the server is bundled).
import type { z } from 'zod';
import type { placedBookingSchema } from '../../api/routes/bookings.js';
import type { scheduleSchema } from '../../api/routes/schedule.js';
import type { toolViewSchema } from '../../api/routes/tools.js';
import type { Problem } from '../../api/problem.js';
import type { Role } from '../../domain/actor.js';
import type { BookingView } from '../../domain/booking.js';
import type { Impact, MaintenanceState, MaintenanceView } from '../../domain/maintenance.js';
import type { Explanation, SlotOption } from '../../domain/placement.js';
import type { PmScheduleView } from '../../maintenance/pm-schedules.js';

export type {
  BookingView,
  Explanation,
  Impact,
  MaintenanceState,
  MaintenanceView,
  PmScheduleView,
  Role,
  SlotOption,
};
export type ToolView = z.output<typeof toolViewSchema>;
export type Schedule = z.output<typeof scheduleSchema>;
export type ScheduleTool = Schedule['tools'][number];
export type ScheduleBlock = ScheduleTool['blocks'][number];
export type PlacedBooking = z.output<typeof placedBookingSchema>;
/** GET /api/me (its schema is inline in the route, so written out here). */
export interface Me {
  userId: string;
  name: string;
  role: Role;
  tenant: { id: string; name: string; class: string };
}
/** Every maintenance write answers with the maintenance and its impact (the repair plan). */
export interface MaintenanceAnswer {
  maintenance: MaintenanceView;
  impact: Impact | null;
}
/** GET /api/maintenance/plans (the route's planViewSchema is not exported). */
export interface MaintenancePlan {
  id: string;
  toolTypeId: string | null;
  toolIds: string[];
  everyDays: number;
  durationMin: number;
  requiresRequalification: boolean;
  scheduled: boolean;
  paused: boolean;
  schedules: PmScheduleView[];
}
export type Preview =
  { kind: 'options'; options: SlotOption[] } | { kind: 'unplaced'; explanation: Explanation };

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

/** Calls the API with the token; a 401 also tells `onUnauthenticated` (the token was revoked). */
export function apiClient(token: string, onUnauthenticated: () => void = () => undefined): ApiClient {
  async function call<T>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json, application/problem+json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
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
      if (response.status === 401) onUnauthenticated();
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
  return {
    get: (path, options) => call('GET', path, undefined, options?.signal),
    post: (path, body, options) => call('POST', path, body ?? {}, options?.signal),
  };
}

export function isAbort(err: unknown): boolean {
  return (err as Error)?.name === 'AbortError';
}
