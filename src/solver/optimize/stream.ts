/** True when the search must stop now (deadline reached). Checked every few iterations. */
export type StopCheck = () => boolean;

/**
 * One seeded search trajectory. The coordinator runs streams in epochs of a fixed number of
 * iterations and exchanges elite solutions only between epochs, so the result depends on
 * (seed, number of streams, iteration budget) and never on thread timing.
 */
export interface SearchStream {
  readonly iterations: number;
  readonly bestValue: number;
  /** Runs up to maxIterations iterations; returns how many ran (fewer when stopped or finished). */
  run(maxIterations: number, stop: StopCheck): number;
  bestSnapshot(): Int32Array;
  /** A good solution found by another stream. */
  offer(snapshot: Int32Array, value: number): void;
}
