// Workflow ids derive from the client's request ids: a retried request finds the same workflow.

export function bookingWorkflowId(requestId: string): string {
  return `booking-${requestId}`;
}

export function maintenanceWorkflowId(requestId: string): string {
  return `maintenance-${requestId}`;
}

export function lotWorkflowId(requestId: string): string {
  return `lot-${requestId}`;
}

/** A lot step's booking: keyed on the lot's request and the step's place in the route. */
export function lotStepRequestId(lotRequestId: string, seq: number): string {
  return `${lotRequestId}#${seq}`;
}

/** One round per week: its id is the week's Monday in Hong Kong, `YYYY-MM-DD`. */
export function roundWorkflowId(roundId: string): string {
  return `round-${roundId}`;
}

/** The weekly Schedule that opens the allocation rounds. */
export const roundScheduleId = 'allocation-rounds';

/** A waiting request's workflow: keyed on the client's request id, like a booking's. */
export function waitListWorkflowId(requestId: string): string {
  return `waitlist-${requestId}`;
}

/**
 * The one workflow that drains freed time into offers, per task queue (each test worker has its
 * own queue and database, so each needs its own dispatcher).
 */
export function waitListDispatcherId(taskQueue: string): string {
  return `wait-list-dispatcher/${taskQueue}`;
}

/** One workflow per person and qualification scope (ids hold no white space, so the key is unambiguous). */
export function qualificationWorkflowId(userId: string, scope: { toolTypeId?: string | undefined; toolId?: string | undefined }): string {
  return scope.toolId ? `qualification ${userId} tool ${scope.toolId}` : `qualification ${userId} type ${scope.toolTypeId ?? ''}`;
}
