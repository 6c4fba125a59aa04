// Waiting for a page of the app to finish loading, by what it asks the API for rather than by time:
// the browser tests and the screenshot script both wait this way.
import type { Page } from 'playwright-core';

export interface ApiRequests {
  inFlight(): number;
}

/** Counts the API requests the page has in flight. */
export function trackApiRequests(page: Page): ApiRequests {
  const pending = new Set<unknown>();
  const isApi = (url: string) => new URL(url).pathname.startsWith('/api/');
  page.on('request', (r) => void (isApi(r.url()) && pending.add(r)));
  page.on('requestfinished', (r) => void pending.delete(r));
  page.on('requestfailed', (r) => void pending.delete(r));
  return { inFlight: () => pending.size };
}

const nextFrame = (page: Page) =>
  page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));

/** Whether the page says it is still loading (a busy region, the app's `.loading`) or is fading something. */
const looksBusy = (page: Page) =>
  page.evaluate(
    () =>
      document.querySelector('[aria-busy="true"], .loading') !== null ||
      document.getAnimations().some((a) => a instanceof CSSTransition && a.playState === 'running'),
  );

/**
 * Until no API request is in flight across two frames (an answer may start another request) and
 * the page no longer marks anything as loading (a debounced request has not started yet then).
 */
export async function settle(page: Page, api: ApiRequests): Promise<void> {
  for (let quiet = 0; quiet < 2; ) {
    await nextFrame(page);
    quiet = api.inFlight() === 0 && !(await looksBusy(page)) ? quiet + 1 : 0;
  }
}
