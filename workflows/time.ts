/**
 * Workflow time. Inside a workflow `Date.now()` is the SDK's deterministic replacement (the time
 * of the current workflow task), so this is the only place workflow code reads it.
 */
export function workflowNow(): number {
  // eslint-disable-next-line no-restricted-properties
  return Date.now();
}
