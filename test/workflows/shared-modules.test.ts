import { describe, expect, it } from 'vitest';
import * as zod from 'zod';
import { materialiseLazyMembers } from '../../workflows/shared-modules.js';

// The worker preloads zod once (workflows/shared-modules.ts) and the SDK deep-freezes it; every
// workflow then builds the domain schemas afresh on that frozen zod. This does the same here: warm,
// freeze zod as the SDK does, then build and use every schema the workflows load. A schema that
// borrowed a frozen piece of zod (a regex of its own, z.email's say) would throw in a worker.

/** The SDK's freeze of preloaded modules (ReusableVMWorkflowCreator): objects deeply, functions shallowly. */
function deepFreeze(value: unknown, seen = new WeakSet<object>()): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
  seen.add(value);
  if (typeof value === 'object') {
    for (const key of Reflect.ownKeys(value)) {
      try {
        deepFreeze(Reflect.get(value, key), seen);
      } catch {
        // As the SDK: some objects cannot be frozen (typed arrays).
      }
    }
  }
  // A Node module namespace cannot itself be frozen (webpack's exports object, in a worker, is).
  if (Object.prototype.toString.call(value) !== '[object Module]') Object.freeze(value);
}

/** Every zod schema reachable from the modules' exports, nested ones included. */
function schemasIn(roots: readonly unknown[]): zod.ZodType[] {
  const found: zod.ZodType[] = [];
  const seen = new WeakSet<object>();
  const stack = [...roots];
  while (stack.length) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    if (value instanceof zod.ZodType) found.push(value);
    for (const key of Reflect.ownKeys(value)) stack.push(Reflect.get(value, key));
  }
  return found;
}

const probes: unknown[] = [
  undefined,
  null,
  0,
  -1.5,
  '',
  'a',
  'tenant-1',
  '2027-03-01T09:00:00+08:00',
  '9b2f7a64-3c1e-4f7a-9d1b-2a6c0e4b8f11',
  'user@example.org',
  [],
  [''],
  {},
  { note: 'x' },
  true,
];
const frozenFailure = /read.only|not extensible|Cannot (assign|add|define|delete)/i;

describe('the zod every workflow shares', () => {
  it('builds and parses every schema the workflows load, on a frozen zod', async () => {
    materialiseLazyMembers([zod, zod.z.core]);
    zod.z.object({ warm: zod.z.array(zod.z.string()) }).safeParse({ warm: [''] });
    deepFreeze(zod);
    deepFreeze((globalThis as { __zod_globalConfig?: unknown }).__zod_globalConfig);
    expect(Object.isFrozen(zod.z.core.regexes.email)).toBe(true);

    // Imported only now: built on the frozen zod, as in a workflow.
    const modules = await Promise.all([
      import('../../src/domain/actor.js'),
      import('../../src/domain/booking.js'),
      import('../../src/domain/lot.js'),
      import('../../src/domain/maintenance.js'),
      import('../../src/domain/placement.js'),
    ]);
    const schemas = schemasIn(modules);
    expect(schemas.length).toBeGreaterThan(100);
    const failures: string[] = [];
    for (const schema of schemas) {
      for (const probe of probes) {
        try {
          schema.safeParse(probe);
        } catch (err) {
          // A transform given the wrong type may throw; a write to something frozen must not happen.
          if (err instanceof TypeError && frozenFailure.test(err.message))
            failures.push(`${schema.type}: ${err.message}`);
        }
      }
    }
    expect([...new Set(failures)]).toEqual([]);
  });
});
