// Batch scheduler: the public surface of src/solver/optimize.
export {
  PROBLEM_VERSION,
  ProblemSchema,
  ScheduleSchema,
  parseProblem,
  type Problem,
  type ProblemInput,
  type Machine,
  type Job,
  type Operation,
  type Alternative,
  type Interval,
  type Changeover,
  type Objective,
  type ObjectiveKind,
  type CurrentPlacement,
  type Schedule,
  type ScheduledOperation,
} from './problem.js';
export {
  optimize,
  type OptimizeOptions,
  type OptimizeProgress,
  type OptimizeResult,
  type StopReason,
} from './optimize.js';
export type { Engine, TabuTuning } from './engines.js';
export { checkSchedule, objectiveValue, type CheckResult, type Violation, type ViolationKind } from './check.js';
export { InfeasibleProblemError } from './general/chains.js';
export {
  readInstance,
  readJobShop,
  readTaillard,
  readFlexibleJobShop,
  InstanceFormatError,
  type InstanceFormat,
} from './readers.js';
