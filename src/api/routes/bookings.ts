import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import type { bookingWorkflow } from '../../../workflows/booking.js';
import { approveUpdate, cancelUpdate, checkInUpdate, checkOutUpdate, placeUpdate, placeUpdateId, rejectUpdate, rescheduleUpdate } from '../../../workflows/messages.js';
import { bookingWorkflowId } from '../../domain/ids.js';
import { bookingView } from '../../data/booking-view.js';
import { readBookingRequestChecks } from '../../data/booking-request-checks.js';
import { linkedToolIdsOf, refuseUnqualifiedLinks } from '../../data/linked-tools.js';
import { runViewOf } from '../../data/run-view.js';
import { lotView, lotWithSteps } from '../../data/lot-view.js';
import { chooseProjectToCharge } from '../../data/project-charge.js';
import { lotViewSchema } from '../../domain/lot.js';
import { noteSchema } from '../../domain/input.js';
import { actsForAllTenants, type Actor } from '../../domain/actor.js';
import { managerRoles, roles, type Role } from '../../domain/roles.js';
import {
  bookingRequestSchema,
  bookingViewSchema,
  placedBookingSchema,
  slotWishSchema,
  type BookingOutcome,
  type BookingView,
} from '../../domain/booking.js';
import { PilotlineError } from '../../errors.js';
import type { AuthenticatedActor } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';
import { fromWorkflowFailure } from '../workflow-errors.js';
import { requesterOf } from '../workflow-requester.js';

const idParams = z.object({ id: z.uuid().describe('Booking id') });
const noteBody = z.object({ note: noteSchema.optional() });
const cancelBody = z.object({ reason: noteSchema.optional() });

/** A booking the actor may see: their own tenant's, or any for staff; others are not found. */
export async function visibleBooking(deps: ApiDeps, actor: Actor, id: string) {
  const row = await deps.db.booking.findUnique({ where: { id } });
  if (!row || (!actsForAllTenants(actor) && row.tenantId !== actor.tenantId)) {
    throw new PilotlineError('NOT_FOUND', `No booking ${id}`);
  }
  return row;
}

type BookingRow = Awaited<ReturnType<typeof visibleBooking>>;

async function updateBooking<A>(
  deps: ApiDeps,
  actor: AuthenticatedActor,
  id: string,
  send: (handle: ReturnType<ApiDeps['temporal']['client']['workflow']['getHandle']>, actor: Actor) => Promise<A>,
  precondition: (row: BookingRow) => void = () => undefined,
): Promise<A> {
  const row = await visibleBooking(deps, actor, id);
  if (row.lotStepId) {
    throw new PilotlineError('INVALID_STATE', 'This booking is a step of a lot route: act on it through /api/lots');
  }
  if (row.primaryBookingId) {
    throw new PilotlineError('INVALID_STATE', `This booking holds a linked tool for booking ${row.primaryBookingId}: act on that one`);
  }
  const offer = await deps.db.waitListOffer.findUnique({ where: { bookingId: row.id }, select: { state: true, entryId: true } });
  if (offer?.state === 'open') {
    throw new PilotlineError('INVALID_STATE', `This held booking is a wait-list offer: accept or decline it at /api/wait-list/${offer.entryId}`);
  }
  precondition(row);
  const handle = deps.temporal.client.workflow.getHandle(row.workflowId);
  try {
    return await send(handle, { userId: actor.userId, tenantId: actor.tenantId, role: actor.role });
  } catch (err) {
    throw fromWorkflowFailure(err);
  }
}

export function bookingRoutes(deps: ApiDeps) {
  const { client, taskQueue } = deps.temporal;

  /** The booking with the linked tools it holds alongside (none: unchanged). */
  const withLinkedTools = async (view: BookingView): Promise<BookingView> => {
    const linkedToolIds = await linkedToolIdsOf(deps.db, view);
    return linkedToolIds.length ? { ...view, linkedToolIds } : view;
  };
  const actorOf = (a: AuthenticatedActor): Actor => ({ userId: a.userId, tenantId: a.tenantId, role: a.role });

  const notYours = () => new PilotlineError('FORBIDDEN', 'That requestId belongs to another request');

  /** Why a request found no slot, told to its requester only (another user replaying its id learns nothing). */
  async function unplaced(requestId: string, actor: Actor, explanation: unknown): Promise<never> {
    if ((await requesterOf(client, deps.temporal.namespace, bookingWorkflowId(requestId))) !== actor.userId) throw notYours();
    throw new PilotlineError('NO_FEASIBLE_SLOT', 'No slot fits the request', { details: { explanation } });
  }

  /** The answer a closed workflow gave (a retry of a request whose workflow already finished). */
  async function closedAnswer(requestId: string, actor: Actor): Promise<{ booking: BookingView; approvalRequired: boolean }> {
    const row = await deps.db.booking.findUnique({ where: { requestId } });
    if (row) {
      if (row.userId !== actor.userId) throw notYours();
      return { booking: bookingView(row), approvalRequired: row.decidedById !== null };
    }
    const outcome = (await client.workflow
      .getHandle(bookingWorkflowId(requestId))
      .result()
      .catch((err: unknown) => {
        throw fromWorkflowFailure(err);
      })) as BookingOutcome;
    if (outcome.kind === 'unplaced') return unplaced(requestId, actor, outcome.explanation);
    if (outcome.booking.userId !== actor.userId) throw notYours();
    return { booking: outcome.booking, approvalRequired: false };
  }

  const action = (
    name: string,
    summary: string,
    allowed: readonly Role[],
    body: z.ZodObject | undefined,
    send: (handle: ReturnType<typeof client.workflow.getHandle>, actor: Actor, body: never) => Promise<BookingView>,
    precondition?: (row: BookingRow) => void,
  ) =>
    defineRoute({
      method: 'POST',
      url: `/api/bookings/:id/${name}`,
      summary,
      tag: 'bookings',
      access: allowed,
      params: idParams,
      ...(body ? { body } : {}),
      response: bookingViewSchema,
      errors: ['NOT_FOUND', 'INVALID_STATE', 'FORBIDDEN'],
      handler: ({ params, actor, body: parsed }) =>
        updateBooking(deps, actor, params.id, (handle, a) => send(handle, a, (parsed ?? {}) as never), precondition),
    });

  return [
    defineRoute({
      method: 'POST',
      url: '/api/bookings',
      summary: 'Request tool time: returns the held or confirmed booking, or why no slot fits',
      tag: 'bookings',
      access: roles,
      body: bookingRequestSchema,
      status: 201,
      response: placedBookingSchema,
      errors: ['NO_FEASIBLE_SLOT', 'SLOT_TAKEN', 'FORBIDDEN', 'NOT_QUALIFIED'],
      async handler({ body, actor }) {
        const booker = actorOf(actor);
        const now = deps.clock.now();
        const checks = await readBookingRequestChecks(deps.db, booker, body, now);
        const projectId = chooseProjectToCharge(checks.charging, body.projectId, now);
        refuseUnqualifiedLinks(body, checks.candidates, checks.links);
        const startWorkflowOperation = new WithStartWorkflowOperation<typeof bookingWorkflow>('bookingWorkflow', {
          workflowId: bookingWorkflowId(body.requestId),
          taskQueue,
          args: [{ request: { ...body, ...(projectId ? { projectId } : {}) }, actor: booker }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          // A request whose workflow failed may be retried; one that finished keeps its answer.
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        });
        let result;
        try {
          result = await client.workflow.executeUpdateWithStart(placeUpdate, { updateId: placeUpdateId, startWorkflowOperation });
        } catch (err) {
          if (err instanceof WorkflowExecutionAlreadyStartedError) return closedAnswer(body.requestId, booker);
          throw fromWorkflowFailure(err);
        }
        if (result.kind === 'unplaced') return unplaced(body.requestId, booker, result.explanation);
        const booking = result.snapshot.booking;
        if (booking.userId !== booker.userId) throw notYours();
        // The placement names the linked tools it held; a retried one (or an older worker's) may not.
        const linked = result.linkedToolIds;
        const view = linked === undefined ? await withLinkedTools(booking) : linked.length ? { ...booking, linkedToolIds: linked } : booking;
        return { booking: view, approvalRequired: result.approvalRequired };
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/api/bookings/:id',
      summary: 'One booking',
      tag: 'bookings',
      access: roles,
      params: idParams,
      response: bookingViewSchema,
      errors: ['NOT_FOUND'],
      async handler({ params, actor }) {
        const row = await visibleBooking(deps, actor, params.id);
        const run = await runViewOf(deps.db, row, actor);
        return withLinkedTools({ ...bookingView(row), ...(run ? { run } : {}) });
      },
    }),

    action('approve', 'Approve a held booking (lab managers)', managerRoles, noteBody, (h, actor, b: { note?: string }) =>
      h.executeUpdate(approveUpdate, { args: [{ actor, ...b }] }),
    ),
    action('reject', 'Reject a held booking (lab managers)', managerRoles, noteBody, (h, actor, b: { note?: string }) =>
      h.executeUpdate(rejectUpdate, { args: [{ actor, ...b }] }),
    ),
    action('cancel', 'Cancel before use (late cancellation per policy)', roles, cancelBody, (h, actor, b: { reason?: string }) =>
      h.executeUpdate(cancelUpdate, { args: [{ actor, ...b }] }),
    ),
    action(
      'decline-move',
      'Decline a move maintenance made: the booking is cancelled without penalty',
      roles,
      undefined,
      (h, actor) => h.executeUpdate(cancelUpdate, { args: [{ actor, reason: 'declined a maintenance move', penaltyFree: true }] }),
      // Staff may cancel penalty-free in the workflow; a *decline* still needs a move to decline.
      (row) => {
        if (!row.movedByMaintenanceId) {
          throw new PilotlineError('FORBIDDEN', 'Only a booking moved by maintenance may be declined without penalty');
        }
      },
    ),
    action('reschedule', 'Move to the best slot of a new window; the old slot is kept until the new one is held', roles, slotWishSchema, (h, actor, wish: z.infer<typeof slotWishSchema>) =>
      h.executeUpdate(rescheduleUpdate, { args: [{ actor, wish }] }),
    ),
    action('check-in', 'Record the start of use', roles, undefined, (h, actor) => h.executeUpdate(checkInUpdate, { args: [{ actor }] })),
    action('check-out', 'Record the end of use; bills the actual minutes', roles, undefined, (h, actor) =>
      h.executeUpdate(checkOutUpdate, { args: [{ actor }] }),
    ),

    defineRoute({
      method: 'GET',
      url: '/api/approvals',
      summary: "The lab managers' queue: held single bookings and held lot routes (each decided as a whole at /api/lots/:id), nearest deadline first",
      tag: 'bookings',
      access: managerRoles,
      response: z.object({
        bookings: z.array(bookingViewSchema).describe('Held bookings that are not a step of a lot route'),
        lots: z.array(lotViewSchema).describe('Held lot routes, with every step'),
      }),
      async handler() {
        const [rows, lots] = await Promise.all([
          deps.db.booking.findMany({
            // An open wait-list offer is the tenant's to answer first; it reaches this queue once accepted.
            where: { state: 'held', lotStepId: null, NOT: { waitListOffer: { is: { state: 'open' } } } },
            orderBy: [{ approvalDeadline: 'asc' }, { startsAt: 'asc' }],
            take: 500,
          }),
          deps.db.lot.findMany({
            where: { state: 'held' },
            include: lotWithSteps,
            orderBy: [{ approvalDeadline: 'asc' }, { earliestStart: 'asc' }],
            take: 200,
          }),
        ]);
        return { bookings: rows.map(bookingView), lots: lots.map(lotView) };
      },
    }),
  ];
}
