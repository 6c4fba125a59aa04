// One booking in a list: when (linking to its page), tool, state, wafers, who, purpose, and the
// actions its state and the clock allow now.
import { useState } from 'preact/hooks';
import { bookingActionsAt } from '../../../domain/booking-actions.js';
import type { BookingListEntry } from '../../../domain/booking-detail.js';
import { ToolRef } from '../components/explanation.js';
import { StateBadge } from '../components/state-badge.js';
import { formatRange, formatRelative } from '../time.js';
import type { AppContext } from '../ui.js';
import { BookingActions } from './booking-actions.js';
import { viewerOf } from './viewer.js';

export function BookingRow(props: { ctx: AppContext; entry: BookingListEntry; all: boolean; now: number; focus: boolean }) {
  const { ctx, all, now } = props;
  const [b, setB] = useState(props.entry);
  const start = Date.parse(b.startsAt);
  // A linked tool's booking is acted on through its primary.
  const actions = b.primaryBookingId ? [] : bookingActionsAt(b, b.times, now, viewerOf(ctx));
  return (
    <tr data-booking={b.id} data-state={b.state} class={props.focus ? 'focus' : undefined}>
      <td>
        <a href={`#/booking?id=${b.id}`} title="Open the booking: its history and what each action costs">
          {formatRange(start, Date.parse(b.endsAt))}
        </a>
      </td>
      <td>
        <ToolRef tools={ctx.toolsById} toolId={b.toolId} /> <span class="muted small">{b.toolName}</span>
        {b.primaryBookingId ? <div class="muted small">linked tool: goes with its primary booking</div> : null}
      </td>
      <td>
        <StateBadge state={b.state} />
        {b.state === 'held' && b.approvalDeadline ? <div class="muted small">decision due {formatRelative(Date.parse(b.approvalDeadline), now)}</div> : null}
        {b.lateCancel ? <div class="muted small">late cancellation</div> : null}
        {b.cancelReason ? <div class="muted small">{b.cancelReason}</div> : null}
        {b.flag ? (
          <div class="tag warn booking-flag" title={b.flag.reason}>
            flagged: qualification ended
          </div>
        ) : null}
        {b.trainerId ? <div class="muted small">training with {b.trainerId}</div> : null}
      </td>
      <td>
        {b.material} · {b.waferSize} mm · {b.contaminationGroup}
        {b.recipe ? ` · ${b.recipe} × ${b.waferCount ?? 1}` : ''}
      </td>
      <td>{all ? `${b.tenantName} · ${b.userName}` : b.userName}</td>
      <td class="purpose">{b.purpose ?? ''}</td>
      <td class="row-actions">
        <BookingActions api={ctx.api} booking={b} actions={actions} onDone={(next) => setB({ ...b, ...next })} />
      </td>
    </tr>
  );
}
