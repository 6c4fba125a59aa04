import type { ActivityDeps } from '../deps.js';
import { deliverMailActivity } from './deliver.js';

export type { DeliveryReport } from './deliver.js';

/** The e-mail outbox's delivery, run by a Temporal Schedule (workflows/mail.ts). */
export function createMailActivities(deps: ActivityDeps) {
  return { deliverMail: deliverMailActivity(deps) };
}

export type MailActivities = ReturnType<typeof createMailActivities>;
