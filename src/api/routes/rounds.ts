import {
  ServiceError,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { z } from 'zod';
import type { roundWorkflow } from '../../../workflows/round.js';
import {
  approveRoundUpdate,
  closeRoundUpdate,
  rerunRoundUpdate,
  roundOpenedUpdate,
} from '../../../workflows/messages.js';
import { readAllocationSettings, saveAllocationSettings } from '../../data/allocation-settings.js';
import { submitRoundRequest, withdrawRoundRequest } from '../../data/round-requests.js';
import { roundRequestView, roundView } from '../../data/round-view.js';
import { actsForAllTenants, type Actor } from '../../domain/actor.js';
import { roundWorkflowId } from '../../domain/ids.js';
import { managerRoles, roles } from '../../domain/roles.js';
import { roundProposalSchema } from '../../domain/round-proposal.js';
import {
  allocationSettingsSchema,
  roundApproveSchema,
  roundIdOf,
  roundOpenSchema,
  roundRequestSubmitSchema,
  roundRequestViewSchema,
  roundRerunSchema,
  roundTiming,
  roundViewSchema,
  weekStartOfDay,
} from '../../domain/round.js';
import type { FieldIssue } from '../../errors.js';
import { noteSchema } from '../../domain/input.js';
import { PilotlineError } from '../../errors.js';
import type { AllocationRound } from '../../generated/prisma/client.js';
import type { AuthenticatedActor } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';
import { fromWorkflowFailure } from '../workflow-errors.js';

const roundParams = z.object({
  id: z.iso.date().describe('Round id: the Monday its week starts, YYYY-MM-DD'),
});
const requestParams = z.object({ id: z.uuid().describe('Round request id') });
const hourMs = 3_600_000;
const actorOf = (a: AuthenticatedActor): Actor => ({ userId: a.userId, tenantId: a.tenantId, role: a.role });
const reviewSchema = z.object({
  round: roundViewSchema,
  proposal: roundProposalSchema,
  requests: z.array(roundRequestViewSchema),
});

function invalid(issues: FieldIssue[]): PilotlineError {
  return new PilotlineError('VALIDATION_FAILED', issues.map((i) => `${i.field}: ${i.message}`).join('; '), {
    issues,
  });
}

/** A round that is over says so (its workflow has ended). */
function requireState(
  round: AllocationRound,
  states: readonly AllocationRound['state'][],
  what: string,
): void {
  if (!states.includes(round.state)) {
    throw new PilotlineError(
      'INVALID_STATE',
      `The round for the week of ${round.id} is ${round.state}; ${what}`,
      { details: { state: round.state } },
    );
  }
}

export function roundRoutes(deps: ApiDeps) {
  const { client, taskQueue } = deps.temporal;
  const { db, clock } = deps;

  async function findRound(id: string): Promise<AllocationRound> {
    const round = await db.allocationRound.findUnique({ where: { id } });
    if (!round) throw new PilotlineError('NOT_FOUND', `No allocation round ${id}`);
    return round;
  }

  async function send<R>(round: AllocationRound, call: (handle: WorkflowHandle) => Promise<R>): Promise<R> {
    try {
      return await call(client.workflow.getHandle(round.workflowId));
    } catch (err) {
      // A finished round's workflow has ended: say what the round is, not that a workflow is gone.
      if (
        err instanceof WorkflowNotFoundError ||
        (err instanceof ServiceError && /completed|not found/i.test(err.message))
      ) {
        const fresh = await findRound(round.id);
        throw new PilotlineError('INVALID_STATE', `The round for the week of ${round.id} is ${fresh.state}`, {
          details: { state: fresh.state },
        });
      }
      throw fromWorkflowFailure(err);
    }
  }

  async function review(round: AllocationRound) {
    const proposal = roundProposalSchema.safeParse(round.proposal);
    if (!proposal.success)
      throw new PilotlineError(
        'NOT_FOUND',
        `The round for the week of ${round.id} has no proposal yet (it is ${round.state})`,
      );
    const requests = await db.allocationRequest.findMany({
      where: { roundId: round.id },
      orderBy: { seq: 'asc' },
    });
    return { round: roundView(round), proposal: proposal.data, requests: requests.map(roundRequestView) };
  }

  return [
    defineRoute({
      method: 'GET',
      url: '/api/allocation/settings',
      summary: 'Which tool types are allocated in weekly rounds, and the target share of each tenant class',
      tag: 'rounds',
      access: roles,
      response: allocationSettingsSchema,
      handler: () => readAllocationSettings(db),
    }),

    defineRoute({
      method: 'PUT',
      url: '/api/allocation/settings',
      summary:
        'Set the allocated tool types, the class shares (adding up to 100 %) and the tolerance (lab managers)',
      tag: 'rounds',
      access: managerRoles,
      body: allocationSettingsSchema,
      response: allocationSettingsSchema,
      errors: ['NOT_FOUND'],
      async handler({ body, actor }) {
        const types = [...new Set(body.toolTypeIds)];
        const known = await db.toolType.findMany({ where: { id: { in: types } }, select: { id: true } });
        const unknown = types.filter((t) => !known.some((k) => k.id === t));
        if (unknown.length) throw new PilotlineError('NOT_FOUND', `No tool type ${unknown.join(', ')}`);
        await saveAllocationSettings(db, actorOf(actor), { ...body, toolTypeIds: types });
        return readAllocationSettings(db);
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/rounds',
      summary: 'Allocation rounds, the latest week first',
      tag: 'rounds',
      access: roles,
      response: z.object({ rounds: z.array(roundViewSchema) }),
      async handler() {
        const rows = await db.allocationRound.findMany({ orderBy: { weekStart: 'desc' }, take: 60 });
        return { rounds: rows.map(roundView) };
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/rounds',
      summary: 'Open the round for a week now (lab managers; the weekly Schedule opens them two weeks ahead)',
      tag: 'rounds',
      access: managerRoles,
      body: roundOpenSchema,
      status: 201,
      response: roundViewSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE'],
      async handler({ body, actor }) {
        const weekStart = weekStartOfDay(body.weekStart);
        const closesAt = body.closesAt
          ? new Date(body.closesAt)
          : new Date(weekStart.getTime() - roundTiming.closeLeadHours * hourMs);
        const approvalDeadline = body.approvalDeadline
          ? new Date(body.approvalDeadline)
          : new Date(weekStart.getTime() - roundTiming.approvalLeadHours * hourMs);
        const issues: FieldIssue[] = [];
        if (closesAt.getTime() <= clock.now().getTime())
          issues.push({
            field: 'body.closesAt',
            message: 'must be in the future: the round takes requests until then',
          });
        if (approvalDeadline.getTime() < closesAt.getTime())
          issues.push({ field: 'body.approvalDeadline', message: 'must not be before closesAt' });
        if (approvalDeadline.getTime() > weekStart.getTime())
          issues.push({ field: 'body.approvalDeadline', message: 'must not be after the week starts' });
        if (issues.length) throw invalid(issues);
        if (body.toolTypeIds) {
          const known = await db.toolType.count({ where: { id: { in: [...new Set(body.toolTypeIds)] } } });
          if (known !== new Set(body.toolTypeIds).size)
            throw new PilotlineError('NOT_FOUND', `Unknown tool type among ${body.toolTypeIds.join(', ')}`);
        }
        const id = roundIdOf(weekStart);
        const plan = {
          id,
          weekStart: weekStart.toISOString(),
          closesAt: closesAt.toISOString(),
          approvalDeadline: approvalDeadline.toISOString(),
          ...(body.toolTypeIds ? { toolTypeIds: body.toolTypeIds } : {}),
          ...(body.shares ? { shares: body.shares } : {}),
        };
        const startWorkflowOperation = new WithStartWorkflowOperation<typeof roundWorkflow>('roundWorkflow', {
          workflowId: roundWorkflowId(id),
          taskQueue,
          args: [{ plan, actor: actorOf(actor) }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        });
        try {
          return await client.workflow.executeUpdateWithStart(roundOpenedUpdate, {
            updateId: 'roundOpened',
            startWorkflowOperation,
          });
        } catch (err) {
          // The week's round is over already: it is the answer.
          if (err instanceof WorkflowExecutionAlreadyStartedError) return roundView(await findRound(id));
          throw fromWorkflowFailure(err);
        }
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/rounds/:id',
      summary: 'One allocation round: its week, tool types, shares, deadlines and state',
      tag: 'rounds',
      access: roles,
      params: roundParams,
      response: roundViewSchema,
      errors: ['NOT_FOUND'],
      handler: async ({ params }) => roundView(await findRound(params.id)),
    }),

    defineRoute({
      method: 'POST',
      url: '/api/rounds/:id/requests',
      summary:
        'Submit a request to an open round (until its deadline): a duration in a window of its week on one of its tool types',
      tag: 'rounds',
      access: roles,
      params: roundParams,
      body: roundRequestSubmitSchema,
      status: 201,
      response: roundRequestViewSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE', 'FORBIDDEN'],
      async handler({ params, body, actor }) {
        await findRound(params.id);
        return submitRoundRequest(db, clock.now(), {
          roundId: params.id,
          actor: actorOf(actor),
          request: body,
        });
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/rounds/:id/requests',
      summary: "A round's requests (a tenant user sees their own tenant's) with their outcome once published",
      tag: 'rounds',
      access: roles,
      params: roundParams,
      response: z.object({ requests: z.array(roundRequestViewSchema) }),
      errors: ['NOT_FOUND'],
      async handler({ params, actor }) {
        await findRound(params.id);
        const rows = await db.allocationRequest.findMany({
          where: { roundId: params.id, ...(actsForAllTenants(actor) ? {} : { tenantId: actor.tenantId }) },
          orderBy: { seq: 'asc' },
        });
        return { requests: rows.map(roundRequestView) };
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/round-requests',
      summary:
        "Round requests across rounds, newest first: a tenant user's own tenant's (or only their own with mine=true)",
      tag: 'rounds',
      access: roles,
      query: z.object({ mine: z.stringbool().optional().describe('Only the caller’s own requests') }),
      response: z.object({ requests: z.array(roundRequestViewSchema) }),
      async handler({ query, actor }) {
        const rows = await db.allocationRequest.findMany({
          where: {
            ...(actsForAllTenants(actor) ? {} : { tenantId: actor.tenantId }),
            ...(query.mine ? { userId: actor.userId } : {}),
          },
          orderBy: { seq: 'desc' },
          take: 200,
        });
        return { requests: rows.map(roundRequestView) };
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/round-requests/:id/withdraw',
      summary: 'Withdraw a request while its round is open (its tenant, or staff)',
      tag: 'rounds',
      access: roles,
      params: requestParams,
      response: roundRequestViewSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE'],
      async handler({ params, actor }) {
        return withdrawRoundRequest(db, clock.now(), { actor: actorOf(actor), id: params.id });
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/rounds/:id/close',
      summary:
        'Close an open round before its deadline (lab managers, once every tenant has submitted); the answer is the round once proposed',
      tag: 'rounds',
      access: managerRoles,
      params: roundParams,
      body: z.object({ note: noteSchema.optional() }),
      response: roundViewSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE', 'FORBIDDEN'],
      async handler({ params, body, actor }) {
        const round = await findRound(params.id);
        requireState(round, ['open'], 'only an open round is closed');
        return send(round, (h) =>
          h.executeUpdate(closeRoundUpdate, { args: [{ actor: actorOf(actor), ...body }] }),
        );
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/rounds/:id/proposal',
      summary:
        'The proposed schedule in review (lab managers): grants, requests left out and why, shares per class and tenant, fairness beside first come first served, the diff to the calendar',
      tag: 'rounds',
      access: managerRoles,
      params: roundParams,
      response: reviewSchema,
      errors: ['NOT_FOUND'],
      handler: async ({ params }) => review(await findRound(params.id)),
    }),

    defineRoute({
      method: 'POST',
      url: '/api/rounds/:id/rerun',
      summary:
        'Change the pinned and dropped requests and the shares, and run the solver again (lab managers); the answer is the new proposal',
      tag: 'rounds',
      access: managerRoles,
      params: roundParams,
      body: roundRerunSchema,
      response: reviewSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE', 'FORBIDDEN'],
      async handler({ params, body, actor }) {
        const round = await findRound(params.id);
        requireState(round, ['proposed'], 'only a proposed round is changed and run again');
        await send(round, (h) =>
          h.executeUpdate(rerunRoundUpdate, { args: [{ actor: actorOf(actor), ...body }] }),
        );
        return review(await findRound(params.id));
      },
    }),

    defineRoute({
      method: 'POST',
      url: '/api/rounds/:id/approve',
      summary:
        'Approve the proposal in review as a whole (lab managers): its bookings are written and tenants told. If the calendar changed since, nothing is written and a new proposal is made (409 SLOT_TAKEN naming it)',
      tag: 'rounds',
      access: managerRoles,
      params: roundParams,
      body: roundApproveSchema,
      response: roundViewSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE', 'SLOT_TAKEN', 'FORBIDDEN'],
      async handler({ params, body, actor }) {
        const round = await findRound(params.id);
        requireState(round, ['proposed'], 'only a proposed round is approved');
        return send(round, (h) =>
          h.executeUpdate(approveRoundUpdate, { args: [{ actor: actorOf(actor), ...body }] }),
        );
      },
    }),
  ];
}
