import type { Db } from '../../src/data/db.js';
import { roundSnapshot } from '../../src/data/round-view.js';
import type { Actor } from '../../src/domain/actor.js';
import { roundWorkflowId } from '../../src/domain/ids.js';
import {
  hongKongWeekStart,
  roundIdOf,
  roundOpeningInputSchema,
  roundTiming,
  roundWeekMs,
  type RoundOpeningInput,
  type RoundPlan,
  type RoundSnapshot,
} from '../../src/domain/round.js';
import { PilotlineError } from '../../src/errors.js';
import type { ActivityDeps } from '../deps.js';
import { asActivityFailure } from '../failure.js';
import { recordChange } from '../records.js';
import { weekOf } from './rows.js';

const hourMs = 3_600_000;

/** The standing settings, or their defaults before a lab manager set any. */
export async function allocationSettings(db: Pick<Db, 'allocationSettings'>) {
  return (
    (await db.allocationSettings.findUnique({ where: { id: 'default' } })) ?? {
      institutePct: 40,
      universityPct: 30,
      industryPct: 30,
      tolerancePts: 1,
    }
  );
}

/** The round the Schedule's firing opens: the week `weeksAhead` Mondays on; none while no type is allocated. */
export function nextRoundPlanActivity(deps: ActivityDeps) {
  return async function nextRoundPlan(raw: RoundOpeningInput): Promise<RoundPlan | null> {
    const input = roundOpeningInputSchema.parse(raw);
    const allocated = await deps.db.toolType.count({ where: { allocated: true } });
    if (allocated === 0) return null;
    const now = deps.clock.now();
    const weekStart = new Date(hongKongWeekStart(now).getTime() + input.weeksAhead * roundWeekMs);
    const closesAt = input.closeAfterMs
      ? new Date(now.getTime() + input.closeAfterMs)
      : new Date(weekStart.getTime() - roundTiming.closeLeadHours * hourMs);
    const approvalDeadline = input.approvalAfterMs
      ? new Date(now.getTime() + input.approvalAfterMs)
      : new Date(weekStart.getTime() - roundTiming.approvalLeadHours * hourMs);
    return {
      id: roundIdOf(weekStart),
      weekStart: weekStart.toISOString(),
      closesAt: closesAt.toISOString(),
      approvalDeadline: approvalDeadline.toISOString(),
    };
  };
}

/**
 * Creates the round a workflow runs, unless it exists (a retry, or a second opening of the same
 * week): the tool types and shares from the plan, else the standing settings. Tenants are told.
 */
export function openRoundActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function openRound(input: { plan: RoundPlan; actor: Actor }): Promise<RoundSnapshot> {
    const { plan, actor } = input;
    try {
      const existing = await db.allocationRound.findUnique({ where: { id: plan.id } });
      if (existing) return roundSnapshot(existing, clock.now());
      const settings = await allocationSettings(db);
      const toolTypeIds =
        plan.toolTypeIds ??
        (
          await db.toolType.findMany({
            where: { allocated: true },
            select: { id: true },
            orderBy: { id: 'asc' },
          })
        ).map((t) => t.id);
      if (toolTypeIds.length === 0) {
        throw new PilotlineError(
          'INVALID_STATE',
          'No tool type is allocated: mark the scarce ones in the allocation settings first',
        );
      }
      const known = await db.toolType.count({ where: { id: { in: toolTypeIds } } });
      if (known !== new Set(toolTypeIds).size)
        throw new PilotlineError('NOT_FOUND', `Unknown tool type among ${toolTypeIds.join(', ')}`);
      const weekStart = new Date(plan.weekStart);
      const shares = plan.shares ?? {
        institute: settings.institutePct,
        university: settings.universityPct,
        industry: settings.industryPct,
      };
      const row = await db.$transaction(async (tx) => {
        const created = await tx.allocationRound.create({
          data: {
            id: plan.id,
            workflowId: roundWorkflowId(plan.id),
            weekStart,
            weekEnd: new Date(weekStart.getTime() + roundWeekMs),
            toolTypeIds: [...new Set(toolTypeIds)].sort(),
            closesAt: new Date(plan.closesAt),
            approvalDeadline: new Date(plan.approvalDeadline),
            institutePct: shares.institute,
            universityPct: shares.university,
            industryPct: shares.industry,
            tolerancePts: settings.tolerancePts,
          },
        });
        await recordChange(tx, {
          actor,
          action: 'round.opened',
          entityType: 'round',
          entityId: created.id,
          data: {
            toolTypeIds: created.toolTypeIds,
            closesAt: plan.closesAt,
            approvalDeadline: plan.approvalDeadline,
            shares,
          },
          notify: [
            {
              audience: 'tenant_user',
              kind: 'round.opened',
              subject: `Allocation round open for ${weekOf(created)} (${created.toolTypeIds.join(', ')}): requests until ${plan.closesAt}`,
              payload: {
                roundId: created.id,
                weekStart: created.weekStart.toISOString(),
                closesAt: created.closesAt.toISOString(),
                toolTypeIds: created.toolTypeIds,
              },
            },
          ],
        });
        return created;
      });
      return roundSnapshot(row, clock.now());
    } catch (err) {
      // Two openings of one week racing: the other one's row is the answer.
      const row = await db.allocationRound.findUnique({ where: { id: plan.id } }).catch(() => null);
      if (row) return roundSnapshot(row, clock.now());
      throw asActivityFailure(err);
    }
  };
}
