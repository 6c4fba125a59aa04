import { asyncLocalStorage, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../deps.js';
import { composeDueDigests } from './digest.js';
import { dispatchNotifications, staleAfterDays, type DispatchReport } from './dispatch.js';
import { sendDueMail, settleAbandonedClaims, type SendReport } from './send.js';

export interface DeliveryReport extends Omit<DispatchReport, 'unrenderable'>, SendReport {
  digests: number;
  /** Mails left unconfirmed by a worker that died mid-send (found by this run). */
  abandoned: number;
  unrenderable: number;
}

/** Heartbeats when run by a worker (a direct call in a test has no activity context). */
function heartbeat(details: unknown): void {
  asyncLocalStorage.getStore()?.heartbeat(details);
}

function warn(message: string): void {
  if (asyncLocalStorage.getStore()) log.warn(message);
}

/**
 * One pass over the outbox: settle claims a dead worker left, turn pending notifications into
 * mails, write the digests that are due, send what is due. Safe to run twice at once.
 */
export function deliverMailActivity(deps: ActivityDeps) {
  const { db, clock } = deps;
  return async function deliverMail(): Promise<DeliveryReport> {
    const mail = deps.mail;
    if (!mail) throw ApplicationFailure.create({ type: 'CONFIG_INVALID', message: 'This worker has no mail transport', nonRetryable: true });
    const abandoned = await settleAbandonedClaims(db, mail, clock.now());
    for (const id of abandoned) warn(`mail ${id}: a worker stopped mid-send; marked unconfirmed for a person to check`);
    const dispatched = await dispatchNotifications(db, mail, () => clock.now());
    for (const u of dispatched.unrenderable) warn(`notification ${u.id}: no mail could be written (${u.error})`);
    if (dispatched.stale) warn(`${dispatched.stale} notifications older than ${staleAfterDays} days were not mailed`);
    heartbeat({ dispatched: dispatched.notifications });
    const digests = await composeDueDigests(db, mail, clock.now());
    const sent = await sendDueMail(db, mail, () => clock.now(), heartbeat);
    return { ...dispatched, unrenderable: dispatched.unrenderable.length, digests, abandoned: abandoned.length, ...sent };
  };
}
