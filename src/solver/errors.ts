/** Input that breaks the solver's contract (unknown tool id, duplicate reservation…): a caller bug, not a "no". */
export class SolverInputError extends Error {
  override readonly name = 'SolverInputError';
}
