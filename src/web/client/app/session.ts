// Who is signed in, as signals every component reads: the API client, the identity and the tools.
// The session itself is a cookie the script cannot read; what the script holds is its CSRF token.
import { signal } from '@preact/signals';
import { ApiProblem, apiClient, callApi, type ApiClient, type Me, type SessionView, type ToolView } from '../api.js';

export interface Session {
  api: ApiClient;
  me: Me;
  tools: ToolView[];
  /** When the server ends the session (ISO). */
  expiresAt: string;
}

/** The signed-in session, or null on the sign-in page. */
export const session = signal<Session | null>(null);
/** Why the last sign-in failed or the session ended (shown on the sign-in page). */
export const signInProblem = signal<unknown>(null);

const ended = (detail: string) => new ApiProblem({ status: 401, code: 'UNAUTHENTICATED', title: 'Signed out', detail });
let expiryTimer: number | undefined;

/** Opens the app for a session the server has just confirmed. */
async function open(view: SessionView): Promise<void> {
  // Any 401 later (expired, signed out elsewhere, account deactivated) ends the session here too.
  const api = apiClient(view.csrfToken, () => {
    if (session.value) endSession(ended('Your session has ended (it expired, or you signed out elsewhere). Please sign in again.'));
  });
  const tools = (await api.get<{ tools: ToolView[] }>('/api/tools')).tools;
  signInProblem.value = null;
  session.value = { api, me: view.me, tools, expiresAt: view.expiresAt };
  window.clearTimeout(expiryTimer);
  const left = Date.parse(view.expiresAt) - Date.now();
  // A timer waits at most ~24.8 days; a longer session ends here at its first refused call instead.
  if (left < 2 ** 31 - 1) {
    expiryTimer = window.setTimeout(() => endSession(ended('Your session expired. Please sign in again.')), Math.max(left, 0));
  }
}

/** Signs in with e-mail and password; the server sets the session cookie. */
export async function signIn(email: string, password: string): Promise<void> {
  await open(await callApi<SessionView>('POST', '/api/auth/sign-in', { email, password }));
}

/** Opens a one-time sign-in link: sets the password and signs in. */
export async function openSignInLink(token: string, password: string): Promise<void> {
  await open(await callApi<SessionView>('POST', '/api/auth/link', { token, password }));
}

/** Ends the session on the server (the cookie then opens nothing), then here. */
export async function signOut(): Promise<void> {
  try {
    await session.value?.api.post('/api/auth/sign-out');
  } catch {
    // Already ended on the server (expired): nothing more to end.
  }
  endSession();
}

/** Leaves the app for the sign-in page, saying why if `problem` is given. */
export function endSession(problem: unknown = null): void {
  window.clearTimeout(expiryTimer);
  document.getElementById('toasts')?.replaceChildren();
  signInProblem.value = problem;
  session.value = null;
}

/** Reopens the session this browser has (its cookie), if any. */
export async function resumeSession(): Promise<void> {
  try {
    await open(await callApi<SessionView>('GET', '/api/auth/session', undefined));
  } catch (err) {
    // No session is the ordinary case on the sign-in page, not a problem to show.
    if (!(err instanceof ApiProblem && err.status === 401)) signInProblem.value = err;
  }
}
