import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { z } from 'zod';

/** One benchmark instance file with its best-known bounds (when bks.json knows it). */
export interface InstanceEntry {
  name: string;
  file: string;
  lowerBound: number | null;
  upperBound: number | null;
}

const BksSchema = z.array(
  z.looseObject({ instance: z.string(), lower_bound: z.number().nullable(), upper_bound: z.number().nullable() }),
);
type Bounds = { lowerBound: number | null; upperBound: number | null };

/** `shared/benchmarks/instances` beside the checkout or beside any folder above it (worktrees sit deeper). */
export function findDefaultRoot(from = new URL('../..', import.meta.url).pathname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared/benchmarks/instances');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`no shared/benchmarks/instances above ${from}: pass --dir`);
  }
}

/** Instances in the shared benchmark folder: JSSP from JSPLIB, FJSP mk01–mk10, bounds from ScheduleOpt. */
export function defaultInstances(root = findDefaultRoot()): InstanceEntry[] {
  const bks = new Map([
    ...readBks(join(root, 'ScheduleOpt-benchmarks/jobshop/solutions/bks.json')),
    ...readBks(join(root, 'ScheduleOpt-benchmarks/flexible-jobshop/solutions/bks.json')),
  ]);
  const files = [
    ...listFiles(join(root, 'tamy0612-JSPLIB/instances')),
    ...listFiles(join(root, 'SchedulingLab-fjsp-instances/brandimarte')),
  ];
  return files.map((file) => withBounds(file, bks));
}

/** Every instance file of a folder (not *.json), bounds from the bks.json beside them. */
export function folderInstances(dir: string): InstanceEntry[] {
  const bks = existsSync(join(dir, 'bks.json')) ? readBks(join(dir, 'bks.json')) : new Map<string, Bounds>();
  return listFiles(dir).map((file) => withBounds(file, bks));
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile() && extname(d.name) !== '.json' && !d.name.startsWith('.') && !/readme/i.test(d.name))
    .map((d) => join(dir, d.name))
    .sort();
}

function readBks(path: string): Map<string, Bounds> {
  const entries = BksSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  return new Map(entries.map((e) => [e.instance.toLowerCase(), { lowerBound: e.lower_bound, upperBound: e.upper_bound }]));
}

function withBounds(file: string, bks: Map<string, Bounds>): InstanceEntry {
  const name = basename(file, extname(file));
  const key = name.toLowerCase();
  // Taillard names carry a `js` suffix in ScheduleOpt's files; accept either spelling.
  const bounds = bks.get(key) ?? bks.get(`${key}js`) ?? bks.get(key.replace(/js$/, '')) ?? { lowerBound: null, upperBound: null };
  return { name, file, ...bounds };
}

/** `ta01-ta10`, `ft10,mk01-mk10`, `la01-05`: names and zero-padded numeric ranges. */
export function expandSelection(selection: string): string[] {
  const names: string[] = [];
  for (const raw of selection.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const range = /^([a-z_]*?)(\d+)-([a-z_]*?)(\d+)$/i.exec(item);
    if (!range) {
      names.push(item);
      continue;
    }
    const [, prefix, from, prefix2, to] = range as unknown as [string, string, string, string, string];
    if (prefix2 !== '' && prefix2.toLowerCase() !== prefix.toLowerCase()) throw new Error(`range ${item} mixes prefixes`);
    const width = from.length;
    for (let k = Number(from); k <= Number(to); k++) names.push(`${prefix}${String(k).padStart(width, '0')}`);
  }
  return names;
}

export function selectInstances(all: InstanceEntry[], selection: string | undefined): InstanceEntry[] {
  if (selection === undefined) return all;
  const byName = new Map(all.map((e) => [e.name.toLowerCase(), e]));
  return expandSelection(selection).map((name) => {
    const key = name.toLowerCase();
    const entry = byName.get(key) ?? byName.get(`${key}js`) ?? byName.get(key.replace(/js$/, ''));
    if (!entry) throw new Error(`instance ${name} not found`);
    return entry;
  });
}
