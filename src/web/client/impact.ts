// What a maintenance window does to the calendar (the repair plan): metrics, each move as
// from → to, the bookings it cancels with the solver's reasons, in-use bookings in the way, and
// the lot routes it moves or releases.
import type { Impact, MaintenanceState, MaintenanceView } from './api.js';
import { h, type Child } from './dom.js';
import { lotRepairsView } from './impact-lots.js';
import { formatDuration, formatRange } from './time.js';
import { explanationList, toolLabel, type AppContext } from './ui.js';

type Slot = Impact['moves'][number]['from'];

export const maintenanceStateLabels: Record<MaintenanceState, string> = {
  proposed: 'proposed',
  scheduled: 'scheduled',
  in_progress: 'in progress',
  awaiting_requalification: 'awaiting requalification',
  completed: 'completed',
  cancelled: 'cancelled',
};

export function maintenanceBadge(state: MaintenanceState): HTMLElement {
  return h('span', { class: `badge mstate-${state}` }, maintenanceStateLabels[state]);
}

const slotText = (slot: Slot) => formatRange(Date.parse(slot.startsAt), Date.parse(slot.endsAt));

/** "3 h later", "45 min earlier", "same time". */
function shift(from: Slot, to: Slot): string {
  const minutes = Math.round((Date.parse(to.startsAt) - Date.parse(from.startsAt)) / 60_000);
  if (minutes === 0) return 'same time';
  return `${formatDuration(Math.abs(minutes))} ${minutes > 0 ? 'later' : 'earlier'}`;
}

const bookingLink = (id: string, tenantId: string): Child =>
  h(
    'a',
    { href: `#/bookings?show=active&scope=all&focus=${id}`, title: `Booking ${id}` },
    tenantId,
    h('span', { class: 'muted small' }, ` #${id.slice(0, 8)}`),
  );

/**
 * The impact, worded for before (`applied: false`, a preview) or after it was applied. Outages
 * interrupt bookings in use; planned work never touches them, so they are conflicts to resolve.
 */
export function impactView(
  ctx: AppContext,
  impact: Impact,
  options: { kind: MaintenanceView['kind']; applied: boolean },
): HTMLElement {
  const { moves, unplaceable, conflicts, lots, metrics } = impact;
  const { applied } = options;
  const metric = (value: number | string, label: string, cls = '') =>
    h('div', { class: `metric ${cls}` }, h('strong', null, String(value)), h('span', null, label));
  const sections: Child[] = [
    h(
      'div',
      { class: 'metrics', 'aria-label': 'Impact' },
      metric(metrics.displaced, 'displaced'),
      metric(metrics.moved, applied ? 'moved' : 'to move', metrics.moved ? 'warn' : ''),
      metric(metrics.unplaceable, applied ? 'cancelled' : 'to cancel', metrics.unplaceable ? 'bad' : ''),
      metric(metrics.conflicts, 'in use', metrics.conflicts ? 'bad' : ''),
      metric(formatDuration(metrics.displacementMinutes), 'total shift'),
      metric(metrics.tenantsTouched, metrics.tenantsTouched === 1 ? 'tenant touched' : 'tenants touched'),
    ),
  ];
  if (!moves.length && !unplaceable.length && !conflicts.length && !lots.length) {
    sections.push(h('p', { class: 'impact-none' }, 'No bookings in the way: nothing moves.'));
  }
  if (moves.length) {
    sections.push(
      h('h4', null, applied ? `Moved (${moves.length})` : `Will move (${moves.length})`),
      h(
        'table',
        { class: 'table moves' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ['Booking', 'From', '', 'To', 'Change'].map((c) => h('th', null, c)),
          ),
        ),
        h(
          'tbody',
          null,
          moves.map((m) =>
            h(
              'tr',
              { class: 'move', dataset: { booking: m.bookingId } },
              h('td', null, bookingLink(m.bookingId, m.tenantId)),
              h('td', { class: 'from' }, toolLabel(ctx, m.from.toolId), ' ', slotText(m.from)),
              h('td', { class: 'arrow', 'aria-label': 'to' }, '→'),
              h(
                'td',
                { class: 'to' },
                h(
                  'span',
                  { class: m.to.toolId === m.from.toolId ? '' : 'changed' },
                  toolLabel(ctx, m.to.toolId),
                ),
                ' ',
                slotText(m.to),
              ),
              h('td', { class: 'muted' }, [
                m.to.toolId === m.from.toolId ? null : `other tool; `,
                shift(m.from, m.to),
              ]),
            ),
          ),
        ),
      ),
    );
  }
  if (unplaceable.length) {
    sections.push(
      h(
        'h4',
        null,
        applied ? `Cancelled (${unplaceable.length})` : `Will be cancelled (${unplaceable.length})`,
      ),
      h(
        'ul',
        { class: 'unplaceable' },
        unplaceable.map((u) =>
          h(
            'li',
            { dataset: { booking: u.bookingId } },
            bookingLink(u.bookingId, u.tenantId),
            ' ',
            toolLabel(ctx, u.from.toolId),
            ` ${slotText(u.from)}: no other slot fits.`,
            u.explanation.length ? explanationList(ctx, u.explanation) : null,
          ),
        ),
      ),
    );
  }
  if (conflicts.length) {
    sections.push(
      h('h4', null, `In use during the window (${conflicts.length})`),
      h(
        'p',
        { class: 'hint' },
        options.kind === 'outage'
          ? 'These runs are interrupted by the outage.'
          : 'Bookings in use are never moved: agree with the tenant, or start the window after they end.',
      ),
      h(
        'ul',
        { class: 'conflicts' },
        conflicts.map((c) =>
          h(
            'li',
            { dataset: { booking: c.bookingId } },
            bookingLink(c.bookingId, c.tenantId),
            ' ',
            toolLabel(ctx, c.at.toolId),
            ` ${slotText(c.at)}`,
          ),
        ),
      ),
    );
  }
  sections.push(lotRepairsView(ctx, lots, applied));
  return h('div', { class: 'impact' }, sections);
}
