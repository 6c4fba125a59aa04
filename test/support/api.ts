import type { AddressInfo } from 'node:net';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { AuthSettings } from '../../src/accounts/settings.js';
import { buildApiServer } from '../../src/api/server.js';
import type { ApiDeps } from '../../src/api/deps.js';
import { responseContract, type ResponseContract } from './contract.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface CallOptions {
  /** A bearer token. */
  token?: string;
  /** Browser session: the session cookie's `name=value`, and the session's CSRF token. */
  cookie?: string;
  csrf?: string;
  /** A JSON body. */
  body?: unknown;
  /** A raw body, sent as is (with `headers` giving its content type). */
  payload?: string | Buffer;
  headers?: Record<string, string>;
}

export interface TestApi extends AsyncDisposable {
  app: FastifyInstance;
  /** The API's OpenAPI document as a referee of answers. */
  contract: ResponseContract;
  /** A request whose answer must match the documented contract (else the call throws, naming why). */
  call(method: Method, url: string, options?: CallOptions): Promise<LightMyRequestResponse>;
  /** The same request, unchecked: for tests that look at the answer themselves. */
  send(method: Method, url: string, options?: CallOptions): Promise<LightMyRequestResponse>;
}

/** The real HTTP API, driven in-process through Fastify's inject (no port). */
export async function startTestApi(
  deps: ApiDeps,
  options: { auth?: AuthSettings; logStream?: NodeJS.WritableStream; logLevel?: string } = {},
): Promise<TestApi> {
  const app = buildApiServer(deps, { logLevel: options.logLevel ?? 'silent', ...options });
  await app.ready();
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const contract = await responseContract(document);
  const send = (method: Method, url: string, options: CallOptions = {}) => {
    const request: InjectOptions = {
      method,
      url,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...(options.csrf ? { 'x-csrf-token': options.csrf } : {}),
        ...options.headers,
      },
    };
    if (options.payload !== undefined) request.payload = options.payload;
    else if (options.body !== undefined) request.payload = options.body as object;
    return app.inject(request);
  };
  return {
    app,
    contract,
    send,
    async call(method, url, options) {
      const response = await send(method, url, options);
      const violations = contract.violations(method, url, response);
      if (violations.length) throw new Error(`The answer breaks the API's documented contract:\n${violations.join('\n')}`);
      return response;
    },
    [Symbol.asyncDispose]: () => app.close(),
  };
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- a test reads whatever JSON came back
}

export interface ListeningTestApi extends AsyncDisposable {
  url: string;
  /**
   * One real HTTP request over a socket (fetch), as a client across the network sends it; its
   * answer must match the documented contract (else the call throws, naming why).
   */
  call(method: 'GET' | 'POST', url: string, options?: { token?: string; body?: unknown }): Promise<HttpAnswer>;
}

/** The real HTTP API listening on a free local port, for concurrent requests over real sockets. */
export async function listenTestApi(deps: ApiDeps): Promise<ListeningTestApi> {
  const app = buildApiServer(deps, { logLevel: 'silent' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const contract = await responseContract(await (await fetch(`${base}/openapi.json`)).json());
  return {
    url: base,
    async call(method, url, options = {}) {
      const response = await fetch(`${base}${url}`, {
        method,
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      const text = await response.text();
      const violations = contract.violations(method, url, { statusCode: response.status, headers: Object.fromEntries(response.headers), body: text });
      if (violations.length) throw new Error(`The answer breaks the API's documented contract:\n${violations.join('\n')}`);
      return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
    },
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
