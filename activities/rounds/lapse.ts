import { roundSnapshot } from '../../src/data/round-view.js';
import { lapsedWords, type RoundOutcome, type RoundSnapshot } from '../../src/domain/round.js';
import type { Prisma } from '../../src/generated/prisma/client.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { recordChange } from '../records.js';
import { lockRound, weekOf } from './rows.js';

/**
 * No lab manager approved the round by its deadline: it publishes nothing and says so to every
 * requester and to the lab managers. The time stays free for first come, first served.
 */
export function lapseRoundActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function lapseRound(input: { roundId: string }): Promise<RoundSnapshot> {
    try {
      const row = await db.$transaction(async (tx) => {
        const round = await lockRound(tx, input.roundId);
        if (round.state === 'published' || round.state === 'lapsed') return round;
        const now = clock.now();
        const requests = await tx.allocationRequest.findMany({
          where: { roundId: round.id, state: 'submitted' },
        });
        const outcome: RoundOutcome = { kind: 'lapsed', words: lapsedWords };
        await tx.allocationRequest.updateMany({
          where: { roundId: round.id, state: 'submitted' },
          data: { state: 'lapsed', outcome: outcome as Prisma.InputJsonValue },
        });
        const lapsed = await tx.allocationRound.update({
          where: { id: round.id },
          data: { state: 'lapsed', lapsedAt: now },
        });
        const week = { roundId: round.id, weekStart: round.weekStart.toISOString(), approvalDeadline: round.approvalDeadline.toISOString() };
        const subject = `The round for ${weekOf(round)} was not approved by ${round.approvalDeadline.toISOString()}: nothing was published`;
        await recordChange(tx, {
          actor: undefined,
          action: 'round.lapsed',
          entityType: 'round',
          entityId: round.id,
          data: { requests: requests.length, revision: round.revision, state: round.state },
          notify: [
            ...requests.map((r) => ({
              recipientId: r.userId,
              tenantId: r.tenantId,
              kind: 'round.lapsed',
              subject,
              payload: { ...week, roundRequestId: r.id },
            })),
            { audience: 'lab_manager', kind: 'round.lapsed', subject, payload: { ...week, requests: requests.length } },
          ],
        });
        return lapsed;
      });
      return roundSnapshot(row, clock.now());
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}
