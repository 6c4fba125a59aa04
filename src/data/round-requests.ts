import { actsForAllTenants, type Actor } from '../domain/actor.js';
import type { RoundRequestSubmit, RoundRequestView } from '../domain/round.js';
import { roundRequestIssues } from '../domain/round-rules.js';
import type { AllocationRequest, AllocationRound, Prisma } from '../generated/prisma/client.js';
import { PilotlineError } from '../errors.js';
import type { Db, Tx } from './db.js';
import { lockRound, weekOf } from './round-lock.js';
import { roundRequestView } from './round-view.js';
import { sqlStateOf, sqlStates } from './sql-state.js';

// Round requests are written here, not through the round's workflow: a rush of submissions before a
// deadline is a rush of small transactions, each taking its turn on the round's row with the close.

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

function audit(tx: Tx, actor: Actor, action: string, entityId: string, data: Record<string, unknown>) {
  return tx.auditLog.create({
    data: {
      actorId: actor.userId,
      actorRole: actor.role,
      action,
      entityType: 'round_request',
      entityId,
      data: data as Prisma.InputJsonValue,
    },
  });
}

/** The same requestId again is the same request, for its own user in its own round only. */
function sameRequest(row: AllocationRequest, actor: Actor, roundId: string): RoundRequestView {
  if (row.userId !== actor.userId || row.roundId !== roundId)
    throw new PilotlineError('FORBIDDEN', 'That requestId belongs to another request');
  return roundRequestView(row);
}

/**
 * A tenant's request to an open round (idempotent on `requestId`), checked against the round's week
 * and tool types (a 422 naming the field) and its deadline (409), under the round's row lock.
 */
export async function submitRoundRequest(
  db: Db,
  now: Date,
  input: { roundId: string; actor: Actor; request: RoundRequestSubmit },
): Promise<RoundRequestView> {
  const { roundId, actor, request } = input;
  const existing = await db.allocationRequest.findUnique({ where: { requestId: request.requestId } });
  if (existing) return sameRequest(existing, actor, roundId);
  try {
    return await db.$transaction(async (tx) => {
      const round = await lockRound(tx, roundId);
      requireOpen(round, now);
      const tools = await tx.tool.findMany({
        where: { toolTypeId: request.toolTypeId },
        select: { id: true },
      });
      const issues = roundRequestIssues(
        round,
        request,
        tools.map((t) => t.id),
      );
      if (issues.length > 0)
        throw new PilotlineError(
          'VALIDATION_FAILED',
          issues.map((i) => `${i.field}: ${i.message}`).join('; '),
          { issues },
        );
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
      await audit(tx, actor, 'round.request_submitted', row.id, {
        roundId,
        toolTypeId: row.toolTypeId,
        durationMin: row.durationMin,
      });
      return roundRequestView(row);
    });
  } catch (err) {
    // The same request racing itself: the other attempt's row is the answer.
    if (sqlStateOf(err) === sqlStates.uniqueViolation) {
      const row = await db.allocationRequest.findUnique({ where: { requestId: request.requestId } });
      if (row) return sameRequest(row, actor, roundId);
    }
    throw err;
  }
}

/** Takes a request back while its round is open: its own tenant, or staff. */
export async function withdrawRoundRequest(
  db: Db,
  now: Date,
  input: { actor: Actor; id: string },
): Promise<RoundRequestView> {
  const { actor, id } = input;
  const found = await db.allocationRequest.findUnique({ where: { id } });
  if (!found || (!actsForAllTenants(actor) && found.tenantId !== actor.tenantId))
    throw new PilotlineError('NOT_FOUND', `No round request ${id}`);
  return db.$transaction(async (tx) => {
    const round = await lockRound(tx, found.roundId);
    const row = await tx.allocationRequest.findUniqueOrThrow({ where: { id } });
    if (row.state === 'withdrawn') return roundRequestView(row);
    requireOpen(round, now);
    const updated = await tx.allocationRequest.update({ where: { id }, data: { state: 'withdrawn' } });
    await audit(tx, actor, 'round.request_withdrawn', id, { roundId: round.id });
    return roundRequestView(updated);
  });
}
