import type { Client } from '@temporalio/client';
import { waitListDispatcherId } from '../../domain/ids.js';
import { waitListDispatcherWorkflow } from '../../../workflows/wait-list-dispatcher.js';
import { freedTimeSignal } from '../../../workflows/messages.js';

/**
 * Wakes (or starts) the wait-list dispatcher of `taskQueue`. Called at every worker start: freed
 * time whose announcement died with its sender (after the commit, before the signal) is drained then.
 */
export async function wakeWaitListDispatcher(client: Client, taskQueue: string): Promise<void> {
  await client.workflow.signalWithStart(waitListDispatcherWorkflow, {
    workflowId: waitListDispatcherId(taskQueue),
    taskQueue,
    signal: freedTimeSignal,
    signalArgs: [],
    args: [],
  });
}
