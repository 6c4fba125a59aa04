// The lab managers' approval queue: held bookings and held lot routes (each decided as a whole),
// nearest deadline first; approve or reject with a note.
import { isAbort, type BookingView, type LotView } from './api.js';
import { lotApprovalCard } from './approval-lot.js';
import { h, mount } from './dom.js';
import { formatDateTime, formatRange, formatRelative } from './time.js';
import { busy, problemBox, stateBadge, toast, toolLabel, type AppContext } from './ui.js';

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
        ? `${remaining} request${remaining === 1 ? '' : 's'} waiting, nearest deadline first`
        : 'Nothing waiting for approval.',
    );

  void (async () => {
    try {
      const { bookings, lots } = await ctx.api.get<{ bookings: BookingView[]; lots: LotView[] }>(
        '/api/approvals',
        { signal: controller.signal },
      );
      remaining = bookings.length + lots.length;
      setCount();
      const decided = () => {
        remaining -= 1;
        setCount();
        ctx.refreshApprovals();
      };
      // One queue: a lot route is one request, however many steps it holds.
      const deadline = (at: string | null) => (at ? Date.parse(at) : Infinity);
      const queue = [
        ...lots.map((lot) => ({
          at: deadline(lot.approvalDeadline),
          card: () => lotApprovalCard(ctx, lot, decided),
        })),
        ...bookings.map((b) => ({
          at: deadline(b.approvalDeadline),
          card: () => approvalCard(ctx, b, decided),
        })),
      ].sort((a, b) => a.at - b.at);
      mount(
        host,
        queue.map((item) => item.card()),
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
