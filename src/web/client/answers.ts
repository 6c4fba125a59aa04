// What the request form shows: ranked options, the reasons nothing fits, the booking made.
import type { BookingView, Explanation, PlacedBooking, SlotOption, ToolView } from './api.js';
import { h } from './dom.js';
import { formatDateTime, formatDuration, formatRange, isoDay } from './time.js';
import { explanationList, stateBadge, toolLabel, type AppContext } from './ui.js';

export function optionList(
  ctx: AppContext,
  durationMin: number,
  options: SlotOption[],
  book: (b: HTMLButtonElement, o: SlotOption) => Promise<void>,
): HTMLElement {
  return h(
    'div',
    null,
    h(
      'p',
      { class: 'muted' },
      `${options.length} option${options.length === 1 ? '' : 's'} for ${formatDuration(durationMin)}, best first`,
    ),
    h(
      'ol',
      { class: 'options' },
      options.map((option) => {
        const start = Date.parse(option.startsAt);
        const tool = ctx.toolsById.get(option.toolId);
        const button = h('button', { type: 'button', class: 'btn primary small' }, 'Book');
        button.addEventListener('click', () => void book(button, option));
        return h(
          'li',
          { class: 'option', dataset: { tool: option.toolId, start: option.startsAt } },
          h(
            'div',
            { class: 'option-main' },
            h('strong', null, toolLabel(ctx, option.toolId)),
            tool ? h('span', { class: 'muted' }, ` ${tool.name}`) : null,
            h('div', null, formatRange(start, Date.parse(option.endsAt))),
            h(
              'div',
              { class: 'tags' },
              option.approvalRequired
                ? h('span', { class: 'tag warn' }, 'needs approval')
                : h('span', { class: 'tag ok' }, 'confirmed at once'),
              option.preferred ? h('span', { class: 'tag' }, 'preferred tool') : null,
              option.joinsRun ? h('span', { class: 'tag' }, 'joins a planned run') : null,
              option.linkedToolIds?.length ? h('span', { class: 'tag' }, `with ${option.linkedToolIds.join(', ')}`) : null,
              option.fragmentationMinutes > 0
                ? h(
                    'span',
                    { class: 'tag muted', title: 'Free time left stranded next to this slot' },
                    `leaves ${formatDuration(option.fragmentationMinutes)} gap`,
                  )
                : null,
              h('a', { class: 'tag link', href: `#/schedule?view=day&date=${isoDay(start)}` }, 'see day'),
            ),
          ),
          button,
        );
      }),
    ),
  );
}

export function unplaced(ctx: AppContext, explanation: Explanation): HTMLElement {
  return h(
    'div',
    { class: 'unplaced' },
    h('p', null, h('strong', null, 'No slot fits this request.'), ' Why, tool by tool:'),
    explanationList(ctx, explanation),
  );
}

export function bookedCard(ctx: AppContext, placed: PlacedBooking): HTMLElement {
  const b: BookingView = placed.booking;
  const start = Date.parse(b.startsAt);
  return h(
    'div',
    { class: `booked state-card-${b.state}`, dataset: { booking: b.id } },
    h('h3', null, b.state === 'held' ? 'Held — waiting for approval' : 'Booked', ' ', stateBadge(b.state)),
    h('p', null, h('strong', null, toolLabel(ctx, b.toolId)), ` ${formatRange(start, Date.parse(b.endsAt))}`),
    b.linkedToolIds?.length
      ? h('p', { class: 'muted' }, `With ${b.linkedToolIds.join(', ')} held alongside: moved, cancelled and charged together.`)
      : null,
    b.recipe ? h('p', { class: 'muted' }, `Recipe ${b.recipe}, ${b.waferCount ?? 1} wafer(s) in the run.`) : null,
    b.approvalDeadline
      ? h(
          'p',
          { class: 'muted' },
          `A lab manager decides by ${formatDateTime(Date.parse(b.approvalDeadline))}; the slot is yours until then.`,
        )
      : null,
    h(
      'p',
      null,
      h('a', { href: `#/schedule?view=day&date=${isoDay(start)}` }, 'Show on the schedule'),
      ' · ',
      h('a', { href: `#/bookings?focus=${b.id}` }, 'My bookings'),
    ),
  );
}

export function capabilities(tools: ToolView[]): string {
  if (!tools.length) return '';
  const materialsOf = [...new Set(tools.flatMap((t) => t.materials))].join(', ');
  const sizes = [...new Set(tools.flatMap((t) => t.waferSizes))].sort((a, b) => a - b).join('/');
  const down = tools.filter((t) => t.status !== 'up').length;
  return `${tools.length} tool${tools.length === 1 ? '' : 's'} · ${materialsOf} · ${sizes} mm${down ? ` · ${down} not in service` : ''}`;
}
