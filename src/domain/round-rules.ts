import type { FieldIssue } from '../errors.js';
import type { RoundRequestSubmit } from './round.js';

// What a round request must satisfy beyond its shape: the round's tool types, its week, tools of
// the type asked. The API checks it to name the field; the activity checks it again in the round's turn.

export interface RoundFrame {
  weekStart: Date;
  weekEnd: Date;
  toolTypeIds: readonly string[];
}

/** Every field of the request that does not fit the round (empty: it fits). `prefix` is `body` at the API. */
export function roundRequestIssues(
  round: RoundFrame,
  request: Pick<RoundRequestSubmit, 'toolTypeId' | 'toolIds' | 'earliestStart' | 'latestEnd'>,
  toolsOfType: readonly string[],
  prefix = 'body',
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const week = `${round.weekStart.toISOString()} to ${round.weekEnd.toISOString()}`;
  if (!round.toolTypeIds.includes(request.toolTypeId)) {
    issues.push({
      field: `${prefix}.toolTypeId`,
      message: `is not allocated in this round (it allocates ${round.toolTypeIds.join(', ')})`,
    });
  }
  const strangers = (request.toolIds ?? []).filter((id) => !toolsOfType.includes(id));
  if (strangers.length > 0) {
    issues.push({
      field: `${prefix}.toolIds`,
      message: `${strangers.join(', ')} ${strangers.length === 1 ? 'is not a tool' : 'are not tools'} of ${request.toolTypeId}`,
    });
  }
  if (
    Date.parse(request.earliestStart) < round.weekStart.getTime() ||
    Date.parse(request.earliestStart) >= round.weekEnd.getTime()
  ) {
    issues.push({ field: `${prefix}.earliestStart`, message: `must lie in the round's week, ${week}` });
  }
  if (
    Date.parse(request.latestEnd) > round.weekEnd.getTime() ||
    Date.parse(request.latestEnd) <= round.weekStart.getTime()
  ) {
    issues.push({ field: `${prefix}.latestEnd`, message: `must lie in the round's week, ${week}` });
  }
  return issues;
}
