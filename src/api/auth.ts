import type { FastifyRequest } from 'fastify';
import { findSession } from '../accounts/sessions.js';
import type { TokenHolderCache } from '../accounts/token-holders.js';
import type { Clock } from '../clock.js';
import type { Db } from '../data/db.js';
import type { Actor } from '../domain/actor.js';
import type { Role } from '../domain/roles.js';
import { PilotlineError } from '../errors.js';

export interface AuthenticatedActor extends Actor {
  name: string;
  /** How the request proved who it is: a browser session (cookie) or a bearer token. */
  via: 'session' | 'token';
}

/** The browser session a request came with: what CSRF protection and sign-out need. */
export interface RequestSession {
  id: string;
  csrfSecret: string;
  expiresAt: Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate` for a request that came with a live session cookie. */
    session: RequestSession | null;
  }
}

const deactivated = () => new PilotlineError('UNAUTHENTICATED', 'This account is deactivated');

/**
 * Who is calling: the bearer token of `Authorization: Bearer …` (scripts), else the session cookie
 * (the browser). A revoked or expired token, an ended session or a deactivated user is refused.
 */
export async function authenticate(
  db: Db,
  clock: Clock,
  request: FastifyRequest,
  cookieName: string,
  tokenHolders: TokenHolderCache,
): Promise<AuthenticatedActor> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw new PilotlineError('UNAUTHENTICATED', 'Send a bearer token: Authorization: Bearer <token>');
    const found = await tokenHolders.holderOf(db, match[1], clock.now());
    if ('refused' in found) throw new PilotlineError('UNAUTHENTICATED', found.refused);
    if (!found.holder.active) throw deactivated();
    const { userId, tenantId, role, name } = found.holder;
    return { userId, tenantId, role, name, via: 'token' };
  }
  const cookie = request.cookies[cookieName];
  if (!cookie) {
    throw new PilotlineError('UNAUTHENTICATED', 'Sign in, or send a bearer token: Authorization: Bearer <token>');
  }
  const session = await findSession(db, cookie, clock.now());
  if (!session) throw new PilotlineError('UNAUTHENTICATED', 'Your session has ended; sign in again');
  if (!session.user.active) throw deactivated();
  request.session = { id: session.id, csrfSecret: session.csrfSecret, expiresAt: session.expiresAt };
  const { id: userId, tenantId, role, name } = session.user;
  return { userId, tenantId, role, name, via: 'session' };
}

export function requireRole(actor: Actor, allowed: readonly Role[]): void {
  if (!allowed.includes(actor.role)) {
    throw new PilotlineError('FORBIDDEN', `This needs one of the roles: ${allowed.join(', ')}`);
  }
}
