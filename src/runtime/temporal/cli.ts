import { spawn } from 'node:child_process';
import { access, constants, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PilotlineError } from '../../errors.js';
import type { Log } from '../log.js';

/** The official CLI's last release that `go install` can build (later tags use replace directives). */
export const temporalCliModule = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/** Project-local, git-ignored folder for tools Pilotline builds itself. */
export const projectToolsDir = fileURLToPath(new URL('../../../.tools/bin/', import.meta.url));

export type TemporalCli = { kind: 'existing'; path: string } | { kind: 'sdk-download' };

export interface FindTemporalCliOptions {
  configuredPath: string | undefined;
  log: Log;
  pathEnv?: string | undefined;
  toolsDir?: string;
  /** Build with Go when nothing is found (default true). */
  build?: boolean;
}

/**
 * Finds a `temporal` CLI: TEMPORAL_CLI_PATH, then PATH, then the tools folder; where none exists
 * and Go is installed, builds the official one into the tools folder; otherwise falls back to the
 * SDK's own download.
 */
export async function findTemporalCli(options: FindTemporalCliOptions): Promise<TemporalCli> {
  const toolsDir = options.toolsDir ?? projectToolsDir;
  if (options.configuredPath) {
    if (!(await isExecutable(options.configuredPath))) {
      throw new PilotlineError(
        'CONFIG_INVALID',
        `TEMPORAL_CLI_PATH: ${options.configuredPath} is not an executable file; point it at a \`temporal\` CLI, or unset it.`,
      );
    }
    return { kind: 'existing', path: options.configuredPath };
  }
  for (const dir of (options.pathEnv ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'temporal');
    if (await isExecutable(candidate)) return { kind: 'existing', path: candidate };
  }
  const local = path.join(toolsDir, 'temporal');
  if (await isExecutable(local)) return { kind: 'existing', path: local };
  if (options.build !== false && (await hasGo())) {
    await buildTemporalCli(toolsDir, options.log);
    return { kind: 'existing', path: local };
  }
  options.log.warn('temporal: no CLI found and Go is not installed; letting the Temporal SDK download its dev server');
  return { kind: 'sdk-download' };
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function hasGo(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('go', ['version'], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}

/** `go install` the CLI into `toolsDir`, printing a progress line every 15 s (it takes minutes). */
export async function buildTemporalCli(toolsDir: string, log: Log): Promise<void> {
  await mkdir(toolsDir, { recursive: true });
  log.info(`temporal: building the Temporal CLI (${temporalCliModule}) into ${toolsDir}; this takes a few minutes once`);
  const started = Date.now();
  const child = spawn('go', ['install', temporalCliModule], {
    env: { ...process.env, GOBIN: toolsDir, GOFLAGS: '-buildvcs=false' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let modules = 0;
  child.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stderr = (stderr + text).slice(-4000);
    modules += (text.match(/go: downloading/g) ?? []).length;
  });
  const ticker = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    log.info(`temporal: still building… ${seconds}s (${modules} modules downloaded)`);
  }, 15_000);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (code !== 0) {
      const said = stderr.trim().split('\n').at(-1) ?? `exit ${code}`;
      throw new PilotlineError(
        'DEPENDENCY_UNAVAILABLE',
        `Building the Temporal CLI (go install ${temporalCliModule}) failed (${said}); install a \`temporal\` CLI and set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS to a running cluster.`,
      );
    }
  } finally {
    clearInterval(ticker);
  }
  log.info(`temporal: CLI built in ${Math.round((Date.now() - started) / 1000)}s`);
}
