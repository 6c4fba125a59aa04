import { authSettings, type AuthSettings } from '../../src/accounts/settings.js';
import type { ApiDeps } from '../../src/api/deps.js';
import { buildApiServer } from '../../src/api/server.js';
import { freePort } from '../../src/runtime/ports.js';
import { launchChromium } from '../../src/web/chromium.js';

/** CHROMIUM_PATH, else the Chromium of the @sparticuz/chromium dev dependency, else Debian's. */
export const testChromium = () => launchChromium();

export interface ListeningApi extends AsyncDisposable {
  url: string;
  close(): Promise<void>;
}

/**
 * The real API and UI on a free local port, for a browser to reach. `auth` may depend on the port
 * (its public URL); browser tests sign in often, so the sign-in rate limit is generous by default.
 */
export async function listenApi(
  deps: ApiDeps,
  auth: (url: string) => AuthSettings = (url) => authSettings({ publicUrl: url }),
  port?: number,
): Promise<ListeningApi> {
  // The port first: the settings (the public URL) must be known before the server is built.
  port ??= await freePort();
  const app = buildApiServer(deps, {
    logLevel: 'silent',
    auth: { ...auth(`http://127.0.0.1:${port}`), signInAttemptsPerMinute: 1_000 },
  });
  await app.listen({ host: '127.0.0.1', port });
  const close = () => app.close();
  return { url: `http://127.0.0.1:${port}`, close, [Symbol.asyncDispose]: close };
}
