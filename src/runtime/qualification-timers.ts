import type { Client } from '@temporalio/client';
import type { Db } from '../data/db.js';
import { qualificationWorkflowId } from '../domain/ids.js';
import type { qualificationWorkflow } from '../../workflows/qualification.js';

export interface QualificationTimersReport {
  /** Qualifications with an expiry still to remind of or to lapse: each has its workflow now. */
  timed: number;
}

/**
 * At every start, each qualification that still has an expiry ahead of its lapse (granted by the
 * seed, or whose workflow Temporal lost) gets its workflow watching it: idempotent, since a running
 * workflow of the same person and scope is used as it is.
 */
export async function ensureQualificationTimers(
  db: Db,
  client: Client,
  options: { taskQueue: string; concurrency?: number; signal?: AbortSignal },
): Promise<QualificationTimersReport> {
  const rows = await db.qualification.findMany({
    where: { revokedAt: null, lapsedAt: null, expiresAt: { not: null } },
    select: { userId: true, toolId: true, toolTypeId: true },
    orderBy: { id: 'asc' },
  });
  const queue = [...rows];
  const watchNext = async (): Promise<void> => {
    // A stop meanwhile ends the round: the next start times the rest.
    for (let row = queue.shift(); row && !options.signal?.aborted; row = queue.shift()) {
      const scope = row.toolId ? { toolId: row.toolId } : { toolTypeId: row.toolTypeId ?? '' };
      await client.workflow.start<typeof qualificationWorkflow>('qualificationWorkflow', {
        workflowId: qualificationWorkflowId(row.userId, scope),
        taskQueue: options.taskQueue,
        args: [{ userId: row.userId, scope, watch: true }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, watchNext));
  return { timed: rows.length };
}
