import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { AuthSettings } from '../../src/accounts/settings.js';
import { buildApiServer } from '../../src/api/server.js';
import type { ApiDeps } from '../../src/api/deps.js';

export type Method = 'GET' | 'POST';

export interface CallOptions {
  /** A bearer token. */
  token?: string;
  /** Browser session: the session cookie's `name=value`, and the session's CSRF token. */
  cookie?: string;
  csrf?: string;
  body?: unknown;
}

export interface TestApi extends AsyncDisposable {
  app: FastifyInstance;
  call(method: Method, url: string, options?: CallOptions): Promise<LightMyRequestResponse>;
}

/** The real HTTP API, driven in-process through Fastify's inject (no port). */
export async function startTestApi(
  deps: ApiDeps,
  options: { auth?: AuthSettings; logStream?: NodeJS.WritableStream; logLevel?: string } = {},
): Promise<TestApi> {
  const app = buildApiServer(deps, { logLevel: options.logLevel ?? 'silent', ...options });
  await app.ready();
  return {
    app,
    call: (method, url, call = {}) =>
      app.inject({
        method,
        url,
        headers: {
          ...(call.token ? { authorization: `Bearer ${call.token}` } : {}),
          ...(call.cookie ? { cookie: call.cookie } : {}),
          ...(call.csrf ? { 'x-csrf-token': call.csrf } : {}),
        },
        ...(call.body !== undefined ? { payload: call.body as object } : {}),
      }),
    [Symbol.asyncDispose]: () => app.close(),
  };
}

/** A browser's session after signing in through the API: its cookie and CSRF token. */
export interface BrowserSession {
  cookie: string;
  csrf: string;
  /** The cookie's secret alone (to check it never shows up where it must not). */
  secret: string;
}

/** The session a sign-in (or link) answer opened, read from its Set-Cookie and body. */
export function sessionFrom(response: LightMyRequestResponse, cookieName = 'pilotline_session'): BrowserSession {
  const cookie = response.cookies.find((c) => c.name === cookieName);
  if (!cookie) throw new Error(`no ${cookieName} cookie in ${response.statusCode} ${response.body}`);
  return { cookie: `${cookie.name}=${cookie.value}`, csrf: (response.json() as { csrfToken: string }).csrfToken, secret: cookie.value };
}
