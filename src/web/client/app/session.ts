// Who is signed in, as signals every component reads: the API client, the identity and the tools.
import { signal } from '@preact/signals';
import { ApiProblem, apiClient, type ApiClient, type Me, type ToolView } from '../api.js';

export interface Session {
  api: ApiClient;
  me: Me;
  tools: ToolView[];
}

const tokenKey = 'pilotline.token';

/** The signed-in session, or null on the sign-in page. */
export const session = signal<Session | null>(null);
/** Why the last sign-in failed or the session ended (shown on the sign-in page). */
export const signInProblem = signal<unknown>(null);

/** Checks the token and learns who it belongs to (GET /api/me), then opens the session. */
export async function signIn(token: string): Promise<void> {
  // A token revoked while signed in ends the session; during sign-in the form shows the error itself.
  const api = apiClient(token, () => {
    if (!session.value) return;
    endSession(
      new ApiProblem({ status: 401, code: 'UNAUTHENTICATED', detail: 'Your token is no longer valid; paste a new one.' }),
    );
  });
  const [me, tools] = await Promise.all([
    api.get<Me>('/api/me'),
    api.get<{ tools: ToolView[] }>('/api/tools').then((r) => r.tools),
  ]);
  localStorage.setItem(tokenKey, token);
  signInProblem.value = null;
  session.value = { api, me, tools };
}

export function endSession(problem: unknown = null): void {
  localStorage.removeItem(tokenKey);
  document.getElementById('toasts')?.replaceChildren();
  signInProblem.value = problem;
  session.value = null;
}

/** Reopens the session this browser kept, if any. */
export async function resumeSession(): Promise<void> {
  const saved = localStorage.getItem(tokenKey);
  if (!saved) return;
  try {
    await signIn(saved);
  } catch (err) {
    if (err instanceof ApiProblem && err.code === 'UNAUTHENTICATED') localStorage.removeItem(tokenKey);
    signInProblem.value = err;
  }
}
