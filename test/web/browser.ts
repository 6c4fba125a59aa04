import type { AddressInfo } from 'node:net';
import type { ApiDeps } from '../../src/api/deps.js';
import { buildApiServer } from '../../src/api/server.js';
import { launchChromium } from '../../src/web/chromium.js';

/** CHROMIUM_PATH, else the Chromium of the @sparticuz/chromium dev dependency, else Debian's. */
export const testChromium = () => launchChromium();

export interface ListeningApi extends AsyncDisposable {
  url: string;
  close(): Promise<void>;
}

/** The real API and UI on a free local port, for a browser to reach. */
export async function listenApi(deps: ApiDeps): Promise<ListeningApi> {
  const app = buildApiServer(deps, { logLevel: 'silent' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const close = () => app.close();
  return { url: `http://127.0.0.1:${port}`, close, [Symbol.asyncDispose]: close };
}
