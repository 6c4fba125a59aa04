import { roundRequestView } from '../../src/data/round-view.js';
import { sqlStateOf, sqlStates } from '../../src/data/sql-state.js';
import { actsForAllTenants, type Actor } from '../../src/domain/actor.js';
import type { RoundRequestSubmit, RoundRequestView } from '../../src/domain/round.js';
import { roundRequestIssues } from '../../src/domain/round-rules.js';
import type { AllocationRequest, AllocationRound } from '../../src/generated/prisma/client.js';
import { PilotlineError } from '../../src/errors.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { recordChange } from '../records.js';
import { lockRound, weekOf } from './rows.js';

/** Requests are taken while the round is open and its deadline has not passed. */
function requireOpen(round: AllocationRound, now: Date): void {
  if (round.state !== 'open' || now.getTime() >= round.closesAt.getTime()) {
    throw new PilotlineError(
      'INVALID_STATE',
      `The round for ${weekOf(round)} closed at ${round.closesAt.toISOString()}: requests are taken until its deadline`,
      { details: { closesAt: round.closesAt.toISOString(), state: round.state } },
    );
  }
}

/** A tenant's request to an open round (idempotent on `requestId`); checked against the round's week and types. */
export function submitRoundRequestActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  const mine = (row: AllocationRequest, actor: Actor, roundId: string): RoundRequestView => {
    if (row.userId !== actor.userId || row.roundId !== roundId)
      throw new PilotlineError('FORBIDDEN', 'That requestId belongs to another request');
    return roundRequestView(row);
  };
  return async function submitRoundRequest(input: {
    roundId: string;
    actor: Actor;
    request: RoundRequestSubmit;
  }): Promise<RoundRequestView> {
    const { roundId, actor, request } = input;
    try {
      const existing = await db.allocationRequest.findUnique({ where: { requestId: request.requestId } });
      if (existing) return mine(existing, actor, roundId);
      return await db.$transaction(async (tx) => {
        const round = await lockRound(tx, roundId);
        requireOpen(round, clock.now());
        const tools = await tx.tool.findMany({
          where: { toolTypeId: request.toolTypeId },
          select: { id: true },
        });
        const issues = roundRequestIssues(
          round,
          request,
          tools.map((t) => t.id),
          'request',
        );
        if (issues.length > 0) {
          throw new PilotlineError(
            'VALIDATION_FAILED',
            issues.map((i) => `${i.field}: ${i.message}`).join('; '),
            { issues },
          );
        }
        const row = await tx.allocationRequest.create({
          data: {
            requestId: request.requestId,
            roundId,
            tenantId: actor.tenantId,
            userId: actor.userId,
            toolTypeId: request.toolTypeId,
            toolIds: [...new Set(request.toolIds ?? [])].sort(),
            durationMin: request.durationMin,
            windowStart: new Date(request.earliestStart),
            windowEnd: new Date(request.latestEnd),
            material: request.material,
            waferSize: request.waferSize,
            contaminationGroup: request.contaminationGroup,
            priority: request.priority,
            purpose: request.purpose ?? null,
          },
        });
        await recordChange(tx, {
          actor,
          action: 'round.request_submitted',
          entityType: 'round_request',
          entityId: row.id,
          data: { roundId, toolTypeId: row.toolTypeId, durationMin: row.durationMin },
        });
        return roundRequestView(row);
      });
    } catch (err) {
      if (sqlStateOf(err) === sqlStates.uniqueViolation) {
        const row = await db.allocationRequest.findUnique({ where: { requestId: request.requestId } });
        if (row) {
          try {
            return mine(row, actor, roundId);
          } catch (refusal) {
            throw asActivityFailure(refusal);
          }
        }
      }
      throw asActivityFailure(err);
    }
  };
}

/** Takes a request back while the round is open: its own tenant, or staff. */
export function withdrawRoundRequestActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function withdrawRoundRequest(input: {
    roundId: string;
    actor: Actor;
    id: string;
  }): Promise<RoundRequestView> {
    const { roundId, actor, id } = input;
    try {
      return await db.$transaction(async (tx) => {
        const round = await lockRound(tx, roundId);
        const row = await tx.allocationRequest.findUnique({ where: { id } });
        if (
          !row ||
          row.roundId !== roundId ||
          (!actsForAllTenants(actor) && row.tenantId !== actor.tenantId)
        ) {
          throw new PilotlineError('NOT_FOUND', `No request ${id} in this round`);
        }
        if (row.state === 'withdrawn') return roundRequestView(row);
        requireOpen(round, clock.now());
        const updated = await tx.allocationRequest.update({ where: { id }, data: { state: 'withdrawn' } });
        await recordChange(tx, {
          actor,
          action: 'round.request_withdrawn',
          entityType: 'round_request',
          entityId: id,
          data: { roundId },
        });
        return roundRequestView(updated);
      });
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}
