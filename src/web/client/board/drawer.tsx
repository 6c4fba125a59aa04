// The detail of one block, in a drawer beside the board (a sheet at the bottom on a phone): who, when,
// what was really used, and what the viewer may do with it. Escape or Close returns to the block.
import { useEffect, useRef } from 'preact/hooks';
import type { BookingView, ScheduleTool } from '../api.js';
import { Decision } from '../components/decision.js';
import { ProblemBox } from '../components/problem-box.js';
import { StateBadge } from '../components/state-badge.js';
import { useLoad } from '../components/use-load.js';
import { formatDateTime, formatDuration, formatRange, formatRelative } from '../time.js';
import type { AppContext } from '../ui.js';
import { tenantName, userName, type BoardNames, type PlacedBlock } from './blocks.js';

export interface DrawerProps {
  ctx: AppContext;
  tool: ScheduleTool;
  placed: PlacedBlock;
  names: BoardNames;
  onClose(): void;
  /** Something changed (a decision): the board reloads. */
  onChanged(): void;
}

export function BlockDrawer(props: DrawerProps) {
  const { ctx, tool, placed } = props;
  const { block } = placed;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [placed.key]);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      props.onClose();
    }
  };
  const title = block.kind === 'booking' ? 'Booking' : block.kind === 'maintenance' ? (block.maintenanceKind === 'outage' ? 'Outage' : 'Maintenance') : 'Busy';
  return (
    <div class="drawer" role="dialog" aria-modal="false" aria-labelledby="drawer-title" onKeyDown={onKeyDown} data-key={placed.key}>
      <header class="drawer-head">
        <h2 id="drawer-title" tabIndex={-1} ref={heading}>
          {title} · {tool.name}
        </h2>
        <button type="button" class="btn subtle-dark drawer-close" onClick={props.onClose} aria-label="Close the detail">
          ×
        </button>
      </header>
      <p class="drawer-when">
        <strong>{formatRange(placed.start, placed.end)}</strong> <span class="muted">({formatDuration((placed.end - placed.start) / 60_000)})</span>
      </p>
      {block.kind === 'busy' ? (
        <p>Another tenant has the tool at this time. Their booking is theirs to see; for you the time is busy.</p>
      ) : block.kind === 'maintenance' ? (
        <dl class="facts">
          <dt>Work</dt>
          <dd>{block.reason}</dd>
          <dt>Kind</dt>
          <dd>{block.maintenanceKind}</dd>
          <dt>State</dt>
          <dd>{block.state.replaceAll('_', ' ')}</dd>
          {ctx.canMaintain ? (
            <dd class="drawer-links">
              <a href={`#/maintenance?focus=${block.maintenanceId}`}>Open in the maintenance planner</a>
            </dd>
          ) : null}
        </dl>
      ) : (
        <BookingFacts {...props} bookingId={block.id} />
      )}
    </div>
  );
}

function BookingFacts(props: DrawerProps & { bookingId: string }) {
  const { ctx, placed, names } = props;
  const block = placed.block;
  const detail = useLoad<BookingView>((signal) => ctx.api.get(`/api/bookings/${props.bookingId}`, { signal }), [props.bookingId]);
  if (block.kind !== 'booking') return null;
  const booking = detail.data;
  const mine = block.tenantId === ctx.me.tenant.id;
  return (
    <>
      <dl class="facts">
        <dt>State</dt>
        <dd>
          <StateBadge state={booking?.state ?? block.state} />
        </dd>
        <dt>Tenant</dt>
        <dd>{tenantName(names, block.tenantId)}</dd>
        <dt>Booked by</dt>
        <dd>{userName(names, block.userId)}</dd>
        <dt>Wafers</dt>
        <dd>
          {block.material}
          {booking ? ` · ${booking.waferSize} mm · ${booking.contaminationGroup}` : ''}
        </dd>
        {block.checkedInAt ? (
          <>
            <dt>Used</dt>
            <dd>
              {block.checkedOutAt
                ? `${formatRange(Date.parse(block.checkedInAt), Date.parse(block.checkedOutAt))} (${formatDuration((Date.parse(block.checkedOutAt) - Date.parse(block.checkedInAt)) / 60_000)})`
                : `in use since ${formatDateTime(Date.parse(block.checkedInAt))}`}
            </dd>
          </>
        ) : block.state === 'no_show' ? (
          <>
            <dt>Used</dt>
            <dd>Nobody checked in: the slot was released.</dd>
          </>
        ) : null}
        {block.lot ? (
          <>
            <dt>Lot route</dt>
            <dd>
              <a href={`#/lot?id=${block.lot.id}`}>{block.lot.name}</a>, step {block.lot.seq}
            </dd>
          </>
        ) : null}
        {booking?.purpose ? (
          <>
            <dt>Purpose</dt>
            <dd class="purpose">{booking.purpose}</dd>
          </>
        ) : null}
        {booking?.state === 'held' && booking.approvalDeadline ? (
          <>
            <dt>Decision due</dt>
            <dd>
              {formatDateTime(Date.parse(booking.approvalDeadline))} ({formatRelative(Date.parse(booking.approvalDeadline), Date.now())})
            </dd>
          </>
        ) : null}
      </dl>
      {detail.problem ? <ProblemBox problem={detail.problem} ctx={ctx} /> : null}
      {booking?.state === 'held' && ctx.canApprove && !block.lot ? (
        <Decision ctx={ctx} target={{ kind: 'booking', id: block.id, label: props.tool.name }} onDecided={() => props.onChanged()} />
      ) : null}
      <p class="drawer-links">
        {block.lot ? <a href={`#/schedule?lot=${block.lot.id}`}>Follow the lot’s route on the board</a> : null}
        {booking?.state === 'held' && ctx.canApprove ? <a href={`#/approvals?focus=${block.lot ? block.lot.id : block.id}`}>Open in Approvals</a> : null}
        {mine ? <a href={`#/bookings?focus=${block.id}`}>Open in My bookings</a> : null}
      </p>
    </>
  );
}
