// My bookings (cancel, check in, check out) and the lab managers' approval queue.
import { isAbort, type BookingView } from './api.js';
import { h, mount } from './dom.js';
import { formatDateTime, formatRange, formatRelative, isoDay } from './time.js';
import { busy, problemBox, stateBadge, toast, toolLabel, type AppContext } from './ui.js';

const filters = {
  active: { label: 'Upcoming & in use', states: 'held,confirmed,in_use' },
  finished: { label: 'Finished', states: 'completed,cancelled,rejected,expired,no_show' },
} as const;
type Filter = keyof typeof filters;

export function renderBookings(root: HTMLElement, ctx: AppContext, params: URLSearchParams): () => void {
  const filter: Filter = params.get('show') === 'finished' ? 'finished' : 'active';
  const focus = params.get('focus');
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
        h('h2', null, ctx.isManager ? 'Bookings (all tenants)' : 'My bookings'),
        h(
          'div',
          { class: 'btn-group' },
          (Object.keys(filters) as Filter[]).map((f) =>
            h(
              'a',
              { class: `btn${f === filter ? ' active' : ''}`, href: `#/bookings?show=${f}` },
              filters[f].label,
            ),
          ),
        ),
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
      const { bookings } = await ctx.api.get<{ bookings: BookingView[] }>(`/api/bookings?${query}`, {
        signal: controller.signal,
      });
      const list = filter === 'finished' ? bookings.reverse() : bookings;
      mount(
        status,
        list.length
          ? `${list.length} booking${list.length === 1 ? '' : 's'} · times in Hong Kong (UTC+8)`
          : 'No bookings here yet.',
      );
      if (!list.length) return;
      mount(
        host,
        h(
          'table',
          { class: 'table' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ['When', 'Tool', 'State', 'Lot', ctx.isManager ? 'Tenant · user' : 'User', 'Purpose', ''].map(
                (c) => h('th', null, c),
              ),
            ),
          ),
          h(
            'tbody',
            null,
            list.map((b) => bookingRow(ctx, b)),
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

function bookingRow(ctx: AppContext, booking: BookingView): HTMLElement {
  const row = h('tr', { dataset: { booking: booking.id, state: booking.state } });
  const fill = (b: BookingView) => {
    const start = Date.parse(b.startsAt);
    row.dataset.state = b.state;
    const message = h('div', { class: 'row-message' });
    const actions = h('td', { class: 'row-actions' }, bookingActions(ctx, b, message, fill), message);
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
      h('td', null, toolLabel(ctx, b.toolId)),
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
      ),
      h('td', null, `${b.material} · ${b.waferSize} mm · ${b.contaminationGroup}`),
      h('td', null, ctx.isManager ? `${b.tenantId} · ${b.userId}` : b.userId),
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
  return buttons;
}

export function renderApprovals(root: HTMLElement, ctx: AppContext): () => void {
  const status = h('div', { class: 'status-line', 'aria-live': 'polite' }, 'Loading…');
  const host = h('div', { class: 'approvals-list' });
  mount(
    root,
    h(
      'section',
      { class: 'approvals' },
      h('div', { class: 'toolbar' }, h('h2', null, 'Approvals')),
      status,
      host,
    ),
  );
  const controller = new AbortController();
  let remaining = 0;
  const setCount = () =>
    mount(
      status,
      remaining
        ? `${remaining} held booking${remaining === 1 ? '' : 's'} waiting, nearest deadline first`
        : 'Nothing waiting for approval.',
    );

  void (async () => {
    try {
      const { bookings } = await ctx.api.get<{ bookings: BookingView[] }>('/api/approvals', {
        signal: controller.signal,
      });
      remaining = bookings.length;
      setCount();
      mount(
        host,
        bookings.map((b) =>
          approvalCard(ctx, b, () => {
            remaining -= 1;
            setCount();
            ctx.refreshApprovals();
          }),
        ),
      );
    } catch (err) {
      if (!isAbort(err)) mount(status, problemBox(err, ctx));
    }
  })();
  return () => controller.abort();
}

function approvalCard(ctx: AppContext, b: BookingView, decided: () => void): HTMLElement {
  const start = Date.parse(b.startsAt);
  const tool = ctx.toolsById.get(b.toolId);
  const note = h('input', {
    type: 'text',
    maxlength: '500',
    placeholder: 'Note to the requester (optional)',
    'aria-label': 'Note',
  });
  const message = h('div', { class: 'row-message' });
  const card = h('article', { class: 'approval', dataset: { booking: b.id } });
  const decide = (verb: 'approve' | 'reject', label: string, cls: string) => {
    const button = h('button', { type: 'button', class: `btn ${cls}` }, label);
    button.addEventListener(
      'click',
      () =>
        void busy(button, async () => {
          mount(message);
          try {
            const next = await ctx.api.post<BookingView>(
              `/api/bookings/${b.id}/${verb}`,
              note.value.trim() ? { note: note.value.trim() } : {},
            );
            toast(
              `${next.toolId} ${formatRange(start, Date.parse(next.endsAt))}: ${verb === 'approve' ? 'approved' : 'rejected'}`,
            );
            card.classList.add('decided');
            mount(
              card,
              h(
                'p',
                null,
                stateBadge(next.state),
                ' ',
                toolLabel(ctx, next.toolId),
                ` ${formatRange(start, Date.parse(next.endsAt))} — ${b.tenantId}`,
              ),
            );
            window.setTimeout(() => card.remove(), 1500);
            decided();
          } catch (err) {
            mount(message, problemBox(err, ctx));
          }
        }),
    );
    return button;
  };
  mount(
    card,
    h(
      'div',
      { class: 'approval-main' },
      h('div', { class: 'approval-when' }, h('strong', null, formatRange(start, Date.parse(b.endsAt)))),
      h(
        'div',
        null,
        h('strong', null, toolLabel(ctx, b.toolId)),
        tool ? h('span', { class: 'muted' }, ` ${tool.name}`) : null,
      ),
      h(
        'div',
        null,
        `${b.tenantId} · ${b.userId} · ${b.material} · ${b.waferSize} mm · ${b.contaminationGroup}`,
      ),
      b.purpose ? h('div', { class: 'purpose' }, `“${b.purpose}”`) : null,
      b.approvalDeadline
        ? h(
            'div',
            { class: 'deadline' },
            `Decide by ${formatDateTime(Date.parse(b.approvalDeadline))} (${formatRelative(Date.parse(b.approvalDeadline), Date.now())}); the hold lapses then.`,
          )
        : null,
    ),
    h(
      'div',
      { class: 'approval-actions' },
      note,
      decide('approve', 'Approve', 'primary'),
      decide('reject', 'Reject', 'danger'),
    ),
    message,
  );
  return card;
}
