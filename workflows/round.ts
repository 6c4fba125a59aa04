// One workflow per allocation round: open (requests are written beside it, under the round's row
// lock) → closed at its deadline (or earlier by a lab manager) → proposed by
// the solver → re-run as lab managers change pins, drops and shares → approved as a whole and
// published (each booking then lives in a booking workflow of its own), or lapsed at the approval
// deadline with nothing published. Every database change is a local activity; decisions are Updates.
import {
  allHandlersFinished,
  condition,
  ParentClosePolicy,
  proxyLocalActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { RoundActivities } from '../activities/index.js';
import type { Actor } from '../src/domain/actor.js';
import { bookingWorkflowId } from '../src/domain/ids.js';
import { hasRole, managerRoles } from '../src/domain/roles.js';
import {
  approveRoundInputSchema,
  rerunRoundInputSchema,
  roundWorkflowInputSchema,
  closeRoundInputSchema,
  type PublishedBooking,
  type RoundOutcomeOfWorkflow,
  type RoundSnapshot,
  type RoundState,
  type RoundView,
  type RoundWorkflowInput,
} from '../src/domain/round.js';
import { answeringOptions, drivenOptions } from './activity-options.js';
import { bookingWorkflow } from './booking.js';
import { asRefusal, refuse } from './failures.js';
import {
  approveRoundUpdate,
  rerunRoundUpdate,
  roundOpenedUpdate,
  roundStatusQuery,
  closeRoundUpdate,
} from './messages.js';
import { workflowNow } from './time.js';
import { transitionQueue } from './transitions.js';
import { parseMessage } from './validate.js';

const answering = proxyLocalActivities<RoundActivities>(answeringOptions);
const driven = proxyLocalActivities<RoundActivities>(drivenOptions);

export async function roundWorkflow(rawInput: RoundWorkflowInput): Promise<RoundOutcomeOfWorkflow> {
  const input = parseMessage(roundWorkflowInputSchema, rawInput, 'input');
  const roundId = input.plan.id;
  const search = input.search;

  let round: RoundView | undefined;
  let openFailure: unknown;
  let closeAt = 0;
  let approvalAt = 0;
  let published: PublishedBooking[] = [];
  /** A lab manager closed the round before its deadline. */
  let closedBy: Actor | undefined;
  let bookingsStarted = 0;

  const adopt = (snapshot: RoundSnapshot): RoundView => {
    const now = workflowNow();
    round = snapshot.round;
    closeAt = now + snapshot.closesInMs;
    approvalAt = now + snapshot.approvalDeadlineInMs;
    return snapshot.round;
  };
  const current = (): RoundView => {
    if (!round) throw refuse('INVALID_STATE', 'The round is not open yet');
    return round;
  };
  const requireState = (...states: RoundState[]) => {
    if (!states.includes(current().state))
      throw refuse('INVALID_STATE', `The round is ${current().state}; this needs it ${states.join(' or ')}`);
  };
  const requireManager = (actor: Actor) => {
    if (!hasRole(actor.role, managerRoles)) throw refuse('FORBIDDEN', 'Only a lab manager decides a round');
  };
  const requireBeforeApprovalDeadline = () => {
    if (workflowNow() >= approvalAt)
      throw refuse('INVALID_STATE', `The approval deadline ${current().approvalDeadline} has passed`);
  };

  const transition = transitionQueue();

  setHandler(roundOpenedUpdate, async () => {
    await condition(() => round !== undefined || openFailure !== undefined);
    if (openFailure !== undefined) throw openFailure;
    return current();
  });

  setHandler(
    closeRoundUpdate,
    async (close) => {
      closedBy ??= close.actor;
      await condition(() => current().state !== 'open' && current().state !== 'closed');
      return current();
    },
    {
      validator: (close) => {
        parseMessage(closeRoundInputSchema, close, 'close');
        requireManager(close.actor);
        requireState('open');
      },
    },
  );

  setHandler(
    rerunRoundUpdate,
    (rerun) =>
      transition(
        () => requireState('proposed'),
        async () => {
          const { actor, note, pinned, dropped, shares } = rerun;
          const changes = {
            ...(pinned ? { pinned } : {}),
            ...(dropped ? { dropped } : {}),
            ...(shares ? { shares } : {}),
            ...(note ? { note } : {}),
          };
          return adopt(
            await answering.proposeRound({ roundId, actor, changes, ...(search ? { search } : {}) }),
          );
        },
      ),
    {
      validator: (rerun) => {
        parseMessage(rerunRoundInputSchema, rerun, 'rerun');
        requireManager(rerun.actor);
        requireState('proposed');
        requireBeforeApprovalDeadline();
      },
    },
  );

  setHandler(
    approveRoundUpdate,
    (approval) =>
      transition(
        () => requireState('proposed'),
        async () => {
          const { actor, revision, note } = approval;
          const result = await answering.publishRound({
            roundId,
            actor,
            revision,
            ...(note ? { note } : {}),
          });
          if (result.kind === 'conflicts') {
            // The calendar moved on since the proposal: propose again on it, publish nothing.
            const again = adopt(
              await answering.proposeRound({ roundId, actor, ...(search ? { search } : {}) }),
            );
            throw refuse(
              'SLOT_TAKEN',
              `The calendar changed since proposal ${revision}: ${result.conflicts.length} of its grants no longer fit, so nothing was published. ` +
                `Proposal ${again.revision} is made on the calendar as it is now; review and approve that one.`,
              { conflicts: result.conflicts, revision: again.revision },
            );
          }
          published = result.bookings;
          return adopt(result.snapshot);
        },
      ),
    {
      validator: (approval) => {
        parseMessage(approveRoundInputSchema, approval, 'approve');
        requireManager(approval.actor);
        requireState('proposed');
        requireBeforeApprovalDeadline();
        if (approval.revision !== current().revision) {
          throw refuse(
            'INVALID_STATE',
            `Proposal ${current().revision} is the one in review; you approved ${approval.revision}`,
            {
              revision: current().revision,
            },
          );
        }
      },
    },
  );

  setHandler(roundStatusQuery, () => ({ round: round ?? null, bookingsStarted }));

  try {
    adopt(await answering.openRound({ plan: input.plan, actor: input.actor }));
  } catch (err) {
    openFailure = asRefusal(err);
    await condition(allHandlersFinished);
    throw openFailure;
  }

  const isFinal = () => current().state === 'published' || current().state === 'lapsed';

  if (current().state === 'open') {
    await condition(
      () => current().state !== 'open' || closedBy !== undefined,
      Math.max(0, closeAt - workflowNow()),
    );
    await transition(
      () => undefined,
      async () => {
        if (current().state === 'open')
          adopt(await driven.closeRound({ roundId, ...(closedBy ? { actor: closedBy } : {}) }));
      },
    );
  }
  if (current().state === 'closed') {
    await transition(
      () => undefined,
      async () => {
        if (current().state === 'closed')
          adopt(await driven.proposeRound({ roundId, ...(search ? { search } : {}) }));
      },
    );
  }
  if (!isFinal()) {
    await condition(isFinal, Math.max(0, approvalAt - workflowNow()));
    await transition(
      () => undefined,
      async () => {
        if (!isFinal()) adopt(await driven.lapseRound({ roundId }));
      },
    );
  }

  if (current().state === 'published') {
    await Promise.all(
      published.map((booking) =>
        startChild(bookingWorkflow, {
          workflowId: bookingWorkflowId(booking.bookingRequestId),
          taskQueue: workflowInfo().taskQueue,
          parentClosePolicy: ParentClosePolicy.ABANDON,
          args: [
            {
              request: {
                requestId: booking.bookingRequestId,
                toolTypeId: booking.toolTypeId,
                ...(booking.toolIds.length > 0 ? { toolIds: booking.toolIds } : {}),
                durationMin: booking.durationMin,
                earliestStart: booking.earliestStart,
                latestEnd: booking.latestEnd,
                material: booking.material,
                waferSize: booking.waferSize,
                contaminationGroup: booking.contaminationGroup,
                ...(booking.purpose ? { purpose: booking.purpose } : {}),
              },
              actor: booking.actor,
              ...(input.bookingTiming ? { timing: input.bookingTiming } : {}),
            },
          ],
        }).then(() => void (bookingsStarted += 1)),
      ),
    );
  }
  await condition(allHandlersFinished);
  const final = current();
  return final.state === 'published'
    ? { kind: 'published', round: final, bookings: published.length }
    : { kind: 'lapsed', round: final };
}
