// My bookings (GET /api/bookings?mine=true; staff may widen to every tenant's): cancel, check in,
// check out, and decline a move maintenance made. A lot route is one card with its steps.
import { isAbort, type BookingView, type LotState, type LotView } from './api.js';
import { h, mount } from './dom.js';
import { lotCard } from './lot-card.js';
import { formatRange, formatRelative, isoDay } from './time.js';
import { busy, problemBox, stateBadge, toast, toolLabel, type AppContext } from './ui.js';

const filters = {
  active: {
    label: 'Upcoming & in use',
    states: 'held,confirmed,in_use',
    lots: ['requested', 'held', 'confirmed', 'in_progress'] as LotState[],
  },
  finished: {
    label: 'Finished',
    states: 'completed,cancelled,rejected,expired,no_show',
    lots: ['completed', 'cancelled', 'rejected', 'expired'] as LotState[],
  },
} as const;
type Filter = keyof typeof filters;

export function renderBookings(root: HTMLElement, ctx: AppContext, params: URLSearchParams): () => void {
  const filter: Filter = params.get('show') === 'finished' ? 'finished' : 'active';
  const focus = params.get('focus');
  // Staff may look at every tenant's bookings; by default everyone sees their own.
  const all = ctx.seesAllTenants && params.get('scope') === 'all';
  const link = (changes: { show?: Filter; all?: boolean }) => {
    const next = new URLSearchParams({ show: changes.show ?? filter });
    if (changes.all ?? all) next.set('scope', 'all');
    return `#/bookings?${next.toString()}`;
  };
  const status = h('div', { class: 'status-line', 'aria-live': 'polite' }, 'Loading…');
  const host = h('div');
  mount(
    root,
    h(
      'section',
      { class: 'bookings' },
      h(
        'div',
        { class: 'toolbar' },
        h('h2', null, all ? 'Bookings (all tenants)' : 'My bookings'),
        h(
          'div',
          { class: 'btn-group' },
          (Object.keys(filters) as Filter[]).map((f) =>
            h(
              'a',
              { class: `btn${f === filter ? ' active' : ''}`, href: link({ show: f }) },
              filters[f].label,
            ),
          ),
        ),
        ctx.seesAllTenants
          ? h(
              'div',
              { class: 'btn-group', role: 'group', 'aria-label': 'Whose bookings' },
              h('a', { class: `btn${all ? '' : ' active'}`, href: link({ all: false }) }, 'Mine'),
              h('a', { class: `btn${all ? ' active' : ''}`, href: link({ all: true }) }, 'All tenants'),
            )
          : null,
        h('span', { class: 'spacer' }),
        h('a', { class: 'btn primary', href: '#/request' }, 'New request'),
      ),
      status,
      host,
    ),
  );

  const controller = new AbortController();
  void (async () => {
    try {
      const query = new URLSearchParams({ state: filters[filter].states, limit: '500' });
      if (!all) query.set('mine', 'true');
      const [{ bookings }, { lots }] = await Promise.all([
        ctx.api.get<{ bookings: BookingView[] }>(`/api/bookings?${query}`, { signal: controller.signal }),
        ctx.api.get<{ lots: LotView[] }>('/api/lots', { signal: controller.signal }),
      ]);
      // A lot's steps are shown (and driven) on its card, not as loose bookings.
      const singles = bookings.filter((b) => !b.lotStepId);
      const list = filter === 'finished' ? singles.reverse() : singles;
      const routes = lots.filter(
        (l) => filters[filter].lots.includes(l.state) && (all || l.userId === ctx.me.userId),
      );
      const counts = [
        list.length ? `${list.length} booking${list.length === 1 ? '' : 's'}` : '',
        routes.length ? `${routes.length} lot route${routes.length === 1 ? '' : 's'}` : '',
      ].filter(Boolean);
      mount(
        status,
        counts.length ? `${counts.join(', ')} · times in Hong Kong (UTC+8)` : 'No bookings here yet.',
      );
      if (!list.length && !routes.length) return;
      mount(
        host,
        routes.length
          ? h(
              'div',
              { class: 'lot-cards' },
              routes.map((l) => lotCard(ctx, l, all)),
            )
          : null,
        filter === 'active' && !ctx.seesAllTenants
          ? h(
              'p',
              { class: 'hint decline-hint' },
              'Decline move: if maintenance moved one of your bookings, you may decline the move; the booking is then cancelled without penalty.',
            )
          : null,
        !list.length
          ? null
          : h(
              'table',
              { class: 'table' },
              h(
                'thead',
                null,
                h(
                  'tr',
                  null,
                  ['When', 'Tool', 'State', 'Lot', all ? 'Tenant · user' : 'User', 'Purpose', ''].map((c) =>
                    h('th', null, c),
                  ),
                ),
              ),
              h(
                'tbody',
                null,
                list.map((b) => bookingRow(ctx, b, all)),
              ),
            ),
      );
      if (focus) {
        const row = host.querySelector<HTMLElement>(`tr[data-booking="${CSS.escape(focus)}"]`);
        row?.classList.add('focus');
        row?.scrollIntoView({ block: 'center' });
      }
    } catch (err) {
      if (!isAbort(err)) mount(status, problemBox(err, ctx));
    }
  })();
  return () => controller.abort();
}

function bookingRow(ctx: AppContext, booking: BookingView, all: boolean): HTMLElement {
  const row = h('tr', { dataset: { booking: booking.id, state: booking.state } });
  const fill = (b: BookingView) => {
    const start = Date.parse(b.startsAt);
    row.dataset.state = b.state;
    const message = h('div', { class: 'row-message' });
    // A linked tool's booking is acted on through its primary.
    const actions = h('td', { class: 'row-actions' }, b.primaryBookingId ? [] : bookingActions(ctx, b, message, fill), message);
    mount(
      row,
      h(
        'td',
        null,
        h(
          'a',
          { href: `#/schedule?view=day&date=${isoDay(start)}`, title: 'Show on the schedule' },
          formatRange(start, Date.parse(b.endsAt)),
        ),
      ),
      h(
        'td',
        null,
        toolLabel(ctx, b.toolId),
        b.primaryBookingId ? h('div', { class: 'muted small' }, 'linked tool: goes with its primary booking') : null,
      ),
      h(
        'td',
        null,
        stateBadge(b.state),
        b.state === 'held' && b.approvalDeadline
          ? h(
              'div',
              { class: 'muted small' },
              `decision due ${formatRelative(Date.parse(b.approvalDeadline), Date.now())}`,
            )
          : null,
        b.lateCancel ? h('div', { class: 'muted small' }, 'late cancellation') : null,
        b.cancelReason ? h('div', { class: 'muted small' }, b.cancelReason) : null,
        // For the lab managers: the user's qualification for the tool lapsed or was revoked.
        b.flag ? h('div', { class: 'tag warn booking-flag', title: b.flag.reason }, 'flagged: qualification ended') : null,
        b.trainerId ? h('div', { class: 'muted small' }, `training with ${b.trainerId}`) : null,
      ),
      h('td', null, `${b.material} · ${b.waferSize} mm · ${b.contaminationGroup}${b.recipe ? ` · ${b.recipe} × ${b.waferCount ?? 1}` : ''}`),
      h('td', null, all ? `${b.tenantId} · ${b.userId}` : b.userId),
      h('td', { class: 'purpose' }, b.purpose ?? ''),
      actions,
    );
  };
  fill(booking);
  return row;
}

function bookingActions(
  ctx: AppContext,
  b: BookingView,
  message: HTMLElement,
  update: (b: BookingView) => void,
): HTMLElement[] {
  const act = (
    label: string,
    path: string,
    done: string,
    body?: () => Record<string, unknown>,
    cls = 'btn small',
  ) => {
    const button = h('button', { type: 'button', class: cls }, label);
    button.addEventListener(
      'click',
      () =>
        void busy(button, async () => {
          mount(message);
          try {
            const next = await ctx.api.post<BookingView>(`/api/bookings/${b.id}/${path}`, body?.() ?? {});
            toast(done);
            update(next);
          } catch (err) {
            mount(message, problemBox(err, ctx));
          }
        }),
    );
    return button;
  };
  const buttons: HTMLElement[] = [];
  if (b.state === 'confirmed')
    buttons.push(act('Check in', 'check-in', 'Checked in', undefined, 'btn small primary'));
  if (b.state === 'in_use')
    buttons.push(
      act('Check out', 'check-out', 'Checked out: usage recorded', undefined, 'btn small primary'),
    );
  if (b.state === 'held' || b.state === 'confirmed') {
    // Cancelling asks once more, with an optional reason, in place.
    const reason = h('input', {
      type: 'text',
      placeholder: 'Reason (optional)',
      maxlength: '500',
      'aria-label': 'Cancel reason',
    });
    const confirm = act(
      'Confirm cancel',
      'cancel',
      'Booking cancelled',
      () => (reason.value.trim() ? { reason: reason.value.trim() } : {}),
      'btn small danger',
    );
    const box = h('span', { class: 'confirm-box', hidden: true }, reason, confirm);
    const cancel = h('button', { type: 'button', class: 'btn small' }, 'Cancel…');
    cancel.addEventListener('click', () => {
      box.hidden = !box.hidden;
      if (!box.hidden) reason.focus();
    });
    buttons.push(cancel, box);
  }
  // Only where maintenance moved the booking: its tenant may decline the move without penalty.
  const declines = !ctx.seesAllTenants && b.userId === ctx.me.userId && b.movedByMaintenance;
  if (declines && (b.state === 'held' || b.state === 'confirmed')) {
    const decline = act(
      'Decline move',
      'decline-move',
      'Move declined: booking cancelled without penalty',
      undefined,
      'btn small subtle-dark',
    );
    decline.title =
      'If maintenance moved this booking, you may decline the move: the booking is cancelled without penalty.';
    buttons.push(h('div', { class: 'decline' }, decline));
  }
  return buttons;
}
