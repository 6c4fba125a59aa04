import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium). */
export const defaultChromiumPath = '/usr/bin/chromium';

// Offline machines: without these, Chromium keeps dialling Google's services and floods refused connections.
const quietArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A headless Chromium driven by playwright-core (a dev dependency: tests and the screenshot script
 * only). `launch` gives every browser a fresh temporary profile (--user-data-dir) and removes it on close.
 */
export async function launchChromium(
  executablePath = defaultChromiumPath,
): Promise<Browser & AsyncDisposable> {
  const browser = await chromium.launch({ executablePath, headless: true, args: quietArgs });
  return Object.assign(browser, { [Symbol.asyncDispose]: () => browser.close() });
}
