// A lot route in My bookings: one card with its steps, each checked in and out through the lot
// (POST /api/lots/:id/steps/:seq/check-in|check-out); the route is cancelled as a whole.
import type { LotStepView, LotView } from './api.js';
import { h, mount } from './dom.js';
import { lotSpan, lotStepsTable } from './lot-steps.js';
import { formatRelative } from './time.js';
import { actionButton, stateBadge, toast, type AppContext } from './ui.js';

export function lotCard(ctx: AppContext, lot: LotView, all: boolean): HTMLElement {
  const card = h('article', { class: 'lot-card', dataset: { lot: lot.id, state: lot.state } });
  const fill = (l: LotView) => {
    card.dataset.state = l.state;
    const message = h('div', { class: 'row-message' });
    mount(
      card,
      h(
        'div',
        { class: 'lot-head' },
        h('span', { class: 'lot-tag' }, 'Lot route'),
        h('strong', null, l.name),
        stateBadge(l.state),
        h('span', { class: 'muted' }, lotSpan(l)),
        h(
          'span',
          { class: 'muted' },
          all ? `${l.tenantId} · ${l.userId}` : `${l.material} · ${l.waferSize} mm`,
        ),
        h('span', { class: 'spacer' }),
        lotActions(ctx, l, message, fill),
      ),
      l.state === 'held' && l.approvalDeadline
        ? h(
            'div',
            { class: 'muted small' },
            `Decision due ${formatRelative(Date.parse(l.approvalDeadline), Date.now())}, for all steps together`,
          )
        : null,
      l.cancelReason ? h('div', { class: 'lot-reason' }, l.cancelReason) : null,
      lotStepsTable(ctx, l, (step) => stepActions(ctx, l, step, message, fill)),
      message,
    );
  };
  fill(lot);
  return card;
}

function stepActions(
  ctx: AppContext,
  lot: LotView,
  step: LotStepView,
  message: HTMLElement,
  update: (lot: LotView) => void,
): HTMLElement[] {
  const running = lot.state === 'confirmed' || lot.state === 'in_progress';
  const act = (label: string, path: 'check-in' | 'check-out', done: string) =>
    actionButton(ctx, label, 'btn small primary', message, async () => {
      update(await ctx.api.post<LotView>(`/api/lots/${lot.id}/steps/${step.seq}/${path}`));
      toast(done);
    });
  if (running && step.booking?.state === 'confirmed')
    return [act('Check in', 'check-in', `Step ${step.seq} checked in`)];
  if (step.booking?.state === 'in_use')
    return [act('Check out', 'check-out', `Step ${step.seq} checked out: usage recorded`)];
  return [];
}

function lotActions(
  ctx: AppContext,
  lot: LotView,
  message: HTMLElement,
  update: (lot: LotView) => void,
): HTMLElement | null {
  if (lot.state !== 'held' && lot.state !== 'confirmed') return null;
  // Cancelling asks once more, with an optional reason, in place; it releases every step.
  const reason = h('input', {
    type: 'text',
    placeholder: 'Reason (optional)',
    maxlength: '500',
    'aria-label': 'Cancel reason',
  });
  const confirm = actionButton(ctx, 'Cancel all steps', 'btn small danger', message, async () => {
    const body = reason.value.trim() ? { reason: reason.value.trim() } : {};
    update(await ctx.api.post<LotView>(`/api/lots/${lot.id}/cancel`, body));
    toast(`${lot.name} cancelled`);
  });
  const box = h('span', { class: 'confirm-box', hidden: true }, reason, confirm);
  const cancel = h('button', { type: 'button', class: 'btn small' }, 'Cancel lot…');
  cancel.addEventListener('click', () => {
    box.hidden = !box.hidden;
    if (!box.hidden) reason.focus();
  });
  return h('span', { class: 'lot-actions' }, cancel, box);
}
