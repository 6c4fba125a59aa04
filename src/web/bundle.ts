import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The browser code as one ES module, bundled by esbuild from `client/main.ts` (or the `.js` that
 * `tsc` emits under dist/). Takes a few tens of milliseconds; the server does it once, on first use.
 */
export async function bundleClient(clientDir: string): Promise<string> {
  const entry = ['main.tsx', 'main.js'].map((f) => path.join(clientDir, f)).find((f) => existsSync(f));
  if (!entry) throw new Error(`No browser entry (main.tsx or main.js) in ${clientDir}`);
  // Imported here, not at the top: API-only processes and tests never load esbuild.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: true,
    sourcemap: false,
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output');
  return output.text;
}
