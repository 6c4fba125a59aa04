/** PostgreSQL error codes Pilotline reacts to. */
export const sqlStates = {
  exclusionViolation: '23P01',
  uniqueViolation: '23505',
  serializationFailure: '40001',
} as const;

/**
 * The SQLSTATE behind a failure from Prisma's pg adapter (`meta.driverAdapterError.cause`), from
 * node-postgres (`code`), or from anything wrapping either in `cause`.
 */
export function sqlStateOf(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
    const e = current as {
      code?: unknown;
      originalCode?: unknown;
      meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } };
      cause?: unknown;
    };
    const adapterCode = e.meta?.driverAdapterError?.cause?.originalCode;
    if (typeof adapterCode === 'string') return adapterCode;
    if (typeof e.originalCode === 'string') return e.originalCode;
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    current = e.cause;
  }
  return undefined;
}

export const isExclusionViolation = (err: unknown) => sqlStateOf(err) === sqlStates.exclusionViolation;

export const isUniqueViolation = (err: unknown) => sqlStateOf(err) === sqlStates.uniqueViolation;
