import { access, constants, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium), used when the npm package is not installed. */
export const debianChromiumPath = '/usr/bin/chromium';

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

export interface ChromiumExecutable {
  path: string;
  /** Where it came from, for messages. */
  source: 'CHROMIUM_PATH' | '@sparticuz/chromium' | 'debian';
}

/**
 * The Chromium to drive: CHROMIUM_PATH when set, else the one inside the `@sparticuz/chromium` npm
 * package (a dev dependency, so `npm install` alone brings it), else Debian's.
 */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumExecutable> {
  const configured = env.CHROMIUM_PATH?.trim();
  if (configured) {
    if (!(await isExecutable(configured)))
      throw new Error(`CHROMIUM_PATH: ${configured} is not an executable file`);
    return { path: configured, source: 'CHROMIUM_PATH' };
  }
  const packaged = await packagedChromium();
  if (packaged) return { path: packaged, source: '@sparticuz/chromium' };
  if (await isExecutable(debianChromiumPath)) return { path: debianChromiumPath, source: 'debian' };
  throw new Error(
    `No Chromium found: run \`npm install\` (it brings @sparticuz/chromium), install Debian's chromium, or set CHROMIUM_PATH`,
  );
}

/**
 * The package ships Chromium brotli-compressed. Its own extractor writes to a fixed /tmp/chromium
 * whatever the version and reuses a half-written file after an interruption, so it is unpacked here
 * into a folder named by the package version, through a temporary file renamed into place.
 */
async function packagedChromium(): Promise<string | undefined> {
  let entry: string;
  try {
    entry = fileURLToPath(import.meta.resolve('@sparticuz/chromium'));
  } catch {
    return undefined;
  }
  const packageDir = path.resolve(path.dirname(entry), '..', '..');
  const compressed = path.join(packageDir, 'bin', 'chromium.br');
  if (!(await isReadable(compressed))) return undefined;
  const { version } = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const dir = path.join(os.tmpdir(), `pilotline-chromium-${version}`);
  const executable = path.join(dir, 'chromium');
  if (await isExecutable(executable)) return executable;

  await mkdir(dir, { recursive: true });
  const partial = `${executable}.${process.pid}.partial`;
  try {
    await pipeline(
      createReadStream(compressed),
      createBrotliDecompress(),
      createWriteStream(partial, { mode: 0o755 }),
    );
    await rename(partial, executable);
  } finally {
    await rm(partial, { force: true });
  }
  return executable;
}

/**
 * A headless Chromium driven by playwright-core (a dev dependency: tests and the screenshot script
 * only). `launch` gives every browser a fresh temporary profile (--user-data-dir) and removes it on close.
 */
export async function launchChromium(executablePath?: string): Promise<Browser & AsyncDisposable> {
  const browser = await chromium.launch({
    executablePath: executablePath ?? (await findChromium()).path,
    headless: true,
    args: quietArgs,
  });
  return Object.assign(browser, { [Symbol.asyncDispose]: () => browser.close() });
}

async function isExecutable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

async function isReadable(file: string): Promise<boolean> {
  return access(file, constants.R_OK).then(
    () => true,
    () => false,
  );
}
