// zod, evaluated once per worker and shared by every workflow: the worker preloads this file into
// its reusable V8 context (bundlerOptions.preloadModules). Otherwise each new workflow evaluates
// all of zod again and keeps its own copy while it stays cached (measured: ~26 ms and ~0.7 MB of
// the ~38 ms and ~1.4 MB a workflow spent on zod and the domain schemas).
//
// The SDK deep-freezes what is preloaded. Our own schemas stay out of it: zod writes to a
// schema's regex (`lastIndex`) on every parse and memoizes on first use, which a frozen schema
// refuses. test/workflows/shared-modules.test.ts checks that no schema of the workflows borrows a
// regex of zod's own, which would be frozen.
import * as zod from 'zod';

/**
 * zod computes some module-level values lazily on first read (a cached answer, a bound method);
 * reading every accessor now, before the freeze, leaves nothing for a workflow to define later.
 */
export function materialiseLazyMembers(roots: readonly unknown[]): void {
  const seen = new WeakSet<object>();
  const stack = [...roots];
  while (stack.length) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    // Getters of the object's own prototypes (zod's classes), never of the built-in ones.
    for (
      let proto = Object.getPrototypeOf(value);
      proto && !builtIns.has(proto);
      proto = Object.getPrototypeOf(proto)
    ) {
      for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
        if (descriptor.get) stack.push(read(value, key));
      }
    }
    for (const key of Reflect.ownKeys(value)) stack.push(read(value, key));
  }
}

const builtIns = new Set<object>([
  Object.prototype,
  Array.prototype,
  Function.prototype,
  Map.prototype,
  Set.prototype,
  RegExp.prototype,
  Date.prototype,
  Error.prototype,
  Promise.prototype,
]);

function read(target: object, key: PropertyKey): unknown {
  try {
    return Reflect.get(target, key);
  } catch {
    return undefined; // A getter that refuses to answer memoizes nothing either.
  }
}

// zod sets its defaults (locale, memoizer) into its global config on the first schema it builds.
zod.z.object({ warm: zod.z.array(zod.z.string()) }).safeParse({ warm: [''] });
materialiseLazyMembers([zod, zod.z.core]);
