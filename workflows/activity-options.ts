import type { LocalActivityOptions } from '@temporalio/workflow';

/** Work a caller waits on (an Update): a few quick retries, then the caller hears why. */
export const answeringOptions: LocalActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '200 milliseconds', maximumAttempts: 3 },
};

/** Work the clock drives (starts, ends, expiries): retried until the database answers. */
export const drivenOptions: LocalActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
};
