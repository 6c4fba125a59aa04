import { asRefusal } from './failures.js';

/**
 * Database transitions of one workflow, run one at a time. Each re-checks its precondition when its
 * turn comes, since a timer or another Update may have changed things after the validator ran;
 * a failure reaches the caller as a refusal and does not stop the queue.
 */
export function transitionQueue() {
  let queue: Promise<unknown> = Promise.resolve();
  return function transition<T>(precondition: () => void, work: () => Promise<T>): Promise<T> {
    const run = queue.then(async () => {
      precondition();
      try {
        return await work();
      } catch (err) {
        throw asRefusal(err);
      }
    });
    queue = run.catch(() => undefined);
    return run;
  };
}
