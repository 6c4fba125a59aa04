import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  importCycles,
  importsOf,
  layerOf,
  layerViolations,
  sourceFiles,
  type ImportEdge,
  type Layer,
} from './imports.js';

// The architecture as data: each layer and what it may import. Imports go downward only.
const under =
  (...prefixes: string[]) =>
  (file: string) =>
    prefixes.some((p) => file.startsWith(p));
const exactly =
  (...files: string[]) =>
  (file: string) =>
    files.includes(file);
/** Plain-data domain modules the browser bundle may load (no zod, no Node). */
const browserSafe = exactly('src/domain/roles.ts', 'src/domain/time.ts', 'src/domain/booking-actions.ts');

const layers: Layer[] = [
  // The solver is a pure library: nothing of ours outside itself.
  { name: 'solver', holds: under('src/solver/'), mayImport: [] },
  { name: 'base', holds: exactly('src/errors.ts', 'src/validation.ts', 'src/clock.ts'), mayImport: [] },
  { name: 'browser-safe', holds: browserSafe, mayImport: [] },
  {
    name: 'domain',
    holds: (file) => file.startsWith('src/domain/') && !browserSafe(file),
    mayImport: ['browser-safe', 'solver', 'base'],
  },
  { name: 'generated', holds: under('src/generated/'), mayImport: [] },
  { name: 'data', holds: under('src/data/'), mayImport: ['domain', 'browser-safe', 'base', 'generated'] },
  // People and their secrets: passwords, sessions, tokens, sign-in links, the identity provider.
  {
    name: 'accounts',
    holds: under('src/accounts/'),
    mayImport: ['data', 'domain', 'browser-safe', 'base', 'generated'],
  },
  {
    name: 'calendar',
    holds: under('src/calendar/'),
    mayImport: ['data', 'domain', 'browser-safe', 'solver', 'base', 'generated'],
  },
  // Workflows are deterministic: no I/O code, activities by type only.
  {
    name: 'workflows',
    holds: under('workflows/'),
    mayImport: ['domain', 'browser-safe', 'base'],
    mayImportTypes: ['activities', 'solver'],
  },
  // E-mail: the words of each notification (pure) and the transports that send them (SMTP, files).
  // It reads the rows a notification names through a reader it is given (types only).
  {
    name: 'mail',
    holds: under('src/mail/'),
    mayImport: ['domain', 'browser-safe', 'base'],
    mayImportTypes: ['data', 'generated'],
  },
  // Calendar feeds: iCalendar built from the database, as the feed's owner may see it.
  { name: 'feeds', holds: under('src/feeds/'), mayImport: ['data', 'domain', 'browser-safe', 'base', 'generated'] },
  // Usage statements: charges, monthly drafts, adjustments, CSV and PDF, and their independent check.
  { name: 'billing', holds: under('src/billing/'), mayImport: ['data', 'domain', 'browser-safe', 'base', 'generated'] },
  {
    name: 'activities',
    holds: under('activities/'),
    mayImport: ['calendar', 'data', 'domain', 'browser-safe', 'solver', 'base', 'generated', 'mail', 'billing'],
  },
  {
    name: 'schedules',
    holds: under('src/maintenance/', 'src/schedules/'),
    mayImport: ['domain', 'browser-safe', 'base'],
    mayImportTypes: ['workflows'],
  },
  // The browser bundle: types from the domain, and its plain-data modules (no zod, no Node).
  {
    name: 'web-client',
    holds: under('src/web/client/'),
    mayImport: ['browser-safe'],
    mayImportTypes: ['domain'],
  },
  // Routes start workflows (their message definitions and types) and read; they never run activities.
  {
    name: 'api',
    holds: under('src/api/', 'src/web/register.ts', 'src/web/bundle.ts'),
    mayImport: [
      'accounts',
      'calendar',
      'data',
      'domain',
      'browser-safe',
      'schedules',
      'workflows',
      'solver',
      'base',
      'generated',
      'feeds',
      // The in-app inbox shows each notification in the words its e-mail uses.
      'mail',
      'billing',
    ],
  },
  {
    name: 'seed',
    holds: under('src/seed/'),
    mayImport: ['api', 'accounts', 'data', 'domain', 'browser-safe', 'solver', 'base', 'generated', 'billing'],
  },
  // The composition root: builds every part and wires them together.
  {
    name: 'runtime',
    holds: under('src/runtime/', 'src/cli.ts', 'src/web/chromium.ts', 'src/web/screenshot.ts', 'src/web/screenshot-shots.ts', 'src/web/settle.ts'),
    mayImport: [
      'api',
      'accounts',
      'activities',
      'seed',
      'schedules',
      'workflows',
      'data',
      'calendar',
      'domain',
      'browser-safe',
      'solver',
      'base',
      'generated',
      'web-client',
      'mail',
      'feeds',
      'billing',
    ],
  },
];

const root = path.resolve(import.meta.dirname, '../..');
const files = sourceFiles(root);
const edges = files.flatMap((file) => importsOf(root, file));
const describeEdge = (v: { edge: ImportEdge; fromLayer: string; toLayer: string }) =>
  `${v.edge.from} (${v.fromLayer}) imports ${v.edge.typeOnly ? 'types from ' : ''}${v.edge.to} (${v.toLayer})`;

describe('architecture', () => {
  it('places every source file in exactly one layer', () => {
    const homeless = files.filter((file) => layers.filter((layer) => layer.holds(file)).length !== 1);
    expect(homeless).toEqual([]);
  });

  it('imports only downward: the solver nothing of ours, workflows no I/O code, routes no activities', () => {
    expect(layerViolations(layers, edges).map(describeEdge)).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(importCycles(edges)).toEqual([]);
  });

  it('resolves every relative import to a source file', () => {
    const known = new Set(files);
    const dangling = edges
      .filter((e) => !known.has(e.to) && !e.to.startsWith('src/generated/'))
      .map((e) => `${e.from} → ${e.to}`);
    expect(dangling).toEqual([]);
  });
});

describe('the architecture checks themselves', () => {
  const edge = (from: string, to: string, typeOnly = false): ImportEdge => ({ from, to, typeOnly });

  it('report a route that imports an activity, and a solver file that imports the domain', () => {
    const found = layerViolations(layers, [
      edge('src/api/routes/bookings.ts', 'activities/bookings/cancel.ts'),
      edge('src/solver/place.ts', 'src/domain/booking.ts', true),
      edge('workflows/booking.ts', 'activities/index.ts', true),
      edge('workflows/booking.ts', 'activities/index.ts', false),
    ]);
    expect(found.map((v) => `${v.fromLayer}→${v.toLayer}`)).toEqual([
      'api→activities',
      'solver→domain',
      'workflows→activities',
    ]);
  });

  it('find a cycle through a type-only import, and none in a chain', () => {
    expect(importCycles([edge('a.ts', 'b.ts'), edge('b.ts', 'c.ts', true), edge('c.ts', 'a.ts')])).toEqual([
      ['a.ts', 'b.ts', 'c.ts'],
    ]);
    expect(importCycles([edge('a.ts', 'b.ts'), edge('b.ts', 'c.ts')])).toEqual([]);
  });

  it('read type-only, dynamic and re-export imports from real source', () => {
    const fromWorkflow = importsOf(root, 'workflows/booking.ts');
    expect(fromWorkflow.find((e) => e.to === 'activities/index.ts')?.typeOnly).toBe(true);
    expect(layerOf(layers, 'src/solver/place.ts')?.name).toBe('solver');
  });
});
