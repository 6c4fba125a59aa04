import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import type { waitListWorkflow } from '../../../workflows/wait-list.js';
import {
  acceptOfferUpdate,
  declineOfferUpdate,
  joinWaitListUpdate,
  joinWaitListUpdateId,
  withdrawFromWaitListUpdate,
} from '../../../workflows/messages.js';
import { entryWithOpenOffer, latestStartOf, waitListEntryView } from '../../data/wait-list-view.js';
import { actsForAllTenants, type Actor } from '../../domain/actor.js';
import { waitListWorkflowId } from '../../domain/ids.js';
import { entityId, noteSchema } from '../../domain/input.js';
import { roles } from '../../domain/roles.js';
import {
  acceptedOfferSchema,
  isWaitListClosed,
  waitListEntryViewSchema,
  waitListJoinSchema,
  waitListStateSchema,
  type WaitListEntryView,
} from '../../domain/wait-list.js';
import { PilotlineError } from '../../errors.js';
import type { AuthenticatedActor } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';
import { fromWorkflowFailure } from '../workflow-errors.js';
import { withAbortedUpdateRetried } from '../update-retry.js';

const idParams = z.object({ id: z.uuid().describe('Wait-list entry id') });
const noteBody = z.object({ note: noteSchema.optional() });
const listQuery = z.object({
  mine: z.stringbool().optional().describe('Only the caller’s own entries'),
  tenant: entityId().optional(),
  state: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',') : undefined))
    .pipe(z.array(waitListStateSchema).optional())
    .describe('One state or a comma-separated list'),
  limit: z.coerce.number<string | undefined>().int().min(1).max(500).default(100),
});

const actorOf = (a: AuthenticatedActor): Actor => ({ userId: a.userId, tenantId: a.tenantId, role: a.role });

/** Every wait-list entry shows only its own request and its own offered slot: nothing of other tenants. */
export function waitListRoutes(deps: ApiDeps) {
  const { client, taskQueue } = deps.temporal;

  /** An entry the actor may see: their own tenant's, or any for staff; others are not found. */
  async function visibleEntry(actor: Actor, id: string) {
    const row = await deps.db.waitListEntry.findUnique({ where: { id }, include: entryWithOpenOffer });
    if (!row || (!actsForAllTenants(actor) && row.tenantId !== actor.tenantId)) {
      throw new PilotlineError('NOT_FOUND', `No wait-list entry ${id}`);
    }
    return row;
  }

  async function answer<A>(actor: AuthenticatedActor, id: string, send: (handle: ReturnType<typeof client.workflow.getHandle>, actor: Actor) => Promise<A>): Promise<A> {
    const row = await visibleEntry(actor, id);
    if (isWaitListClosed(row.state)) throw new PilotlineError('INVALID_STATE', `The wait-list entry is ${row.state}; nothing more can change it`);
    try {
      return await withAbortedUpdateRetried(() => send(client.workflow.getHandle(row.workflowId), actorOf(actor)));
    } catch (err) {
      throw fromWorkflowFailure(err);
    }
  }

  return [
    defineRoute({
      method: 'POST',
      url: '/api/wait-list',
      summary: 'Wait for time in a window no slot fits now: freed time is offered in the fair order, with a deadline to accept',
      tag: 'wait list',
      access: roles,
      body: waitListJoinSchema,
      status: 201,
      response: waitListEntryViewSchema,
      errors: ['NOT_FOUND', 'FORBIDDEN'],
      async handler({ body, actor }) {
        const waiter = actorOf(actor);
        if (latestStartOf({ latestEnd: new Date(body.latestEnd), durationMin: body.durationMin }) <= deps.clock.now()) {
          throw new PilotlineError('VALIDATION_FAILED', 'The window has passed: nothing could be offered in it', {
            issues: [{ field: 'body.latestEnd', message: 'must leave durationMin after now' }],
          });
        }
        const tools = await deps.db.tool.count({ where: body.toolIds?.length ? { id: { in: body.toolIds } } : { toolTypeId: body.toolTypeId ?? '' } });
        if (!tools) throw new PilotlineError('NOT_FOUND', 'No tool matches the request: nothing to wait for');
        const startWorkflowOperation = new WithStartWorkflowOperation<typeof waitListWorkflow>('waitListWorkflow', {
          workflowId: waitListWorkflowId(body.requestId),
          taskQueue,
          args: [{ request: body, actor: waiter }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        });
        let entry: WaitListEntryView;
        try {
          entry = await client.workflow.executeUpdateWithStart(joinWaitListUpdate, { updateId: joinWaitListUpdateId, startWorkflowOperation });
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw fromWorkflowFailure(err);
          // The entry's workflow has finished: its row is the answer.
          const row = await deps.db.waitListEntry.findUnique({ where: { requestId: body.requestId }, include: entryWithOpenOffer });
          if (!row) throw fromWorkflowFailure(err);
          entry = waitListEntryView(row);
        }
        if (entry.userId !== waiter.userId) throw new PilotlineError('FORBIDDEN', 'That requestId belongs to another request');
        return entry;
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/wait-list',
      summary: "Wait-list entries with their open offers; a tenant user sees their own tenant's only",
      tag: 'wait list',
      access: roles,
      query: listQuery,
      response: z.object({ entries: z.array(waitListEntryViewSchema) }),
      async handler({ query, actor }) {
        if (!actsForAllTenants(actor) && query.tenant && query.tenant !== actor.tenantId) {
          throw new PilotlineError('FORBIDDEN', "A tenant user sees only their own tenant's wait-list entries");
        }
        const rows = await deps.db.waitListEntry.findMany({
          where: {
            tenantId: actsForAllTenants(actor) ? query.tenant : actor.tenantId,
            userId: query.mine ? actor.userId : undefined,
            state: query.state ? { in: query.state } : undefined,
          },
          include: entryWithOpenOffer,
          orderBy: [{ seq: 'desc' }],
          take: query.limit,
        });
        return { entries: rows.map(waitListEntryView) };
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/wait-list/:id',
      summary: 'One wait-list entry and its open offer',
      tag: 'wait list',
      access: roles,
      params: idParams,
      response: waitListEntryViewSchema,
      errors: ['NOT_FOUND'],
      handler: async ({ params, actor }) => waitListEntryView(await visibleEntry(actor, params.id)),
    }),

    defineRoute({
      method: 'POST',
      url: '/api/wait-list/:id/accept',
      summary: 'Accept the open offer: the held slot becomes your booking (held for approval where the policy needs it)',
      tag: 'wait list',
      access: roles,
      params: idParams,
      body: noteBody,
      response: acceptedOfferSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE', 'FORBIDDEN'],
      handler: ({ params, actor, body }) => answer(actor, params.id, (h, a) => h.executeUpdate(acceptOfferUpdate, { args: [{ actor: a, ...body }] })),
    }),

    defineRoute({
      method: 'POST',
      url: '/api/wait-list/:id/decline',
      summary: 'Decline the open offer: the time goes to the next waiter; you stay on the list',
      tag: 'wait list',
      access: roles,
      params: idParams,
      body: noteBody,
      response: waitListEntryViewSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE', 'FORBIDDEN'],
      handler: ({ params, actor, body }) => answer(actor, params.id, (h, a) => h.executeUpdate(declineOfferUpdate, { args: [{ actor: a, ...body }] })),
    }),

    defineRoute({
      method: 'POST',
      url: '/api/wait-list/:id/withdraw',
      summary: 'Leave the wait list (an open offer is released to the next waiter)',
      tag: 'wait list',
      access: roles,
      params: idParams,
      body: noteBody,
      response: waitListEntryViewSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE', 'FORBIDDEN'],
      handler: ({ params, actor, body }) => answer(actor, params.id, (h, a) => h.executeUpdate(withdrawFromWaitListUpdate, { args: [{ actor: a, ...body }] })),
    }),
  ];
}
