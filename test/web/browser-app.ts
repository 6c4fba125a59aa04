import type { BrowserContext, Page } from 'playwright-core';
import { createActivities } from '../../activities/index.js';
import { systemClock } from '../../src/clock.js';
import type { Db } from '../../src/data/db.js';
import { connectTestClient, startTestWorker } from '../support/temporal.js';
import { listenApi, testChromium, type ListeningApi } from './browser.js';

export interface BrowserApp extends AsyncDisposable {
  api: ListeningApi;
  page: Page;
  context: BrowserContext;
  /** Uncaught errors in the page: a test ends by expecting none. */
  pageErrors: string[];
}

/**
 * The whole app for a browser test: a worker on its own task queue, the API and UI on a free port,
 * and a Chromium page at a desktop size. Disposing stops them in reverse order (not the database).
 */
export async function openBrowserApp(db: Db, options: { timeoutMs?: number } = {}): Promise<BrowserApp> {
  const [worker, temporal, browser] = await Promise.all([
    startTestWorker(createActivities({ db, clock: systemClock })),
    connectTestClient(),
    testChromium(),
  ]);
  const api = await listenApi({ db, clock: systemClock, temporal: { client: temporal.client, namespace: 'default', taskQueue: worker.taskQueue } });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  context.setDefaultTimeout(options.timeoutMs ?? 10_000);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  return {
    api,
    page,
    context,
    pageErrors,
    async [Symbol.asyncDispose]() {
      await context.close();
      await browser.close();
      await api.close();
      await worker.stop();
      await temporal[Symbol.asyncDispose]();
    },
  };
}
