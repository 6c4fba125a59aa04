import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { userByOidcIdentity } from '../../accounts/identify.js';
import { createOidcSignIn, OidcStateMismatch, type OidcIdentity } from '../../accounts/oidc.js';
import { oidcCallbackPath, oidcStartPath, secureCookies, type AuthSettings } from '../../accounts/settings.js';
import type { OidcRefusal } from '../../domain/account.js';
import { text } from '../../domain/input.js';
import { PilotlineError } from '../../errors.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';
import { signInAs } from '../session-cookie.js';

// Sign-in through the configured OpenID Connect issuer. Both endpoints are browser navigations:
// they answer with redirects, to the issuer and back to the app (with a reason when refused).

const pendingCookie = 'pilotline_oidc';
const pendingSchema = z.object({
  state: z.string().min(1).max(200),
  nonce: z.string().min(1).max(200),
  codeVerifier: z.string().min(43).max(128),
});

const callbackQuery = z.object({
  state: text({ max: 500 }).optional(),
  code: text({ max: 4096 }).optional(),
  error: text({ max: 200 }).optional(),
});

export function oidcRoutes(deps: ApiDeps, auth: AuthSettings) {
  const oidc = auth.oidc ? createOidcSignIn(auth.oidc, auth.publicUrl + oidcCallbackPath) : undefined;
  const cookieOptions = {
    path: '/auth/oidc',
    httpOnly: true,
    // Lax, not Strict: it must come back with the issuer's redirect, a navigation from another site.
    sameSite: 'lax',
    secure: secureCookies(auth),
    maxAge: 600,
  } as const;
  const refuse = (reply: FastifyReply, reason: OidcRefusal): undefined => {
    reply.redirect(`/#/sign-in?problem=${reason}`);
    return undefined;
  };

  return [
    defineRoute({
      method: 'GET',
      url: oidcStartPath,
      summary: 'Sign in with the identity provider: redirects (302) to it, with PKCE, state and nonce',
      tag: 'auth',
      access: 'public',
      status: 302,
      response: z.undefined(),
      errors: ['NOT_FOUND'],
      async handler({ request, reply }) {
        if (!oidc) throw new PilotlineError('NOT_FOUND', 'No identity provider is configured (OIDC_ISSUER)');
        let started;
        try {
          started = await oidc.start();
        } catch (err) {
          request.log.warn(`oidc: the issuer cannot be reached: ${(err as Error).message}`);
          return refuse(reply, 'unavailable');
        }
        const value = Buffer.from(JSON.stringify(started.pending)).toString('base64url');
        reply.setCookie(pendingCookie, value, cookieOptions);
        reply.redirect(started.url);
        return undefined;
      },
    }),
    defineRoute({
      method: 'GET',
      url: oidcCallbackPath,
      summary: 'Where the identity provider sends the browser back: signs in, redirects (302) to the app',
      tag: 'auth',
      access: 'public',
      status: 302,
      query: callbackQuery.loose(),
      response: z.undefined(),
      errors: ['NOT_FOUND'],
      async handler({ request, reply }) {
        if (!oidc) throw new PilotlineError('NOT_FOUND', 'No identity provider is configured (OIDC_ISSUER)');
        const raw = request.cookies[pendingCookie];
        reply.clearCookie(pendingCookie, cookieOptions);
        const pending = raw ? pendingSchema.safeParse(parseJson(Buffer.from(raw, 'base64url').toString())) : undefined;
        if (!pending?.success) return refuse(reply, 'state');
        let identity: OidcIdentity;
        try {
          // The URL the issuer sent the browser to, on the public address (never trusting Host).
          identity = await oidc.finish(new URL(request.url, auth.publicUrl), pending.data);
        } catch (err) {
          if (err instanceof OidcStateMismatch) return refuse(reply, 'state');
          request.log.warn(`oidc: sign-in failed: ${(err as Error).message}`);
          return refuse(reply, 'failed');
        }
        const found = await userByOidcIdentity(deps.db, identity);
        if ('refused' in found) {
          request.log.info(`oidc: refused ${found.refused} (${identity.issuer} ${identity.subject})`);
          return refuse(reply, found.refused);
        }
        await signInAs(deps, auth, found.userId, request, reply);
        reply.redirect('/#/schedule');
        return undefined;
      },
    }),
  ];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
