import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApiServer } from '../../src/api/server.js';
import type { ApiDeps } from '../../src/api/deps.js';

export interface TestApi extends AsyncDisposable {
  app: FastifyInstance;
  call(method: 'GET' | 'POST', url: string, options?: { token?: string; body?: unknown }): Promise<LightMyRequestResponse>;
}

/** The real HTTP API, driven in-process through Fastify's inject (no port). */
export async function startTestApi(deps: ApiDeps): Promise<TestApi> {
  const app = buildApiServer(deps, { logLevel: 'silent' });
  await app.ready();
  return {
    app,
    call: (method, url, options = {}) =>
      app.inject({
        method,
        url,
        headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
        ...(options.body !== undefined ? { payload: options.body as object } : {}),
      }),
    [Symbol.asyncDispose]: () => app.close(),
  };
}
