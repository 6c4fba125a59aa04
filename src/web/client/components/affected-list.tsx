// The bookings a change affects (what it would break, or leaves to a lab manager), as a table.
import type { ComponentChildren } from 'preact';
import type { AffectedListing } from '../api.js';
import { formatDateTime } from '../time.js';

export const reasonLabels: Record<string, string> = {
  tool_retired: 'tool retired',
  user_deactivated: 'person deactivated',
  qualification_lapsed: 'qualification lapsed',
  qualification_revoked: 'qualification revoked',
  outside_policy: 'outside the new policy',
  quota_exceeded: 'over the new quota',
  buffer: 'no room for the new buffer',
  changeover: 'no room for the changeover',
  tool_capability: 'the tool no longer takes it',
};

export function AffectedList(props: { listing: AffectedListing; empty?: string; actions?: (bookingId: string) => ComponentChildren }) {
  const { bookings, busy = [] } = props.listing;
  if (!bookings.length && !busy.length) return <p class="muted affected-none">{props.empty ?? 'No existing booking is affected.'}</p>;
  return (
    <div class="affected">
      <table class="table affected-list">
        <thead>
          <tr>
            <th>Booking</th>
            <th>Tool</th>
            <th>When (HKT)</th>
            <th>Who</th>
            <th>Why</th>
            {props.actions ? <th /> : null}
          </tr>
        </thead>
        <tbody>
          {bookings.map((b) => (
            <tr key={`${b.bookingId}/${b.reason}`} data-booking={b.bookingId} data-reason={b.reason}>
              <td>
                <code>{b.bookingId.slice(0, 8)}</code> <span class={`badge state-${b.state}`}>{b.state}</span>
                {b.lotId ? <span class="tag">lot step</span> : null}
              </td>
              <td>{b.toolId}</td>
              <td>{formatDateTime(Date.parse(b.startsAt))}</td>
              <td>
                {b.userId} <span class="muted">({b.tenantId})</span>
              </td>
              <td title={b.detail}>{reasonLabels[b.reason] ?? b.reason}</td>
              {props.actions ? <td class="row-actions">{props.actions(b.bookingId)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
      {busy.length ? <p class="muted">And {busy.length} booking(s) of other tenants (shown to you as busy time).</p> : null}
    </div>
  );
}
