import { waitListSnapshot, entryWithOpenOffer } from '../../src/data/wait-list-view.js';
import { sqlStateOf, sqlStates } from '../../src/data/sql-state.js';
import type { Actor } from '../../src/domain/actor.js';
import { waitListWorkflowId } from '../../src/domain/ids.js';
import type { WaitListJoin, WaitListSnapshot } from '../../src/domain/wait-list.js';
import { PilotlineError } from '../../src/errors.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { recordChange } from '../records.js';
import { announceFreedTime, recordFreedTime } from './freed-time.js';

export interface JoinWaitListInput {
  request: WaitListJoin;
  actor: Actor;
  offerResponseMs: number;
}

/**
 * Puts a request on the wait list (idempotent on its requestId). The join also asks the dispatcher
 * to look at the request's window on each tool it could use, in the fair order like any freed time:
 * time freed between "no slot fits" and the join is not missed, and nobody ahead is overtaken.
 */
export function joinWaitListActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function joinWaitList(input: JoinWaitListInput): Promise<WaitListSnapshot> {
    const { request, actor } = input;
    const existing = async () => {
      const row = await db.waitListEntry.findUnique({ where: { requestId: request.requestId }, include: entryWithOpenOffer });
      if (row && (row.userId !== actor.userId || row.tenantId !== actor.tenantId)) {
        throw new PilotlineError('FORBIDDEN', 'That requestId belongs to another request');
      }
      return row ? waitListSnapshot(row, clock.now()) : null;
    };
    try {
      const before = await existing();
      if (before) return before;
      const snapshot = await db.$transaction(async (tx) => {
        const tools = await tx.tool.findMany({
          where: request.toolIds?.length ? { id: { in: request.toolIds } } : { toolTypeId: request.toolTypeId ?? '' },
          select: { id: true },
          orderBy: { id: 'asc' },
        });
        if (!tools.length) throw new PilotlineError('NOT_FOUND', 'No tool matches the request: nothing to wait for');
        const now = clock.now();
        const row = await tx.waitListEntry.create({
          data: {
            requestId: request.requestId,
            workflowId: waitListWorkflowId(request.requestId),
            tenantId: actor.tenantId,
            userId: actor.userId,
            toolTypeId: request.toolIds?.length ? null : (request.toolTypeId ?? null),
            toolIds: request.toolIds ?? [],
            durationMin: request.durationMin,
            earliestStart: new Date(request.earliestStart),
            latestEnd: new Date(request.latestEnd),
            material: request.material,
            waferSize: request.waferSize,
            contaminationGroup: request.contaminationGroup,
            purpose: request.purpose ?? null,
            state: 'waiting',
            offerResponseMs: input.offerResponseMs,
            joinedAt: now,
          },
          include: entryWithOpenOffer,
        });
        for (const tool of tools) {
          await recordFreedTime(tx, {
            toolId: tool.id,
            startsAt: new Date(Math.max(row.earliestStart.getTime(), now.getTime())),
            endsAt: row.latestEnd,
            reason: 'joined',
            sourceId: row.id,
          });
        }
        await recordChange(tx, {
          actor,
          action: 'wait_list.joined',
          entityType: 'wait_list_entry',
          entityId: row.id,
          data: { requestId: row.requestId, toolTypeId: row.toolTypeId, toolIds: row.toolIds, earliestStart: request.earliestStart, latestEnd: request.latestEnd, durationMin: row.durationMin },
        });
        return waitListSnapshot(row, now);
      });
      await announceFreedTime(deps);
      return snapshot;
    } catch (err) {
      // The same join racing itself (a retried activity): the other attempt's row is the answer.
      if (sqlStateOf(err) === sqlStates.uniqueViolation) {
        const row = await existing().catch((e: unknown) => Promise.reject(asActivityFailure(e)));
        if (row) return row;
      }
      throw asActivityFailure(err);
    }
  };
}
