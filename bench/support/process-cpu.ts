import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

// CPU time of processes, from /proc (Linux): what a bench's servers spent beside wall time.

let ticksPerSecond: number | undefined;
/** The kernel's clock ticks per second, the unit of /proc/<pid>/stat's times (100 almost everywhere). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime: its own CPU and that of its children it has reaped. */
  ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is the state (field 3); utime, stime, cutime, cstime are fields 14–17.
    const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
    return { pid, ppid: Number(fields[1]), ticks: utime! + stime! + cutime! + cstime! };
  } catch {
    return undefined; // Gone meanwhile.
  }
}

/**
 * CPU milliseconds spent so far by a process and all its descendants (PostgreSQL's backends, the
 * runner that starts a server as another user). A descendant that exited counts through its
 * parent's reaped-children time.
 */
export function processTreeCpuMs(rootPid: number): number {
  const stats = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((s): s is ProcStat => s !== undefined);
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const root = stats.find((s) => s.pid === rootPid);
  if (!root) return 0;
  let ticks = 0;
  const stack = [root];
  while (stack.length) {
    const s = stack.pop()!;
    ticks += s.ticks;
    stack.push(...(children.get(s.pid) ?? []));
  }
  return (ticks * 1000) / clockTicks();
}

/** CPU milliseconds this process has spent, every thread (the workflow threads too). */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export interface CpuReading {
  pilotline: number;
  postgres: number;
  temporal: number;
}

/** A meter over our process and the servers' process trees: read before and after a phase. */
export function cpuMeter(pids: { postgres: number; temporal: number; pilotline?: readonly number[] }) {
  const read = (): CpuReading => ({
    pilotline: ownCpuMs() + (pids.pilotline ?? []).reduce((sum, pid) => sum + processTreeCpuMs(pid), 0),
    postgres: processTreeCpuMs(pids.postgres),
    temporal: processTreeCpuMs(pids.temporal),
  });
  return {
    read,
    /** The CPU spent since `before`, per unit of work (ms per booking, per workflow). */
    per(before: CpuReading, units: number) {
      const after = read();
      const part = (key: keyof CpuReading) => (after[key] - before[key]) / Math.max(units, 1);
      const parts = { pilotline: part('pilotline'), postgres: part('postgres'), temporal: part('temporal') };
      return { total: parts.pilotline + parts.postgres + parts.temporal, ...parts };
    },
  };
}

/** CPU milliseconds per thread name of this process (main, workflow threads, the SDK's runtime, libuv's pool). */
export function threadCpu(): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const text = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      byName.set(name, (byName.get(name) ?? 0) + (ticks * 1000) / clockTicks());
    } catch {
      // Gone meanwhile.
    }
  }
  return byName;
}

/** The CPU each thread spent between two readings, per unit of work, busiest first: `node 12.1, tokio-runtime-w 0.6`. */
export function describeThreads(before: Map<string, number>, after: Map<string, number>, units: number): string {
  return [...after]
    .map(([name, ms]) => [name, (ms - (before.get(name) ?? 0)) / Math.max(units, 1)] as const)
    .filter(([, ms]) => ms >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name} ${ms.toFixed(1)}`)
    .join(', ');
}

/** Profiles this process's main thread (V8's sampler, every 200 µs) until the returned function writes the profile. */
export async function startProfile(): Promise<(file: string) => Promise<void>> {
  const { Session } = await import('node:inspector/promises');
  const { writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async (file) => {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  };
}
