import { z } from 'zod';
import { userByPassword } from '../../accounts/identify.js';
import { hashPassword } from '../../accounts/passwords.js';
import { endSession, endSessionsOf } from '../../accounts/sessions.js';
import { oidcStartPath, type AuthSettings } from '../../accounts/settings.js';
import { issueSignInLink, redeemSignInLink } from '../../accounts/sign-in-links.js';
import {
  issuedLinkSchema,
  redeemLinkBodySchema,
  sessionViewSchema,
  signInBodySchema,
  signInOptionsSchema,
} from '../../domain/account.js';
import { recordChange } from '../../data/records.js';
import { entityId } from '../../domain/input.js';
import { hasRole, peopleRoles, roles, tenantGrantableRoles } from '../../domain/roles.js';
import { PilotlineError } from '../../errors.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';
import { requireTenantAccess } from '../tenant-scope.js';
import { clearSessionCookie, sessionView, signInAs } from '../session-cookie.js';

// Browser sign-in: e-mail and password, a one-time link, the session, sign-out.

export function authRoutes(deps: ApiDeps, auth: AuthSettings) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/auth/options',
      summary: 'How one may sign in: the password form always, an identity provider when configured',
      tag: 'auth',
      access: 'public',
      response: signInOptionsSchema,
      handler: () => ({ oidc: auth.oidc ? { label: auth.oidc.label, startUrl: oidcStartPath } : null }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/auth/sign-in',
      summary: 'Sign in with e-mail and password: sets the session cookie (a new session each time)',
      tag: 'auth',
      access: 'public',
      body: signInBodySchema,
      response: sessionViewSchema,
      errors: ['UNAUTHENTICATED', 'RATE_LIMITED'],
      rateLimited: true,
      async handler({ body, request, reply }) {
        const user = await userByPassword(deps.db, body.email, body.password);
        if (!user) throw new PilotlineError('UNAUTHENTICATED', 'Wrong e-mail or password');
        return signInAs(deps, auth, user.id, request, reply);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/auth/link',
      summary: 'Open a one-time sign-in link: set the password and sign in (the link then stops working)',
      tag: 'auth',
      access: 'public',
      body: redeemLinkBodySchema,
      response: sessionViewSchema,
      errors: ['UNAUTHENTICATED', 'RATE_LIMITED'],
      rateLimited: true,
      async handler({ body, request, reply }) {
        const passwordHash = await hashPassword(body.password);
        const userId = await deps.db.$transaction(async (tx) => {
          const link = await redeemSignInLink(tx, body.token, deps.clock.now());
          if (!link) {
            throw new PilotlineError(
              'UNAUTHENTICATED',
              'This sign-in link is unknown, already used or expired; ask an administrator for a new one',
            );
          }
          const user = await tx.user.update({ where: { id: link.userId }, data: { passwordHash }, select: { active: true } });
          // Throwing rolls the whole change back: the link stays unused for when the account is active again.
          if (!user.active) throw new PilotlineError('UNAUTHENTICATED', 'This account is deactivated');
          // A new password ends every session opened with the old one.
          await endSessionsOf(tx, link.userId);
          return link.userId;
        });
        return signInAs(deps, auth, userId, request, reply);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/users/:id/sign-in-link',
      summary:
        "A one-time link for a person to set their password and sign in (a welcome, or a reset), audited; admin, or a tenant manager: a welcome for their own tenant's people who cannot sign in yet",
      tag: 'auth',
      access: peopleRoles,
      params: z.object({ id: entityId() }),
      status: 201,
      response: issuedLinkSchema,
      errors: ['NOT_FOUND', 'FORBIDDEN', 'INVALID_STATE'],
      async handler({ params, actor }) {
        const user = await deps.db.user.findUnique({
          where: { id: params.id },
          select: { active: true, passwordHash: true, oidcSubject: true, tenantId: true, role: true },
        });
        if (!user) throw new PilotlineError('NOT_FOUND', `No user ${params.id}`);
        requireTenantAccess(actor, user.tenantId, `user ${params.id}`);
        if (actor.role !== 'admin') {
          // A tenant manager lets their tenant's new people in; a way into an account that already has
          // one (a password, the identity provider) or into a staff account is the administrator's to give.
          if (!hasRole(user.role, tenantGrantableRoles)) {
            throw new PilotlineError('FORBIDDEN', `Only an administrator hands a sign-in link to a ${user.role}`);
          }
          if (user.passwordHash !== null || user.oidcSubject !== null) {
            throw new PilotlineError('FORBIDDEN', `${params.id} already signs in; only an administrator resets their password`);
          }
        }
        if (!user.active) throw new PilotlineError('INVALID_STATE', `${params.id} is deactivated`);
        const purpose = user.passwordHash === null ? ('welcome' as const) : ('reset' as const);
        const link = await deps.db.$transaction(async (tx) => {
          const issued = await issueSignInLink(tx, { userId: params.id, purpose, now: deps.clock.now(), publicUrl: auth.publicUrl });
          // Who let whom in, and when: the audit log holds the fact, never the link.
          await recordChange(tx, {
            actor,
            action: 'user.sign_in_link',
            entityType: 'user',
            entityId: params.id,
            data: { purpose, expiresAt: issued.expiresAt.toISOString() },
          });
          return issued;
        });
        return { userId: params.id, purpose, url: link.url, expiresAt: link.expiresAt.toISOString() };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/auth/session',
      summary: 'The browser session: who, its CSRF token (send it as x-csrf-token with every change), when it ends',
      tag: 'auth',
      access: roles,
      response: sessionViewSchema,
      errors: ['INVALID_STATE'],
      async handler({ actor, request, reply }) {
        if (actor.via !== 'session') throw new PilotlineError('INVALID_STATE', 'A bearer token has no browser session');
        return sessionView(deps, actor.userId, request, reply);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/auth/sign-out',
      summary: 'Sign out: the session ends on the server and its cookie is cleared',
      tag: 'auth',
      access: roles,
      response: z.object({ signedOut: z.literal(true) }),
      errors: ['INVALID_STATE'],
      async handler({ actor, request, reply }) {
        if (actor.via !== 'session' || !request.session) {
          throw new PilotlineError('INVALID_STATE', 'A bearer token has no session to end; revoke it at /api/tokens/{id}/revoke');
        }
        await endSession(deps.db, request.session.id);
        clearSessionCookie(reply, auth);
        return { signedOut: true as const };
      },
    }),
  ];
}
