// Started by the weekly Temporal Schedule of allocation rounds: opens the round for the week
// `weeksAhead` Mondays on through a round workflow of its own, which then lives on independently.
// A second firing for the same week finds that workflow and leaves it be.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyLocalActivities, startChild, workflowInfo } from '@temporalio/workflow';
import type { RoundActivities } from '../activities/index.js';
import { roundWorkflowId } from '../src/domain/ids.js';
import { roundOpeningInputSchema, type RoundOpeningInput } from '../src/domain/round.js';
import { drivenOptions } from './activity-options.js';
import { roundWorkflow } from './round.js';
import { parseMessage } from './validate.js';

const { nextRoundPlan } = proxyLocalActivities<RoundActivities>(drivenOptions);

/** The scheduler acts as a lab manager would; its entries in the audit log say so. */
export const roundSchedulerActor = {
  userId: 'system:round-scheduler',
  tenantId: 'system',
  role: 'lab_manager',
} as const;

export async function roundOpeningWorkflow(
  rawInput: RoundOpeningInput,
): Promise<{ roundWorkflowId: string | null }> {
  const input = parseMessage(roundOpeningInputSchema, rawInput, 'input');
  const plan = await nextRoundPlan(input);
  if (plan === null) return { roundWorkflowId: null };
  const workflowId = roundWorkflowId(plan.id);
  try {
    await startChild(roundWorkflow, {
      workflowId,
      taskQueue: workflowInfo().taskQueue,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [
        {
          plan,
          actor: roundSchedulerActor,
          ...(input.bookingTiming ? { bookingTiming: input.bookingTiming } : {}),
        },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return { roundWorkflowId: workflowId };
}
