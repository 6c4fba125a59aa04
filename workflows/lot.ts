// One workflow per lot route: every step placed by the optimizer and held together (or none) →
// approval as for bookings → steps confirmed → each step checked in and out; a step that ends late
// re-plans the rest, and a step that can no longer meet its Q-time raises an alert. Maintenance
// moves or releases the route as a whole and tells the workflow, which re-reads its lot.
import { allHandlersFinished, condition, patched, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { LotActivities } from '../activities/index.js';
import { actsForAllTenants, type Actor } from '../src/domain/actor.js';
import { hasRole, managerRoles, staffRoles, type Role } from '../src/domain/roles.js';
import { cancelInputSchema, decisionInputSchema } from '../src/domain/booking.js';
import {
  lotStepInputSchema,
  lotWorkflowInputSchema,
  type LotSnapshot,
  type LotState,
  type LotView,
  type LotWorkflowInput,
  type PlaceLotResult,
  type QtimeAlert,
} from '../src/domain/lot.js';
import { answeringOptions, drivenOptions } from './activity-options.js';
import { refuse } from './failures.js';
import {
  approveLotUpdate,
  cancelLotUpdate,
  checkInLotStepUpdate,
  checkOutLotStepUpdate,
  lotRevisedSignal,
  lotStatusQuery,
  placeLotUpdate,
  rejectLotUpdate,
} from './messages.js';
import { workflowNow } from './time.js';
import { transitionQueue } from './transitions.js';
import { parseMessage } from './validate.js';

const answering = proxyLocalActivities<LotActivities>(answeringOptions);
const driven = proxyLocalActivities<LotActivities>(drivenOptions);

const terminal: readonly LotState[] = ['completed', 'rejected', 'cancelled', 'expired'];

export async function lotRouteWorkflow(rawInput: LotWorkflowInput): Promise<{ lot: LotView | null; alerts: QtimeAlert[] }> {
  const input = parseMessage(lotWorkflowInputSchema, rawInput, 'input');
  let lot: LotView | undefined;
  let approvalDeadlineAt: number | null = null;
  let version = 0;
  let unplaced = false;
  let placement: Promise<PlaceLotResult> | undefined;
  const alerts: QtimeAlert[] = [];

  const adopt = (snapshot: LotSnapshot): LotView => {
    lot = snapshot.lot;
    approvalDeadlineAt = snapshot.approvalDeadlineInMs === null ? null : workflowNow() + snapshot.approvalDeadlineInMs;
    version += 1;
    return snapshot.lot;
  };
  const current = (): LotView => {
    if (!lot) throw refuse('INVALID_STATE', 'The lot has not been placed');
    return lot;
  };
  const requireState = (...states: LotState[]) => {
    if (!states.includes(current().state)) throw refuse('INVALID_STATE', `The lot is ${current().state}; this needs it ${states.join(' or ')}`);
  };
  const requireTenantOrStaff = (actor: Actor, staff: readonly Role[]) => {
    const own = !actsForAllTenants(actor) && actor.tenantId === current().tenantId;
    if (!own && !(actsForAllTenants(actor) && staff.includes(actor.role))) throw refuse('FORBIDDEN', 'Only the lot’s tenant or lab staff may do this');
  };
  const requireStep = (seq: number) => {
    if (!current().steps.some((s) => s.seq === seq)) throw refuse('NOT_FOUND', `The lot has no step ${seq}`);
  };

  const transition = transitionQueue();

  const place = (): Promise<PlaceLotResult> =>
    (placement ??= transition(
      () => undefined,
      async () => {
        const result = await answering.placeLot({ request: input.request, actor: input.actor, timingOverrides: input.timing ?? {} });
        if (result.kind === 'placed') adopt(result.snapshot);
        else unplaced = true;
        return result;
      },
    ));
  setHandler(placeLotUpdate, place);

  for (const [update, approve] of [[approveLotUpdate, true], [rejectLotUpdate, false]] as const) {
    setHandler(
      update,
      (decision) =>
        transition(
          () => requireState('held'),
          async () => adopt(await answering.decideLot({ lotId: current().id, approve, ...decision })),
        ),
      {
        validator: (decision) => {
          parseMessage(decisionInputSchema, decision, approve ? 'approve' : 'reject');
          if (!hasRole(decision.actor.role, managerRoles)) throw refuse('FORBIDDEN', 'Only lab managers decide on lots');
          requireState('held');
        },
      },
    );
  }

  setHandler(
    cancelLotUpdate,
    (cancel) =>
      transition(
        () => requireState('held', 'confirmed'),
        async () => adopt(await answering.cancelLot({ lotId: current().id, actor: cancel.actor, ...(cancel.reason ? { reason: cancel.reason } : {}) })),
      ),
    {
      validator: (cancel) => {
        parseMessage(cancelInputSchema, cancel, 'cancel');
        requireTenantOrStaff(cancel.actor, managerRoles);
        requireState('held', 'confirmed');
      },
    },
  );

  setHandler(
    checkInLotStepUpdate,
    (step) =>
      transition(
        () => requireState('confirmed', 'in_progress'),
        async () => {
          const result = await answering.checkInLotStep({ lotId: current().id, ...step });
          if (result.alert) alerts.push(result.alert);
          return adopt(result.snapshot);
        },
      ),
    {
      validator: (step) => {
        parseMessage(lotStepInputSchema, step, 'checkIn');
        requireTenantOrStaff(step.actor, staffRoles);
        requireState('confirmed', 'in_progress');
        requireStep(step.seq);
      },
    },
  );

  setHandler(
    checkOutLotStepUpdate,
    (step) =>
      transition(
        () => requireState('in_progress'),
        async () => {
          const result = await answering.checkOutLotStep({ lotId: current().id, ...step });
          if (result.alert) alerts.push(result.alert);
          return adopt(result.snapshot);
        },
      ),
    {
      validator: (step) => {
        parseMessage(lotStepInputSchema, step, 'checkOut');
        requireTenantOrStaff(step.actor, staffRoles);
        requireState('in_progress');
        requireStep(step.seq);
      },
    },
  );

  // Maintenance moved or released the route (the database already holds it): the lot is read
  // afresh, since the notice may predate a change made here since.
  setHandler(lotRevisedSignal, (notice) => {
    void transition(
      () => undefined,
      async () => {
        if (!lot || notice.lotId !== lot.id || terminal.includes(lot.state)) return;
        // Histories from before this handler never had a signal to act on.
        if (!patched('lot-revised-by-maintenance')) return;
        if (notice.alert) alerts.push(notice.alert);
        adopt(await driven.currentLot({ lotId: lot.id }));
      },
    ).catch(() => undefined);
  });

  setHandler(lotStatusQuery, () => ({ lot: lot ?? null, alerts, unplaced }));

  const placed = await place();
  if (placed.kind === 'placed') {
    // Held: a lab manager decides before the deadline (or the start of the first step), or the holds go.
    while (current().state === 'held') {
      const seen = version;
      const ms = (approvalDeadlineAt ?? workflowNow()) - workflowNow();
      const changed = ms > 0 ? await condition(() => version !== seen, ms) : version !== seen;
      if (!changed) {
        await transition(
          () => undefined,
          async () => {
            if (version === seen && current().state === 'held') adopt(await driven.expireLot({ lotId: current().id }));
          },
        );
      }
    }
    // Then the steps run, driven by check-in and check-out, until the route ends.
    await condition(() => terminal.includes(current().state));
  }
  await condition(allHandlersFinished);
  return { lot: lot ?? null, alerts };
}
