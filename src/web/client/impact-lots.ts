// The lot routes in a maintenance window's way: each moved as a whole (every step from → to) or
// released as a whole, with why.
import type { LotRepairView } from './api.js';
import { h, type Child } from './dom.js';
import { formatRange } from './time.js';
import { toolLabel, type AppContext } from './ui.js';

type Slot = LotRepairView['steps'][number]['from'];

const slotText = (slot: Slot) => formatRange(Date.parse(slot.startsAt), Date.parse(slot.endsAt));

export function lotRepairsView(ctx: AppContext, lots: readonly LotRepairView[], applied: boolean): Child[] {
  if (!lots.length) return [];
  return [
    h('h4', null, `Lot routes (${lots.length})`),
    h(
      'p',
      { class: 'hint' },
      'A route is repaired as a whole: every step not yet started moves within its Q-times, or the lot is released.',
    ),
    lots.map((lot) => {
      const moved = lot.outcome === 'moved';
      const verdict = moved
        ? applied
          ? 'moved as a route'
          : 'will move as a route'
        : applied
          ? 'released'
          : 'will be released';
      return h(
        'div',
        { class: `lot-repair ${lot.outcome}`, dataset: { lot: lot.lotId, outcome: lot.outcome } },
        h(
          'div',
          null,
          h('strong', null, lot.name),
          ` (${lot.tenantId}): `,
          h('span', { class: moved ? 'verdict' : 'verdict bad' }, verdict),
        ),
        h('div', { class: 'muted small' }, lot.detail),
        lot.qtimeAlert ? h('div', { class: 'lot-reason' }, `Q-time alert: ${lot.qtimeAlert.detail}`) : null,
        h(
          'ul',
          { class: 'lot-repair-steps' },
          lot.steps.map((s) =>
            h(
              'li',
              { dataset: { seq: String(s.seq) } },
              `step ${s.seq}: `,
              h('span', { class: 'from' }, toolLabel(ctx, s.from.toolId), ' ', slotText(s.from)),
              s.to
                ? [' → ', h('span', { class: 'to' }, toolLabel(ctx, s.to.toolId), ' ', slotText(s.to))]
                : ' → cancelled',
            ),
          ),
        ),
      );
    }),
  ];
}
