import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

// A cluster has at most one server: PostgreSQL's postmaster.pid says which process runs it and on
// which port. Commands that only need the database (seed, migrate) connect to that server instead
// of starting a second one, which the lock file would refuse.

export interface LivePostmaster {
  pid: number;
  port: number;
  /** 'ready' once it accepts connections ('starting', 'stopping' before and after). */
  status: string;
}

/**
 * The server running on `clusterDir`, if any. A lock file whose process is gone, or is some other
 * process that got its pid after a restart, is stale: it is removed, as PostgreSQL cannot tell.
 */
export async function livePostmaster(clusterDir: string): Promise<LivePostmaster | undefined> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  let lines: string[];
  try {
    lines = (await readFile(pidFile, 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  // Lines: pid, data dir, start time, port, socket dir, listen address, shared memory key, status.
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (Number.isInteger(pid) && pid > 0 && (await runsCluster(pid, lines[1]?.trim() ?? clusterDir))) {
    return { pid, port, status: lines[7]?.trim() ?? '' };
  }
  await rm(pidFile, { force: true });
  return undefined;
}

async function runsCluster(pid: number, clusterDir: string): Promise<boolean> {
  if (!isAlive(pid)) return false;
  try {
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    return path.basename(args[0] ?? '') === 'postgres' && args.includes(clusterDir);
  } catch {
    // No /proc (macOS): a live pid has to do.
    return true;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits until `pid` is gone, up to `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/**
 * The Pilotline process that started the server writes its pid beside the cluster: a server whose
 * owner is gone (the process was killed) was left behind, and the next start takes it down.
 */
export const ownerFile = (stateDir: string) => path.join(stateDir, 'server-owner.pid');

export async function readOwner(stateDir: string): Promise<number | undefined> {
  const pid = Number((await readFile(ownerFile(stateDir), 'utf8').catch(() => '')).trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export async function writeOwner(stateDir: string): Promise<void> {
  await writeFile(ownerFile(stateDir), `${process.pid}\n`);
}

export async function clearOwner(stateDir: string): Promise<void> {
  await rm(ownerFile(stateDir), { force: true });
}
