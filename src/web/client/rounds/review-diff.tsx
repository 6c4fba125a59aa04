// The proposal against the calendar: per tool, what is there already (unchanged), what the round
// adds, and the free hours before and after (what is left returns to first come, first served).
import { formatRange } from '../time.js';
import type { RoundProposal } from './types.js';
import { hours } from './types.js';

export function ReviewDiff(props: { proposal: RoundProposal }) {
  return (
    <div class="round-diff">
      {props.proposal.diff.map((tool) => (
        <article key={tool.toolId} class="diff-tool" data-tool={tool.toolId}>
          <h4>
            {tool.toolId} <span class="muted small">{tool.toolTypeId}</span>
          </h4>
          <p class="small">
            free {hours(tool.freeMinutesBefore)} → {hours(tool.freeMinutesAfter)} after the round;{' '}
            {tool.existing.length} already on the calendar
          </p>
          <ul class="diff-list">
            {tool.existing.map((e) => (
              <li key={`e-${e.startsAt}`} class={`existing ${e.kind}`}>
                = {e.kind} {formatRange(Date.parse(e.startsAt), Date.parse(e.endsAt))}
              </li>
            ))}
            {tool.added.map((a) => (
              <li key={`a-${a.requestId}`} class="added" data-request={a.requestId}>
                + {formatRange(Date.parse(a.startsAt), Date.parse(a.endsAt))}{' '}
                <span class="muted">{a.tenantId}</span>
              </li>
            ))}
          </ul>
        </article>
      ))}
    </div>
  );
}
