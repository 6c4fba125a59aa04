// Started by a Temporal Schedule for each occurrence of a preventive-maintenance plan on one tool:
// it books the window `leadDays` ahead (08:00 Hong Kong time) through a maintenance workflow of its
// own, which applies at once and then lives on independently.
import { ParentClosePolicy, proxyLocalActivities, startChild, uuid4, workflowInfo } from '@temporalio/workflow';
import type { MaintenanceActivities } from '../activities/index.js';
import { recurringMaintenanceInputSchema, type RecurringMaintenanceInput } from '../src/domain/maintenance.js';
import { maintenanceWorkflow } from './maintenance.js';
import { maintenanceWorkflowId } from '../src/domain/ids.js';
import { parseMessage } from './validate.js';

const { pmWindow } = proxyLocalActivities<MaintenanceActivities>({ startToCloseTimeout: '10 seconds' });

/** The scheduler acts as ops; its entries in the audit log say so. */
export const preventiveMaintenanceActor = { userId: 'system:pm-scheduler', tenantId: 'system', role: 'ops' } as const;

export async function recurringMaintenanceWorkflow(rawInput: RecurringMaintenanceInput): Promise<{ maintenanceWorkflowId: string }> {
  const input = parseMessage(recurringMaintenanceInputSchema, rawInput, 'input');
  const window = await pmWindow({ leadDays: input.leadDays, durationMin: input.durationMin });
  const requestId = uuid4();
  const child = await startChild(maintenanceWorkflow, {
    workflowId: maintenanceWorkflowId(requestId),
    taskQueue: workflowInfo().taskQueue,
    parentClosePolicy: ParentClosePolicy.ABANDON,
    args: [
      {
        request: {
          requestId,
          kind: 'recurring',
          toolIds: [input.toolId],
          startsAt: window.startsAt,
          endsAt: window.endsAt,
          reason: `Preventive maintenance (plan ${input.planId}, every ${input.everyDays} days)`,
          requiresRequalification: input.requiresRequalification,
        },
        actor: preventiveMaintenanceActor,
        autoConfirm: true,
      },
    ],
  });
  return { maintenanceWorkflowId: child.workflowId };
}
