import fc from 'fast-check';

// fast-check arbitraries from the API's own JSON Schemas (as /openapi.json documents them): values
// of the documented shape, and the same values spoiled the way an attacker or a buggy client would.

type Schema = Record<string, unknown>;

export interface ArbitraryHints {
  /** Values that mean something here (existing tool ids, tenants…), by property name. */
  known: Record<string, readonly string[]>;
  /** Instants are drawn around this one, most within days. */
  around: Date;
}

const NUL = '\u0000';
const LONE_SURROGATE = '\ud800';

/** Values that break naive code: control characters, surrogates, extremes, the wrong type. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    `a${NUL}b`,
    NUL,
    `x${LONE_SURROGATE}y`,
    '\udfff',
    '',
    ' ',
    '\u202e\u200b',
    'x'.repeat(10_000),
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '1969-12-31T23:59:59.999Z',
    '2000-01-01T00:00:00+14:00',
    '2039-02-30T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '00000000-0000-0000-0000-000000000000',
    'NaN',
    '../../etc/passwd',
    "'; DROP TABLE bookings; --",
    1e308,
    -1e308,
    2 ** 53,
    2 ** 31,
    -1,
    0,
    1.5,
    -0,
    true,
    false,
    null,
  ),
  fc.constant([]),
  fc.constant({}),
  fc.constant(Array.from({ length: 1000 }, (_, i) => i)),
  fc.constant({ nested: { deeper: { deepest: [NUL] } } }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.double(),
  fc.integer(),
);

function isoAround(around: Date): fc.Arbitrary<string> {
  const t = around.getTime();
  const day = 86_400_000;
  return fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: -2 * day, max: 14 * day }).map((d) => new Date(Math.floor((t + d) / 60_000) * 60_000).toISOString()) },
    { weight: 1, arbitrary: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()) },
  );
}

function stringOf(name: string | undefined, schema: Schema, hints: ArbitraryHints): fc.Arbitrary<string> {
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as string[]));
  if (typeof schema.const === 'string') return fc.constant(schema.const);
  if (schema.format === 'uuid') return fc.uuid({ version: 4 });
  if (schema.format === 'date-time') return isoAround(hints.around);
  if (schema.format === 'date') return isoAround(hints.around).map((s) => s.slice(0, 10));
  const max = Math.min(typeof schema.maxLength === 'number' ? schema.maxLength : 40, 60);
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const plain = fc.string({ minLength: Math.max(min, 0), maxLength: Math.max(max, min) });
  const known = name ? hints.known[name] : undefined;
  return known?.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: plain }) : plain;
}

/** A value of the documented shape (refinements the schema cannot say, like end after start, may fail). */
export function valueOf(schema: Schema, hints: ArbitraryHints, name?: string): fc.Arbitrary<unknown> {
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) {
    const options = (schema.anyOf ?? schema.oneOf) as Schema[];
    return fc.oneof(...options.map((s) => valueOf(s, hints, name)));
  }
  if (Array.isArray(schema.allOf)) {
    const parts = (schema.allOf as Schema[]).map((s) => valueOf(s, hints, name));
    return fc.tuple(...parts).map((values) => Object.assign({}, ...values.filter((v) => v && typeof v === 'object')));
  }
  if (schema.const !== undefined && typeof schema.const !== 'string') return fc.constant(schema.const);
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required ?? []) as string[]);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, property] of Object.entries(properties)) model[key] = valueOf(property, hints, key);
      const keys = Object.keys(model);
      // Optional keys come and go.
      return fc.record(model, { requiredKeys: keys.filter((k) => required.has(k)) });
    }
    case 'array': {
      const items = (schema.items ?? {}) as Schema;
      const minLength = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const maxLength = Math.min(typeof schema.maxItems === 'number' ? schema.maxItems : 5, 5);
      return fc.array(valueOf(items, hints, name), { minLength, maxLength: Math.max(minLength, maxLength) });
    }
    case 'integer': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : -1000;
      const max = typeof schema.maximum === 'number' ? schema.maximum : 100_000;
      return fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) });
    }
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
    case 'boolean':
      return fc.boolean();
    case 'string':
      return stringOf(name, schema, hints);
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A documented-shape object with one to three fields spoiled, added or dropped. */
export function spoiled(value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: nastyValue }),
    fc.record({ kind: fc.constant('extra' as const), key: fc.constantFrom('extra', '__proto__', 'constructor', 'toString', 'id', 'x'.repeat(300)), value: nastyValue }),
    fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }),
  );
  return fc.tuple(value, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([base, mutations]) => {
    if (!base || typeof base !== 'object' || Array.isArray(base)) return mutations[0]?.kind === 'drop' ? base : ((mutations[0] as { value?: unknown }).value ?? base);
    const result: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const m of mutations) {
      const keys = Object.keys(result);
      if (m.kind === 'extra') Object.defineProperty(result, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
      else if (!keys.length) continue;
      else if (m.kind === 'set') result[keys[m.pick % keys.length]!] = m.value;
      else delete result[keys[m.pick % keys.length]!];
    }
    return result;
  });
}
