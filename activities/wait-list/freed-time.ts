import { Context } from '@temporalio/activity';
import type { Tx } from '../../src/data/db.js';
import { waitListDispatcherId } from '../../src/domain/ids.js';
import { freedTimeSignalName, waitListDispatcherWorkflowType, type FreedInterval } from '../../src/domain/wait-list.js';
import type { ActivityDeps } from '../deps.js';

// The one entry point for every place that frees tool time (cancel, no-show, an expired or rejected
// hold, maintenance shortened, cancelled or moved away, an allocation round's leftovers):
//   1. inside the freeing transaction: `await recordFreedTime(tx, { toolId, startsAt, endsAt, reason })`
//   2. after it commits:               `await announceFreedTime(deps)`
// The row is the promise: if the process dies between 1 and 2, the row waits undrained and the
// dispatcher takes it at its next wake-up (any later freeing, any join, or every worker start).

/** Writes freed time into the outbox, in the caller's transaction; an empty interval writes nothing. */
export async function recordFreedTime(tx: Tx, freed: FreedInterval): Promise<void> {
  if (freed.endsAt.getTime() <= freed.startsAt.getTime()) return;
  await tx.freedTime.create({
    data: {
      toolId: freed.toolId,
      startsAt: freed.startsAt,
      endsAt: freed.endsAt,
      reason: freed.reason,
      sourceId: freed.sourceId ?? null,
      passedOver: [...(freed.passedOver ?? [])],
    },
  });
}

/**
 * Wakes the dispatcher after a commit. Best effort on purpose: the freeing has happened and must
 * not be retried for a lost signal; the outbox row is drained at the next wake-up instead.
 */
export async function announceFreedTime(deps: Pick<ActivityDeps, 'announceFreedTime'>): Promise<void> {
  try {
    await (deps.announceFreedTime ?? signalDispatcherFromActivity)();
  } catch (err) {
    activityLog()?.warn(`wait list: the dispatcher was not woken (${(err as Error).message}); the freed time waits in the outbox`);
  }
}

/** The default announcement: signal-with-start the dispatcher of this worker's task queue. */
export async function signalDispatcherFromActivity(): Promise<void> {
  const { client, info } = Context.current();
  await client.workflow.signalWithStart(waitListDispatcherWorkflowType, {
    workflowId: waitListDispatcherId(info.taskQueue),
    taskQueue: info.taskQueue,
    signal: freedTimeSignalName,
    signalArgs: [],
    args: [],
  });
}

function activityLog() {
  try {
    return Context.current().log;
  } catch {
    return undefined;
  }
}
