import {
  allocationInputOf,
  loadRoundCalendar,
  proposeAllocation,
  type RoundSearch,
} from '../../src/calendar/round-plan.js';
import { roundSnapshot } from '../../src/data/round-view.js';
import type { Actor } from '../../src/domain/actor.js';
import { roundProposalSchema, type RoundProposal } from '../../src/domain/round-proposal.js';
import type { ClassSharesView, RoundSnapshot } from '../../src/domain/round.js';
import type { FieldIssue } from '../../src/errors.js';
import type { Prisma } from '../../src/generated/prisma/client.js';
import type { Tx } from '../../src/data/db.js';
import { PilotlineError } from '../../src/errors.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { recordChange } from '../records.js';
import { lockRound, weekOf } from './rows.js';

/** The proposal a round row holds, if any. */
export function proposalOf(value: unknown): RoundProposal | null {
  const parsed = roundProposalSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The round's deadline has passed: it takes no more requests. */
export function closeRoundActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function closeRound(input: { roundId: string; actor?: Actor }): Promise<RoundSnapshot> {
    try {
      const row = await db.$transaction(async (tx) => {
        const round = await lockRound(tx, input.roundId);
        if (round.state !== 'open') return round;
        const closed = await tx.allocationRound.update({
          where: { id: round.id },
          data: { state: 'closed' },
        });
        const count = await tx.allocationRequest.count({ where: { roundId: round.id, state: 'submitted' } });
        await recordChange(tx, {
          actor: input.actor,
          action: 'round.closed',
          entityType: 'round',
          entityId: round.id,
          data: { requests: count },
        });
        return closed;
      });
      return roundSnapshot(row, clock.now());
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}

export interface RoundChanges {
  pinned?: string[];
  dropped?: string[];
  shares?: ClassSharesView;
  note?: string;
}

/**
 * Runs the solver on the closed round (the first proposal) or again after a lab manager's changes:
 * the pin and drop sets and the shares are written, then the proposal with the next revision.
 * Nothing on the calendar changes. Lab managers are told a proposal waits for them.
 */
export function proposeRoundActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function proposeRound(input: {
    roundId: string;
    actor?: Actor;
    changes?: RoundChanges;
    search?: RoundSearch;
  }): Promise<RoundSnapshot> {
    const { roundId, actor, changes } = input;
    try {
      // One transaction: the changes, the solver's run on what they make of the round, the proposal.
      const row = await db.$transaction(
        async (tx) => {
          if (changes) await applyChanges(tx, roundId, actor, changes);
          const round = await lockRound(tx, roundId);
          if (round.state !== 'closed' && round.state !== 'proposed') {
            throw new PilotlineError(
              'INVALID_STATE',
              `The round is ${round.state}; only a closed round is proposed`,
            );
          }
          const requests = await tx.allocationRequest.findMany({
            where: { roundId, state: 'submitted' },
            orderBy: { seq: 'asc' },
          });
          const now = clock.now();
          const snapshot = await loadRoundCalendar(tx, round, requests);
          const allocation = allocationInputOf(round, requests, proposalOf(round.proposal), now);
          const proposal = proposeAllocation(snapshot, round, allocation, {
            revision: round.revision + 1,
            proposedAt: now,
            ...(input.search ? { search: input.search } : {}),
          });
          const updated = await tx.allocationRound.update({
            where: { id: roundId },
            data: {
              state: 'proposed',
              revision: proposal.revision,
              proposal: proposal as unknown as Prisma.InputJsonValue,
              proposedAt: now,
            },
          });
          await recordChange(tx, {
            actor,
            action: 'round.proposed',
            entityType: 'round',
            entityId: roundId,
            data: {
              revision: proposal.revision,
              granted: proposal.figures.granted,
              grantedMinutes: proposal.figures.grantedMinutes,
              shareDeviationPts: proposal.figures.shareDeviationPts,
              ...(changes?.note ? { note: changes.note } : {}),
            },
            notify: [
              {
                audience: 'lab_manager',
                kind: 'round.proposal_ready',
                subject: `Proposal ${proposal.revision} for ${weekOf(round)}: ${proposal.figures.granted} of ${proposal.figures.requests} requests granted; approve by ${round.approvalDeadline.toISOString()}`,
                payload: {
                  roundId,
                  weekStart: round.weekStart.toISOString(),
                  approvalDeadline: round.approvalDeadline.toISOString(),
                  revision: proposal.revision,
                  granted: proposal.figures.granted,
                  requests: proposal.figures.requests,
                },
              },
            ],
          });
          return updated;
        },
        { timeout: 60_000 },
      );
      return roundSnapshot(row, clock.now());
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
}

/** Writes a lab manager's pins, drops and shares (whole sets), each change in the audit log. */
async function applyChanges(
  tx: Tx,
  roundId: string,
  actor: Actor | undefined,
  changes: RoundChanges,
): Promise<void> {
  const round = await lockRound(tx, roundId);
  if (round.state !== 'proposed')
    throw new PilotlineError(
      'INVALID_STATE',
      `The round is ${round.state}; only a proposed round is changed`,
    );
  const requests = await tx.allocationRequest.findMany({
    where: { roundId, state: 'submitted' },
    select: { id: true, pinned: true, dropped: true },
  });
  const known = new Set(requests.map((r) => r.id));
  const issues: FieldIssue[] = [];
  for (const field of ['pinned', 'dropped'] as const) {
    const strangers = (changes[field] ?? []).filter((id) => !known.has(id));
    if (strangers.length)
      issues.push({
        field: `body.${field}`,
        message: `not requests of this round: ${strangers.join(', ')}`,
      });
  }
  const pinned = new Set(changes.pinned ?? requests.filter((r) => r.pinned).map((r) => r.id));
  const dropped = new Set(changes.dropped ?? requests.filter((r) => r.dropped).map((r) => r.id));
  const both = [...pinned].filter((id) => dropped.has(id));
  if (both.length)
    issues.push({
      field: 'body.dropped',
      message: `a request cannot be both pinned and dropped: ${both.join(', ')}`,
    });
  if (issues.length)
    throw new PilotlineError('VALIDATION_FAILED', issues.map((i) => `${i.field}: ${i.message}`).join('; '), {
      issues,
    });
  for (const r of requests) {
    const pin = pinned.has(r.id);
    const drop = dropped.has(r.id);
    if (pin !== r.pinned || drop !== r.dropped)
      await tx.allocationRequest.update({ where: { id: r.id }, data: { pinned: pin, dropped: drop } });
  }
  if (changes.shares) {
    await tx.allocationRound.update({
      where: { id: roundId },
      data: {
        institutePct: changes.shares.institute,
        universityPct: changes.shares.university,
        industryPct: changes.shares.industry,
      },
    });
  }
  await recordChange(tx, {
    actor,
    action: 'round.changed',
    entityType: 'round',
    entityId: roundId,
    data: {
      pinned: [...pinned],
      dropped: [...dropped],
      ...(changes.shares ? { shares: changes.shares } : {}),
      ...(changes.note ? { note: changes.note } : {}),
    },
  });
}
