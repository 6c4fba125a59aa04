// One workflow per maintenance: propose (impact preview) → ops confirms (or it applies at once for
// outages and recurring PM) → window and moves applied in one transaction, booking workflows told →
// tool down at the start → complete (ops, or the planned end) → requalification gate → tool up.
import { allHandlersFinished, condition, getExternalWorkflowHandle, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { MaintenanceActivities, Revision } from '../activities/index.js';
import type { Actor } from '../src/domain/actor.js';
import { hasRole, opsRoles } from '../src/domain/roles.js';
import {
  extendInputSchema,
  maintenanceWorkflowInputSchema,
  opsInputSchema,
  requalificationInputSchema,
  type Impact,
  type MaintenanceOutcome,
  type MaintenanceSnapshot,
  type MaintenanceState,
  type MaintenanceView,
  type MaintenanceWorkflowInput,
} from '../src/domain/maintenance.js';
import { answeringOptions, drivenOptions } from './activity-options.js';
import { asRefusal, refuse } from './failures.js';
import { bookingRevisedSignal, lotRevisedSignal, cancelMaintenanceUpdate, completeMaintenanceUpdate, confirmMaintenanceUpdate, extendMaintenanceUpdate, maintenanceStatusQuery, previewMaintenanceUpdate, requalifiedUpdate } from './messages.js';
import { maintenanceWorkflowId } from '../src/domain/ids.js';
import { workflowNow } from './time.js';
import { transitionQueue } from './transitions.js';
import { parseMessage } from './validate.js';

const answering = proxyLocalActivities<MaintenanceActivities>(answeringOptions);
const driven = proxyLocalActivities<MaintenanceActivities>(drivenOptions);

const defaultConfirmBeforeStartMs = 0;

export async function maintenanceWorkflow(rawInput: MaintenanceWorkflowInput): Promise<MaintenanceOutcome> {
  const input = parseMessage(maintenanceWorkflowInputSchema, rawInput, 'input');
  const { request } = input;

  let maintenance: MaintenanceView | undefined;
  let impact: Impact | null = null;
  let startAt = 0;
  let endAt = 0;
  let version = 0;
  let completeRequested = false;
  let requalifiedPassed = false;
  let finished = false;
  let toolDown = false;
  /** Why the first answer is a refusal (the proposal or its immediate application was refused). */
  let refusal: unknown;
  const pendingRevisions: Revision[] = [];

  const adopt = (snapshot: MaintenanceSnapshot): MaintenanceView => {
    const now = workflowNow();
    maintenance = snapshot.maintenance;
    startAt = now + snapshot.startsInMs;
    endAt = now + snapshot.endsInMs;
    version += 1;
    return snapshot.maintenance;
  };
  const current = (): MaintenanceView => {
    if (!maintenance) throw refuse('INVALID_STATE', 'The maintenance is not proposed yet');
    return maintenance;
  };
  const requireState = (...states: MaintenanceState[]) => {
    if (!states.includes(current().state)) {
      throw refuse('INVALID_STATE', `The maintenance is ${current().state}; this needs it ${states.join(' or ')}`);
    }
  };
  const requireOps = (actor: Actor) => {
    if (!hasRole(actor.role, opsRoles)) throw refuse('FORBIDDEN', 'Only ops may change maintenance');
  };

  const transition = transitionQueue();

  const apply = async (actor: Actor, endsAt?: string) => {
    const applied = await answering.applyMaintenance({
      maintenanceId: current().id,
      toolIds: current().toolIds,
      actor,
      interruptInUse: request.kind === 'outage',
      ...(endsAt ? { endsAt } : {}),
    });
    impact = applied.impact;
    pendingRevisions.push(...applied.revisions);
    adopt(applied.snapshot);
    return { maintenance: current(), impact };
  };

  // The first answer: the proposal and its impact, or (applying at once) the applied window.
  setHandler(previewMaintenanceUpdate, async () => {
    await condition(() => refusal !== undefined || (maintenance !== undefined && (!input.autoConfirm || current().state !== 'proposed')));
    if (refusal !== undefined) throw refusal;
    return { maintenance: current(), impact };
  });

  setHandler(
    confirmMaintenanceUpdate,
    (ops) => transition(() => requireState('proposed'), () => apply(ops.actor)),
    {
      validator: (ops) => {
        parseMessage(opsInputSchema, ops, 'confirm');
        requireOps(ops.actor);
        requireState('proposed');
      },
    },
  );

  setHandler(
    extendMaintenanceUpdate,
    (extend) => transition(() => requireState('scheduled', 'in_progress'), () => apply(extend.actor, extend.endsAt)),
    {
      validator: (extend) => {
        parseMessage(extendInputSchema, extend, 'extend');
        requireOps(extend.actor);
        requireState('scheduled', 'in_progress');
        if (Date.parse(extend.endsAt) <= Date.parse(current().startsAt)) {
          throw refuse('VALIDATION_FAILED', 'extend.endsAt: must be after the start of the maintenance');
        }
      },
    },
  );

  setHandler(
    cancelMaintenanceUpdate,
    (ops) =>
      transition(
        () => requireState('proposed', 'scheduled'),
        async () => {
          adopt(await answering.setMaintenanceState({ maintenanceId: current().id, state: 'cancelled', actor: ops.actor, ...(ops.note ? { note: ops.note } : {}) }));
          return { maintenance: current(), impact };
        },
      ),
    {
      validator: (ops) => {
        parseMessage(opsInputSchema, ops, 'cancel');
        requireOps(ops.actor);
        requireState('proposed', 'scheduled');
      },
    },
  );

  setHandler(
    completeMaintenanceUpdate,
    async () => {
      completeRequested = true;
      version += 1;
      await condition(() => current().state !== 'in_progress');
      return { maintenance: current(), impact };
    },
    {
      validator: (ops) => {
        parseMessage(opsInputSchema, ops, 'complete');
        requireOps(ops.actor);
        requireState('in_progress');
      },
    },
  );

  setHandler(
    requalifiedUpdate,
    (run) =>
      transition(
        () => requireState('awaiting_requalification'),
        async () => {
          const snapshot = await answering.recordRequalification({ maintenanceId: current().id, ...run });
          if (run.passed) requalifiedPassed = true;
          adopt(snapshot);
          return { maintenance: current(), impact };
        },
      ),
    {
      validator: (run) => {
        parseMessage(requalificationInputSchema, run, 'requalified');
        requireOps(run.actor);
        requireState('awaiting_requalification');
      },
    },
  );

  setHandler(maintenanceStatusQuery, () => ({
    maintenance: maintenance ?? null,
    impact,
    pendingRevisions: pendingRevisions.length,
  }));

  // Booking and lot workflows hear of every move as it is applied, while the maintenance goes on.
  const pump = (async () => {
    for (;;) {
      await condition(() => pendingRevisions.length > 0 || finished);
      if (pendingRevisions.length === 0) return;
      const revision = pendingRevisions[0]!;
      try {
        const handle = getExternalWorkflowHandle(revision.workflowId);
        // Which signal follows from the recorded activity result, so replay sends the same one.
        if (revision.kind === 'lot') await handle.signal(lotRevisedSignal, { lotId: revision.lotId, alert: revision.alert });
        else await handle.signal(bookingRevisedSignal, revision.snapshot);
      } catch {
        // Closed workflows and bookings without one (imported history) have nothing to follow.
      }
      pendingRevisions.shift();
    }
  })();

  /** Waits until `at` (workflow time) or until something changes; true when something changed. */
  const changedBefore = async (seen: number, at: number): Promise<boolean> => {
    const ms = at - workflowNow();
    if (ms <= 0) return version !== seen;
    return condition(() => version !== seen, ms);
  };

  /** The first answer is a refusal: the caller hears why, and the workflow fails with it (a retry may start afresh). */
  const refuseFirstAnswer = async (err: unknown): Promise<never> => {
    refusal = asRefusal(err);
    await condition(allHandlersFinished);
    throw refusal;
  };

  let proposal;
  try {
    proposal = await answering.proposeMaintenance({
      ...request,
      workflowId: maintenanceWorkflowId(request.requestId),
      actor: input.actor,
      ...(input.autoConfirm ? { exclusive: true } : {}),
    });
  } catch (err) {
    // Refused before anything was written.
    return refuseFirstAnswer(err);
  }
  impact = proposal.impact;
  adopt(proposal.snapshot);

  if (input.autoConfirm) {
    try {
      await transition(() => requireState('proposed'), () => apply(input.actor));
    } catch (err) {
      // Something was applied in the way meanwhile: the proposal is withdrawn, not left open.
      adopt(await driven.setMaintenanceState({ maintenanceId: current().id, state: 'cancelled', note: 'refused when applied' }));
      return refuseFirstAnswer(err);
    }
  } else {
    // A proposal nobody confirms lapses at its start.
    const lapseAt = startAt - (input.timing?.confirmBeforeStartMs ?? defaultConfirmBeforeStartMs);
    while (current().state === 'proposed') {
      const seen = version;
      if (!(await changedBefore(seen, lapseAt)) && current().state === 'proposed') {
        await transition(
          () => undefined,
          async () => {
            if (current().state === 'proposed') {
              adopt(await driven.setMaintenanceState({ maintenanceId: current().id, state: 'cancelled', note: 'not confirmed before its start' }));
            }
          },
        );
      }
    }
  }

  // Scheduled: the tool goes down at the start (extensions move only the end).
  while (current().state === 'scheduled') {
    const seen = version;
    if (!(await changedBefore(seen, startAt))) {
      await transition(
        () => undefined,
        async () => {
          if (current().state === 'scheduled') {
            adopt(await driven.setMaintenanceState({ maintenanceId: current().id, state: 'in_progress', toolStatus: 'down' }));
            toolDown = true;
          }
        },
      );
    }
  }
  // An outage (or a window confirmed late) is in progress as soon as it is applied.
  if (current().state === 'in_progress' && !toolDown) {
    await transition(
      () => undefined,
      async () => adopt(await driven.setMaintenanceState({ maintenanceId: current().id, state: 'in_progress', toolStatus: 'down' })),
    );
  }

  // Down until ops report the work complete, or the planned end.
  while (current().state === 'in_progress' && !completeRequested) {
    const seen = version;
    if (!(await changedBefore(seen, endAt))) break;
  }
  if (current().state === 'in_progress') {
    const early = completeRequested;
    await transition(
      () => undefined,
      async () =>
        adopt(
          await driven.setMaintenanceState(
            current().requiresRequalification
              ? { maintenanceId: current().id, state: 'awaiting_requalification', toolStatus: 'requalifying', endNow: early }
              : { maintenanceId: current().id, state: 'completed', toolStatus: 'up', endNow: early },
          ),
        ),
    );
  }

  // The requalification gate: the tool stays unavailable until a qualification run passes.
  await condition(() => current().state !== 'awaiting_requalification' || requalifiedPassed);

  finished = true;
  await pump;
  await condition(allHandlersFinished);
  return { maintenance: current(), impact };
}
