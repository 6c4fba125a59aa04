// One workflow per person and qualification scope (a tool or a tool type): it makes every change
// of the qualification (grant, renew, revoke arrive as Updates) and keeps its durable timers: a
// reminder `reminderLeadMs` before the expiry, then the lapse, which flags the person's later
// bookings on the tools it covered for the lab managers. It ends when nothing is left to time.
import { allHandlersFinished, condition, continueAsNew, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { QualificationActivities } from '../activities/index.js';
import type { Actor } from '../src/domain/actor.js';
import {
  defaultQualificationTiming,
  grantInputSchema,
  qualificationWorkflowInputSchema,
  renewInputSchema,
  revokeInputSchema,
  type QualificationChange,
  type QualificationSnapshot,
  type QualificationView,
  type QualificationWorkflowInput,
} from '../src/domain/qualification.js';
import { managerRoles } from '../src/domain/roles.js';
import { answeringOptions, drivenOptions } from './activity-options.js';
import { refuse } from './failures.js';
import {
  grantQualificationUpdate,
  qualificationStatusQuery,
  renewQualificationUpdate,
  revokeQualificationUpdate,
} from './messages.js';
import { workflowNow } from './time.js';
import { transitionQueue } from './transitions.js';
import { parseMessage } from './validate.js';

const answering = proxyLocalActivities<QualificationActivities>(answeringOptions);
const driven = proxyLocalActivities<QualificationActivities>(drivenOptions);

/** How long a workflow started with an Update waits for it to be answered before it looks for itself. */
const firstChangeWaitMs = 60_000;

export async function qualificationWorkflow(rawInput: QualificationWorkflowInput): Promise<{ qualification: QualificationView | null }> {
  const input = parseMessage(qualificationWorkflowInputSchema, rawInput, 'input');
  const timing = { ...defaultQualificationTiming, ...input.timing };
  const key = { userId: input.userId, scope: input.scope };

  /** undefined until first read or changed; null when the person holds no such qualification. */
  let qualification: QualificationView | null | undefined;
  /** Workflow time of the expiry, anchored on the activity's clock. */
  let expiresAt: number | null = null;
  let version = 0;
  let changed = false;

  const adopt = (snapshot: QualificationSnapshot | null) => {
    qualification = snapshot?.qualification ?? null;
    expiresAt = snapshot?.expiresInMs == null ? null : workflowNow() + snapshot.expiresInMs;
    version += 1;
  };

  const requireManager = (actor: Actor) => {
    if (!(managerRoles as readonly string[]).includes(actor.role)) {
      throw refuse('FORBIDDEN', `This needs one of the roles: ${managerRoles.join(', ')}`);
    }
  };

  const transition = transitionQueue();
  /** A change the caller waits on: its answer is the qualification afterwards (and what it flagged). */
  const change = (work: () => Promise<QualificationChange>) =>
    transition(
      () => undefined,
      async () => {
        try {
          const result = await work();
          adopt(result.snapshot);
          return result;
        } finally {
          changed = true;
        }
      },
    );

  setHandler(grantQualificationUpdate, (grant) => change(() => answering.grantQualification({ ...key, grant })), {
    validator: (grant) => {
      parseMessage(grantInputSchema, grant, 'grant');
      requireManager(grant.actor);
      if (qualification?.state === 'active') {
        throw refuse('INVALID_STATE', `${key.userId} is already qualified here: renew it instead`, { qualificationId: qualification.id });
      }
    },
  });

  setHandler(renewQualificationUpdate, (renew) => change(() => answering.renewQualification({ ...key, renew })), {
    validator: (renew) => {
      parseMessage(renewInputSchema, renew, 'renew');
      requireManager(renew.actor);
    },
  });

  setHandler(revokeQualificationUpdate, (revoke) => change(() => answering.revokeQualification({ ...key, revoke })), {
    validator: (revoke) => {
      parseMessage(revokeInputSchema, revoke, 'revoke');
      requireManager(revoke.actor);
      if (qualification?.state === 'revoked') throw refuse('INVALID_STATE', 'The qualification is already revoked');
    },
  });

  const nextTimer = (): number | null => {
    if (!qualification || qualification.state === 'revoked' || qualification.lapsedAt || expiresAt === null) return null;
    return qualification.remindedAt === null ? Math.min(expiresAt - timing.reminderLeadMs, expiresAt) : expiresAt;
  };

  setHandler(qualificationStatusQuery, () => {
    const at = nextTimer();
    return { qualification: qualification ?? null, nextTimerAt: at === null ? null : new Date(at).toISOString() };
  });

  /** A clock-driven step, unless a change came first (its snapshot is then the newer truth). */
  const unlessChanged = (seen: number, work: () => Promise<QualificationSnapshot | null>) =>
    transition(
      () => undefined,
      async () => {
        if (version === seen) adopt(await work());
      },
    );

  if (!input.watch) await condition(() => changed, firstChangeWaitMs);
  // Watching, or the first change was refused: the qualification as it stands (if any) is what to time.
  if (qualification === undefined) await unlessChanged(version, () => driven.currentQualification(key));

  for (;;) {
    const wakeAt = nextTimer();
    const q = qualification;
    if (wakeAt === null || !q) break;
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof qualificationWorkflow>({ ...input, watch: true });
    }
    const seen = version;
    const now = workflowNow();
    if (wakeAt > now && (await condition(() => version !== seen, wakeAt - now))) continue;
    const due = { qualificationId: q.id, expiresAt: q.expiresAt ?? '' };
    if (q.remindedAt === null && workflowNow() < (expiresAt ?? 0)) await unlessChanged(seen, () => driven.remindQualification(due));
    else await unlessChanged(seen, () => driven.lapseQualification(due));
  }
  await condition(allHandlersFinished);
  return { qualification: qualification ?? null };
}
