import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import { z } from 'zod';
import { lotView, lotWithSteps, type LotRow } from '../../data/lot-view.js';
import { projectToCharge } from '../../data/project-charge.js';
import type { lotRouteWorkflow } from '../../../workflows/lot.js';
import { approveLotUpdate, cancelLotUpdate, checkInLotStepUpdate, checkOutLotStepUpdate, lotStatusQuery, placeLotUpdate, rejectLotUpdate } from '../../../workflows/messages.js';
import { lotWorkflowId } from '../../domain/ids.js';
import { actsForAllTenants, type Actor } from '../../domain/actor.js';
import { managerRoles, roles, type Role } from '../../domain/roles.js';
import { entityId, noteSchema, text } from '../../domain/input.js';
import { lotRequestSchema, lotStateSchema, lotViewSchema, maxLotSteps, qtimeAlertSchema } from '../../domain/lot.js';
import { PilotlineError } from '../../errors.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { cursorField, encodeCursor, likeLiteral } from '../cursor.js';
import type { AuthenticatedActor } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';
import { fromWorkflowFailure } from '../workflow-errors.js';
import { requesterOf } from '../workflow-requester.js';

const idParams = z.object({ id: z.uuid().describe('Lot id') });
const lotListQuery = z.object({
  mine: z.stringbool().optional().describe('Only the caller’s own lot routes'),
  tenant: entityId().optional().describe('Staff only: one tenant’s lot routes'),
  state: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',') : undefined))
    .pipe(z.array(lotStateSchema).optional())
    .describe('One state or a comma-separated list'),
  q: text({ max: 100 })
    .transform((s) => s.trim())
    .optional()
    .describe('Search: the lot’s name or request id; for staff also the user’s and tenant’s names and ids'),
  limit: z.coerce.number<string | undefined>().int().min(1).max(200).default(50),
  cursor: cursorField(z.object({ s: z.number().int(), i: z.uuid() })).optional(),
});
const stepParams = z.object({ id: z.uuid(), seq: z.coerce.number<string>().int().min(1).max(maxLotSteps) });
const actorOf = (a: AuthenticatedActor): Actor => ({ userId: a.userId, tenantId: a.tenantId, role: a.role });

/** Only a held lot is decided; a released one says why it went (its workflow may have ended). */
function onlyHeld(row: LotRow): void {
  if (row.state !== 'held') {
    throw new PilotlineError('INVALID_STATE', `The lot is ${row.state}${row.cancelReason ? ` (${row.cancelReason})` : ''}; only a held lot is decided`);
  }
}

export function lotRoutes(deps: ApiDeps) {
  const { client, taskQueue } = deps.temporal;

  /** A lot the actor may see: their tenant's, or any for staff; others are not found. */
  async function visibleLot(actor: Actor, id: string) {
    const row = await deps.db.lot.findUnique({ where: { id }, include: lotWithSteps });
    if (!row || (!actsForAllTenants(actor) && row.tenantId !== actor.tenantId)) throw new PilotlineError('NOT_FOUND', `No lot ${id}`);
    return row;
  }

  async function onLot<R>(
    actor: AuthenticatedActor,
    id: string,
    send: (handle: WorkflowHandle, actor: Actor) => Promise<R>,
    precondition: (row: LotRow) => void = () => undefined,
  ): Promise<R> {
    const row = await visibleLot(actor, id);
    precondition(row);
    try {
      return await send(client.workflow.getHandle(row.workflowId), actorOf(actor));
    } catch (err) {
      throw fromWorkflowFailure(err);
    }
  }

  const notYours = () => new PilotlineError('FORBIDDEN', 'That requestId belongs to another request');
  /** A route that did not fit is explained to its requester only. */
  async function refuseAnother(requestId: string, actor: Actor): Promise<void> {
    if ((await requesterOf(client, deps.temporal.namespace, lotWorkflowId(requestId))) !== actor.userId) throw notYours();
  }

  const lotAction = <B extends z.ZodType | undefined>(
    name: string,
    summary: string,
    access: readonly Role[],
    body: B,
    send: (handle: WorkflowHandle, actor: Actor, body: B extends z.ZodType ? z.output<B> : undefined) => Promise<z.input<typeof lotViewSchema>>,
    precondition?: (row: LotRow) => void,
  ) =>
    defineRoute({
      method: 'POST',
      url: `/api/lots/:id/${name}`,
      summary,
      tag: 'lots',
      access,
      params: idParams,
      ...(body ? { body } : {}),
      response: lotViewSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE', 'FORBIDDEN'],
      handler: ({ params, actor, body: parsed }) => onLot(actor, params.id, (h, a) => send(h, a, parsed as never), precondition),
    });

  const stepAction = (name: 'check-in' | 'check-out', summary: string) =>
    defineRoute({
      method: 'POST',
      url: `/api/lots/:id/steps/:seq/${name}`,
      summary,
      tag: 'lots',
      access: roles,
      params: stepParams,
      response: lotViewSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE', 'FORBIDDEN'],
      handler: ({ params, actor }) =>
        onLot(actor, params.id, (h, a) =>
          h.executeUpdate(name === 'check-in' ? checkInLotStepUpdate : checkOutLotStepUpdate, { args: [{ actor: a, seq: params.seq }] }),
        ),
    });

  return [
    defineRoute({
      method: 'POST',
      url: '/api/lots',
      summary: "Submit a lot route: every step placed by the optimizer within its Q-time limits and held together, or why it does not fit",
      tag: 'lots',
      access: roles,
      body: lotRequestSchema,
      status: 201,
      response: z.object({ lot: lotViewSchema, approvalRequired: z.boolean() }),
      errors: ['NO_FEASIBLE_SLOT', 'FORBIDDEN'],
      async handler({ body, actor }) {
        const owner = actorOf(actor);
        const projectId = await projectToCharge(deps.db, owner, body.projectId, deps.clock.now());
        const startWorkflowOperation = new WithStartWorkflowOperation<typeof lotRouteWorkflow>('lotRouteWorkflow', {
          workflowId: lotWorkflowId(body.requestId),
          taskQueue,
          args: [{ request: { ...body, ...(projectId ? { projectId } : {}) }, actor: owner }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        });
        let result;
        try {
          result = await client.workflow.executeUpdateWithStart(placeLotUpdate, { updateId: 'placeLot', startWorkflowOperation });
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw fromWorkflowFailure(err);
          const row = await deps.db.lot.findUnique({ where: { requestId: body.requestId }, include: lotWithSteps });
          if (!row) {
            await refuseAnother(body.requestId, owner);
            throw new PilotlineError('NO_FEASIBLE_SLOT', 'The route did not fit when it was submitted');
          }
          if (row.userId !== owner.userId) throw notYours();
          return { lot: lotView(row), approvalRequired: row.decidedById !== null };
        }
        if (result.kind === 'unplaced') {
          await refuseAnother(body.requestId, owner);
          throw new PilotlineError('NO_FEASIBLE_SLOT', 'The route does not fit; no step was booked', { details: { explanation: result.explanation } });
        }
        if (result.snapshot.lot.userId !== owner.userId) throw notYours();
        return { lot: result.snapshot.lot, approvalRequired: result.approvalRequired };
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/lots',
      summary: "Lot routes, newest first in pages (cursor), filtered and searched; a tenant user sees their own tenant's",
      tag: 'lots',
      access: roles,
      query: lotListQuery,
      response: z.object({
        lots: z.array(lotViewSchema),
        nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
      }),
      errors: ['FORBIDDEN'],
      async handler({ query, actor }) {
        const staff = actsForAllTenants(actor);
        if (!staff && query.tenant && query.tenant !== actor.tenantId) {
          throw new PilotlineError('FORBIDDEN', "A tenant user sees only their own tenant's lot routes");
        }
        const and: Prisma.LotWhereInput[] = [];
        if (query.q) {
          const like = { contains: likeLiteral(query.q), mode: 'insensitive' as const };
          and.push({ OR: [{ name: like }, { requestId: like }, ...(staff ? [{ userId: like }, { user: { name: like } }, { tenantId: like }, { tenant: { name: like } }] : [])] });
        }
        if (query.cursor) {
          const at = new Date(query.cursor.s);
          and.push({ OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: query.cursor.i } }] });
        }
        const rows = await deps.db.lot.findMany({
          where: {
            tenantId: staff ? query.tenant : actor.tenantId,
            userId: query.mine ? actor.userId : undefined,
            state: query.state ? { in: query.state } : undefined,
            AND: and,
          },
          include: lotWithSteps,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: query.limit + 1,
        });
        const page = rows.slice(0, query.limit);
        const last = page.at(-1);
        return {
          lots: page.map(lotView),
          nextCursor: rows.length > query.limit && last ? encodeCursor({ s: last.createdAt.getTime(), i: last.id }) : null,
        };
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/lots/:id',
      summary: "One lot route: each step's slot and state, and any Q-time alerts",
      tag: 'lots',
      access: roles,
      params: idParams,
      response: lotViewSchema.extend({ alerts: z.array(qtimeAlertSchema) }),
      errors: ['NOT_FOUND'],
      async handler({ params, actor }) {
        const row = await visibleLot(actor, params.id);
        const status = await client.workflow
          .getHandle(row.workflowId)
          .query(lotStatusQuery)
          .catch(() => null);
        return { ...lotView(row), alerts: status?.alerts ?? [] };
      },
    }),

    lotAction(
      'approve',
      'Approve a held lot route as a whole (lab managers)',
      managerRoles,
      z.object({ note: noteSchema.optional() }),
      (h, actor, b) => h.executeUpdate(approveLotUpdate, { args: [{ actor, ...b }] }),
      onlyHeld,
    ),
    lotAction(
      'reject',
      'Reject a held lot route as a whole (lab managers)',
      managerRoles,
      z.object({ note: noteSchema.optional() }),
      (h, actor, b) => h.executeUpdate(rejectLotUpdate, { args: [{ actor, ...b }] }),
      onlyHeld,
    ),
    lotAction('cancel', 'Cancel a lot route before its first step starts', roles, z.object({ reason: noteSchema.optional() }), (h, actor, b) =>
      h.executeUpdate(cancelLotUpdate, { args: [{ actor, ...b }] }),
    ),
    stepAction('check-in', 'Start a step (a start past its Q-time limit raises an alert)'),
    stepAction('check-out', 'End a step (billed); a late end re-plans the rest of the route'),
  ];
}
