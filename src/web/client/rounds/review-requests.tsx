// Every request of the round in the proposal: its slot or why it is left out, and the lab
// manager's pin (keep it, at its slot) and drop (leave it out) for the next run.
import { formatDuration, formatRange } from '../time.js';
import type { RoundProposal, RoundRequestView } from './types.js';

export interface Marks {
  pinned: ReadonlySet<string>;
  dropped: ReadonlySet<string>;
}

export function ReviewRequests(props: {
  proposal: RoundProposal;
  requests: RoundRequestView[];
  marks: Marks;
  editable: boolean;
  onMark: (id: string, mark: 'pinned' | 'dropped', on: boolean) => void;
}) {
  const { proposal, marks } = props;
  const grants = new Map(proposal.grants.map((g) => [g.requestId, g]));
  const leftOut = new Map(proposal.leftOut.map((l) => [l.requestId, l]));
  const rows = props.requests.filter((r) => grants.has(r.id) || leftOut.has(r.id));
  return (
    <table class="table round-review-requests">
      <thead>
        <tr>
          <th>Tenant</th>
          <th>Tool type</th>
          <th>Time</th>
          <th>Window</th>
          <th>Priority</th>
          <th>Proposed</th>
          <th>Pin</th>
          <th>Drop</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const grant = grants.get(r.id);
          const left = leftOut.get(r.id);
          return (
            <tr
              key={r.id}
              data-request={r.id}
              data-tenant={r.tenantId}
              class={grant ? 'granted' : 'left-out'}
            >
              <td>{r.tenantId}</td>
              <td>{r.toolTypeId}</td>
              <td>{formatDuration(r.durationMin)}</td>
              <td class="small">{formatRange(Date.parse(r.earliestStart), Date.parse(r.latestEnd))}</td>
              <td>{r.priority}</td>
              <td class="proposed">
                {grant ? (
                  <span class="granted-slot">
                    <strong>{grant.toolId}</strong>{' '}
                    {formatRange(Date.parse(grant.startsAt), Date.parse(grant.endsAt))}
                    {grant.pinned ? <span class="tag">pinned</span> : null}
                  </span>
                ) : (
                  <span class="reason" data-reason={left?.reason}>
                    {left?.words}
                  </span>
                )}
              </td>
              <td>
                <input
                  type="checkbox"
                  name="pin"
                  aria-label={`Pin ${r.id}`}
                  disabled={!props.editable || marks.dropped.has(r.id)}
                  checked={marks.pinned.has(r.id)}
                  onChange={(e) => props.onMark(r.id, 'pinned', e.currentTarget.checked)}
                />
              </td>
              <td>
                <input
                  type="checkbox"
                  name="drop"
                  aria-label={`Drop ${r.id}`}
                  disabled={!props.editable || marks.pinned.has(r.id)}
                  checked={marks.dropped.has(r.id)}
                  onChange={(e) => props.onMark(r.id, 'dropped', e.currentTarget.checked)}
                />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
