// The audit log and the outbox, written in the transaction of the change (shared with the API's own writes).
export { recordChange, type NotificationDraft } from '../src/data/records.js';
