import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApiServer } from '../../src/api/server.js';
import type { ApiDeps } from '../../src/api/deps.js';
import { responseContract, type ResponseContract } from './contract.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface CallOptions {
  token?: string;
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
export async function startTestApi(deps: ApiDeps): Promise<TestApi> {
  const app = buildApiServer(deps, { logLevel: 'silent' });
  await app.ready();
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const contract = await responseContract(document);
  const send = (method: Method, url: string, options: CallOptions = {}) => {
    const request: InjectOptions = {
      method,
      url,
      headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
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
