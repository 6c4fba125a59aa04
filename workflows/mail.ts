// One delivery of the e-mail outbox, started by the `mail-delivery` Temporal Schedule every 30 s
// (src/schedules/mail-delivery.ts). A Schedule rather than one long-lived relay: no history to
// continue-as-new, no signals to thread through every transaction that writes a notification,
// at most one run at a time (overlap SKIP), and a run whose worker dies is retried on another.
import { proxyActivities } from '@temporalio/workflow';
import type { DeliveryReport, MailActivities } from '../activities/index.js';
import { mailDeliveryInputSchema, type MailDeliveryInput } from '../src/domain/notifications.js';
import { parseMessage } from './validate.js';

export async function mailDeliveryWorkflow(rawInput: MailDeliveryInput = {}): Promise<DeliveryReport> {
  const input = parseMessage(mailDeliveryInputSchema, rawInput ?? {}, 'input');
  const { deliverMail } = proxyActivities<MailActivities>({
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: input.heartbeatTimeoutMs,
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes: ['CONFIG_INVALID'] },
  });
  return deliverMail();
}
