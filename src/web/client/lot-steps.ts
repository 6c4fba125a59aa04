// A lot route's steps as one table: each step's tool, slot and state, with room for actions.
import type { LotStepView, LotView } from './api.js';
import { h, type Child } from './dom.js';
import { formatDuration, formatRange } from './time.js';
import { stateBadge, toolLabel, type AppContext } from './ui.js';

/** The Q-time to the next step, in words ("next within 1 h"). */
function qtime(step: LotStepView): string {
  return step.maxLagToNextMin === null ? '' : `next within ${formatDuration(step.maxLagToNextMin)}`;
}

export function lotStepsTable(
  ctx: AppContext,
  lot: LotView,
  actions?: (step: LotStepView) => Child,
): HTMLElement {
  return h(
    'table',
    { class: 'table lot-steps' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ['#', 'Step', 'Tool', 'When', 'State', actions ? '' : null].map((c) =>
          c === null ? null : h('th', null, c),
        ),
      ),
    ),
    h(
      'tbody',
      null,
      lot.steps.map((s) =>
        h(
          'tr',
          { class: 'lot-step', dataset: { seq: String(s.seq), state: s.booking?.state ?? 'none' } },
          h('td', null, String(s.seq)),
          h('td', null, s.name, h('div', { class: 'muted small' }, qtime(s))),
          h('td', null, s.booking ? toolLabel(ctx, s.booking.toolId) : s.toolTypeId),
          h(
            'td',
            { class: 'when' },
            s.booking ? formatRange(Date.parse(s.booking.startsAt), Date.parse(s.booking.endsAt)) : '—',
          ),
          h('td', null, s.booking ? stateBadge(s.booking.state) : null),
          actions ? h('td', { class: 'row-actions' }, actions(s)) : null,
        ),
      ),
    ),
  );
}

/** The route's span in words (shared with the lot pages). */
export { lotSpanText as lotSpan } from './lots/lot-span.js';
