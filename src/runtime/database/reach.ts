import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, chmod, cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PilotlineError } from '../../errors.js';
import { lastLine, runToEnd, type RunAs } from './postgres-process.js';

// PostgreSQL refuses to run as root, so under root the server runs as the `postgres` user, which
// cannot enter a folder below a private one (root's home, a `mktemp -d` folder). There, the server
// runs from a copy of the binaries and keeps its cluster in a folder that user can reach.

/** Where copies and relocated clusters go when the `postgres` user cannot reach the originals. */
export const defaultReachableRoot = '/var/lib/pilotline';

/** The `postgres` account's ids, creating the account (no home, no login) when it does not exist. */
export async function postgresAccount(): Promise<RunAs> {
  const found = await accountIds();
  if (found) return found;
  const group = await runToEnd('groupadd', ['--system', 'postgres']);
  const user = await runToEnd('useradd', [
    '--system',
    '--gid',
    'postgres',
    '--no-create-home',
    '--shell',
    '/usr/sbin/nologin',
    'postgres',
  ]);
  const created = await accountIds();
  if (!created) {
    throw new PilotlineError(
      'DEPENDENCY_UNAVAILABLE',
      `Running as root, the embedded PostgreSQL needs a \`postgres\` user and creating it failed (${lastLine(user.output) || lastLine(group.output)}); create one with useradd, run as another user, or set DATABASE_URL.`,
    );
  }
  return created;
}

async function accountIds(): Promise<RunAs | undefined> {
  const [uid, gid] = await Promise.all([
    runToEnd('id', ['-u', 'postgres']),
    runToEnd('id', ['-g', 'postgres']),
  ]);
  if (uid.code !== 0 || gid.code !== 0) return undefined;
  return { uid: Number(uid.output.trim()), gid: Number(gid.output.trim()) };
}

/** Whether `runAs` can enter `folder` (every folder above it included). */
export async function canEnter(runAs: RunAs, folder: string): Promise<boolean> {
  const run = await runToEnd('/bin/sh', ['-c', 'test -x "$1"', 'sh', folder], runAs).catch(() => ({
    code: 1,
  }));
  return run.code === 0;
}

/**
 * `binaries` when `runAs` can run them, else a copy of them under `root`, made once per build of
 * PostgreSQL (named by a hash of the server binary) and renamed into place when complete.
 */
export async function reachableBinaries(
  binaries: string,
  runAs: RunAs,
  root: string,
): Promise<{ dir: string; copied: boolean }> {
  if (await canEnter(runAs, path.join(binaries, 'bin'))) return { dir: binaries, copied: false };
  const digest = createHash('sha256');
  await pipeline(createReadStream(path.join(binaries, 'bin', 'postgres')), digest);
  const dir = path.join(root, `postgres-${digest.digest('hex').slice(0, 12)}`);
  const complete = path.join(dir, '.complete');
  if (!(await exists(complete))) {
    await makeReachableFolder(root);
    const partial = `${dir}.${process.pid}.partial`;
    await rm(partial, { recursive: true, force: true });
    await cp(binaries, partial, { recursive: true, verbatimSymlinks: true });
    await writeFile(path.join(partial, '.complete'), '');
    await rm(dir, { recursive: true, force: true });
    await rename(partial, dir);
  }
  return { dir, copied: true };
}

export interface ClusterPlace {
  clusterDir: string;
  /** Whether it is outside the data dir (recorded there in `cluster-location`). */
  relocated: boolean;
}

/**
 * Where the cluster of the data dir's `stateDir` lives: where `cluster-location` says (a relocation
 * made earlier), else `stateDir/cluster` when the server's user can reach it, else a new folder
 * under `root`, named at random and recorded in `cluster-location` before anything is written there,
 * so the data is found again on every start, from wherever the data dir is moved.
 */
export async function placeCluster(
  stateDir: string,
  runAs: RunAs | undefined,
  root: string,
): Promise<ClusterPlace> {
  const pointer = path.join(stateDir, 'cluster-location');
  const recorded = (await readFile(pointer, 'utf8').catch(() => '')).trim();
  if (recorded) return { clusterDir: recorded, relocated: true };
  const local = path.join(stateDir, 'cluster');
  if (!runAs || (await canEnter(runAs, stateDir))) return { clusterDir: local, relocated: false };
  if (await exists(path.join(local, 'PG_VERSION'))) {
    throw new PilotlineError(
      'DEPENDENCY_UNAVAILABLE',
      `The embedded PostgreSQL cluster in ${local} is below a folder the \`postgres\` user cannot enter; make its parent folders enterable (chmod o+x) or move the data dir (PILOTLINE_DATA_DIR) to such a place.`,
    );
  }
  await makeReachableFolder(root);
  const clusterDir = path.join(root, randomBytes(8).toString('hex'), 'cluster');
  await writeFile(pointer, `${clusterDir}\n`);
  return { clusterDir, relocated: true };
}

/** `folder` and its parents, created enterable by every user (mode 0755). */
async function makeReachableFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: 0o755 });
  await chmod(folder, 0o755);
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
