import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';

/**
 * Who started a workflow: the `actor.userId` of its first argument, read from the first event of
 * its history (one small read, only on the rare path of an answer without a row to check).
 */
export async function requesterOf(client: Client, namespace: string, workflowId: string): Promise<string | undefined> {
  const page = await client.workflowService.getWorkflowExecutionHistory({
    namespace,
    execution: { workflowId },
    maximumPageSize: 1,
  });
  const payload = page.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) return undefined;
  const input = defaultPayloadConverter.fromPayload<{ actor?: { userId?: unknown } }>(payload);
  return typeof input?.actor?.userId === 'string' ? input.actor.userId : undefined;
}
