// A held lot route in the approval queue: decided as a whole (POST /api/lots/:id/approve|reject).
import type { LotView } from './api.js';
import { h, mount } from './dom.js';
import { lotSpan, lotStepsTable } from './lot-steps.js';
import { formatDateTime, formatRelative } from './time.js';
import { actionButton, stateBadge, toast, type AppContext } from './ui.js';

export function lotApprovalCard(ctx: AppContext, lot: LotView, decided: () => void): HTMLElement {
  const note = h('input', {
    type: 'text',
    maxlength: '500',
    placeholder: 'Note to the requester (optional)',
    'aria-label': 'Note',
  });
  const message = h('div', { class: 'row-message' });
  const card = h('article', { class: 'approval approval-lot', dataset: { lot: lot.id } });
  const decide = (verb: 'approve' | 'reject', label: string, cls: string) =>
    actionButton(ctx, label, `btn ${cls}`, message, async () => {
      const body = note.value.trim() ? { note: note.value.trim() } : {};
      const next = await ctx.api.post<LotView>(`/api/lots/${lot.id}/${verb}`, body);
      toast(`${next.name}: all ${next.steps.length} steps ${verb === 'approve' ? 'approved' : 'rejected'}`);
      card.classList.add('decided');
      mount(
        card,
        h('p', null, stateBadge(next.state), ` ${next.name} — ${lotSpan(next)} — ${next.tenantId}`),
      );
      window.setTimeout(() => card.remove(), 1500);
      decided();
    });
  mount(
    card,
    h(
      'div',
      { class: 'approval-main' },
      h('div', null, h('span', { class: 'lot-tag' }, 'Lot route'), ' ', h('strong', null, lot.name)),
      h('div', { class: 'approval-when' }, lotSpan(lot)),
      h('div', null, `${lot.tenantId} · ${lot.userId} · ${lot.material} · ${lot.waferSize} mm`),
      lot.approvalDeadline
        ? h(
            'div',
            { class: 'deadline' },
            `Decide by ${formatDateTime(Date.parse(lot.approvalDeadline))} (${formatRelative(Date.parse(lot.approvalDeadline), Date.now())}); every step's hold lapses then.`,
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
    h('div', { class: 'approval-steps' }, lotStepsTable(ctx, lot)),
    message,
  );
  return card;
}
