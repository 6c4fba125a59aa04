import { isUniqueViolation } from '../data/sql-state.js';
import { invalidField } from '../validation.js';

/**
 * Runs a write whose uniqueness the route checked first; a writer that got there in between
 * (the unique index refused) is answered like the check would have answered it.
 */
export async function refusingDuplicates<T>(work: () => Promise<T>, field: string, message: string): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err)) throw invalidField(field, message);
    throw err;
  }
}
