// One booking's page (#/booking?id=…, where every e-mail about it links): the booking, what each
// action would do and cost now under its policy, before it is taken, and its history as the viewer
// may see it.
import { bookingActionsAt } from '../../../domain/booking-actions.js';
import type { BookingActionsView, BookingHistory } from '../../../domain/booking-detail.js';
import type { BookingView } from '../api.js';
import type { ViewProps } from '../app/view-props.js';
import { ToolRef } from '../components/explanation.js';
import { Problem } from '../components/form.js';
import { useLoad } from '../components/use-load.js';
import { StateBadge } from '../components/state-badge.js';
import { useNow } from '../components/use-now.js';
import { formatDateTime, formatDuration, formatRange, isoDay } from '../time.js';
import { BookingActions } from './booking-actions.js';
import { viewerOf } from './viewer.js';

const money = (cents: number, currency: string) => `${currency === 'HKD' ? 'HK$' : `${currency} `}${(cents / 100).toFixed(2)}`;

export function BookingPage(props: ViewProps) {
  const { ctx } = props;
  const id = props.params.get('id') ?? '';
  const booking = useLoad((signal) => ctx.api.get<BookingView>(`/api/bookings/${encodeURIComponent(id)}`, { signal }), [id]);
  const actions = useLoad((signal) => ctx.api.get<BookingActionsView>(`/api/bookings/${encodeURIComponent(id)}/actions`, { signal }), [id]);
  const history = useLoad((signal) => ctx.api.get<BookingHistory>(`/api/bookings/${encodeURIComponent(id)}/history`, { signal }), [id]);
  const reload = () => {
    booking.reload();
    actions.reload();
    history.reload();
  };
  const b = booking.data;
  if (!b) return <section class="booking-page">{booking.problem ? <Problem problem={booking.problem} /> : <p class="muted">Loading…</p>}</section>;
  const start = Date.parse(b.startsAt);
  const end = Date.parse(b.endsAt);
  return (
    <section class="booking-page" data-booking={b.id} data-state={b.state}>
      <div class="toolbar">
        <h2>
          <ToolRef tools={ctx.toolsById} toolId={b.toolId} /> {formatRange(start, end)} <StateBadge state={b.state} />
        </h2>
        <span class="spacer" />
        <a class="btn" href={`#/schedule?view=day&date=${isoDay(start)}`}>
          Show on the schedule
        </a>
        <a class="btn" href="#/bookings">
          My bookings
        </a>
      </div>
      <dl class="facts">
        <dt>Tool</dt>
        <dd>{ctx.toolsById.get(b.toolId)?.name ?? b.toolId}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(Math.round((end - start) / 60_000))}</dd>
        <dt>Wafers</dt>
        <dd>
          {b.material} · {b.waferSize} mm · {b.contaminationGroup}
          {b.recipe ? ` · ${b.recipe} × ${b.waferCount ?? 1}` : ''}
        </dd>
        {b.purpose ? (
          <>
            <dt>Purpose</dt>
            <dd>{b.purpose}</dd>
          </>
        ) : null}
        {b.approvalDeadline && b.state === 'held' ? (
          <>
            <dt>Decision due</dt>
            <dd>{formatDateTime(Date.parse(b.approvalDeadline))}</dd>
          </>
        ) : null}
        {b.cancelReason ? (
          <>
            <dt>Reason</dt>
            <dd class="cancel-reason">{b.cancelReason}</dd>
          </>
        ) : null}
        {b.linkedToolIds?.length ? (
          <>
            <dt>Held alongside</dt>
            <dd>{b.linkedToolIds.join(', ')}</dd>
          </>
        ) : null}
      </dl>
      <h3>What you can do now</h3>
      <Problem problem={actions.problem} />
      {actions.data ? <ActionsPanel ctx={ctx} booking={b} view={actions.data} onDone={reload} /> : null}
      <h3>History</h3>
      <Problem problem={history.problem} />
      <ol class="booking-history">
        {(history.data?.entries ?? []).map((e, i) => (
          <li key={i} data-action={e.action}>
            <time dateTime={e.at}>{formatDateTime(Date.parse(e.at))}</time> <span class="summary">{e.summary}</span>
            {e.actor ? (
              <span class="muted">
                {' '}
                — {e.actor.name} ({e.actor.role})
              </span>
            ) : (
              <span class="muted"> — Pilotline</span>
            )}
            {e.slot ? (
              <span class="muted">
                {' '}
                · {e.slot.toolId} {formatRange(Date.parse(e.slot.startsAt), Date.parse(e.slot.endsAt))}
              </span>
            ) : null}
            {e.note ? <div class="note">“{e.note}”</div> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The actions, with what cancelling and not showing up would be charged under the tool's policy. */
function ActionsPanel(props: { ctx: ViewProps['ctx']; booking: BookingView; view: BookingActionsView; onDone(): void }) {
  const { view } = props;
  // Re-decided as the clock passes (check-in opens, cancelling turns late) by the server's own rules.
  const now = useNow();
  const actions = now > Date.parse(view.at) ? bookingActionsAt(props.booking, view.times, now, viewerOf(props.ctx)) : view.actions;
  const rate = view.rate ? `${money(view.rate.hourlyRateCents, view.rate.currency)}/h (${view.rate.tenantClass} rate)` : 'no rate set';
  const cancelCost = view.cancel.penaltyFree
    ? 'Declining the move cancels it without penalty.'
    : view.cancel.charge
      ? `Cancelling now is late: charged ${money(view.cancel.charge.amountCents, view.cancel.charge.currency)} (${view.cancel.chargePercent} % of the booking at ${rate}).`
      : view.cancel.late
        ? `Cancelling now is late${view.cancel.chargePercent ? `: ${view.cancel.chargePercent} % of the booking is charged (no rate is set to price it)` : ' (the policy names no charge)'}.`
        : view.cancel.lateFrom
          ? `Free to cancel until ${formatDateTime(Date.parse(view.cancel.lateFrom))}${view.cancel.chargePercent ? `; later ${view.cancel.chargePercent} % of the booking is charged` : ''}.`
          : 'Cancelling now costs nothing.';
  return (
    <div class="actions-panel">
      <ul class="costs">
        <li data-cost="rate">Rate: {rate}</li>
        {actions.some((a) => a.action === 'cancel') ? <li data-cost="cancel">{cancelCost}</li> : null}
        {view.noShow.at ? (
          <li data-cost="no-show">
            No check-in by {formatDateTime(Date.parse(view.noShow.at))}: a no-show
            {view.noShow.charge ? `, charged ${money(view.noShow.charge.amountCents, view.noShow.charge.currency)} (${view.noShow.chargePercent} %)` : ''}.
          </li>
        ) : null}
      </ul>
      {actions.length ? (
        <BookingActions api={props.ctx.api} booking={props.booking} actions={actions} costs={{ cancel: cancelCost }} explain onDone={props.onDone} />
      ) : (
        <p class="muted">Nothing: {props.booking.lotStepId ? 'a lot step is run from its lot route.' : 'this booking is closed.'}</p>
      )}
    </div>
  );
}
