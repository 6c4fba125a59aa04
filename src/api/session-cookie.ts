import type { FastifyReply, FastifyRequest } from 'fastify';
import { openSession } from '../accounts/sessions.js';
import { secureCookies, sessionCookieName, type AuthSettings } from '../accounts/settings.js';
import type { SessionView } from '../domain/account.js';
import type { ApiDeps } from './deps.js';
import { meOf } from './routes/me.js';

// The session cookie: httpOnly (no script reads it), SameSite=Strict (no other site's page sends
// it), Secure and __Host- over https. Every sign-in path ends here.

export function sessionCookieOptions(auth: AuthSettings) {
  return { path: '/', httpOnly: true, sameSite: 'strict', secure: secureCookies(auth) } as const;
}

/** Opens a new session for `userId` (ending the one the browser came with) and sets its cookie. */
export async function signInAs(
  deps: ApiDeps,
  auth: AuthSettings,
  userId: string,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<SessionView> {
  const name = sessionCookieName(auth);
  const opened = await openSession(deps.db, {
    userId,
    now: deps.clock.now(),
    ttlMs: auth.sessionTtlMs,
    replacing: request.cookies[name],
  });
  reply.setCookie(name, opened.cookie, { ...sessionCookieOptions(auth), expires: opened.expiresAt });
  request.session = { id: opened.id, csrfSecret: opened.csrfSecret, expiresAt: opened.expiresAt };
  return sessionView(deps, userId, request, reply);
}

/** The session as the browser learns it: who, the CSRF token for its changes, when it ends. */
export async function sessionView(
  deps: ApiDeps,
  userId: string,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<SessionView> {
  const session = request.session!;
  return {
    me: await meOf(deps.db, userId),
    // Derived from the session's secret (a fresh salt each time); any of them is valid for it.
    csrfToken: reply.generateCsrf(),
    expiresAt: session.expiresAt.toISOString(),
  };
}

export function clearSessionCookie(reply: FastifyReply, auth: AuthSettings): void {
  reply.clearCookie(sessionCookieName(auth), sessionCookieOptions(auth));
}
