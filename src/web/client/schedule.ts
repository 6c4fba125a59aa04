// The schedule: tools grouped by area × time (a day or a week), from one GET /api/schedule.
import { isAbort, type Schedule, type ScheduleBlock, type ScheduleTool } from './api.js';
import { h, mount } from './dom.js';
import {
  dayMs,
  formatDate,
  formatRange,
  formatTime,
  hourMs,
  isoDay,
  parseIsoDay,
  startOfDay,
  startOfWeek,
} from './time.js';
import { areaName, compareAreas, problemBox, stateLabels, statusBadge, type AppContext } from './ui.js';

type View = 'day' | 'week';
const refreshMs = 60_000;

interface Range {
  view: View;
  from: number;
  to: number;
}

function rangeOf(view: View, day: number): Range {
  const from = view === 'week' ? startOfWeek(day) : startOfDay(day);
  return { view, from, to: from + (view === 'week' ? 7 : 1) * dayMs };
}

export function renderSchedule(root: HTMLElement, ctx: AppContext, params: URLSearchParams): () => void {
  const view: View = params.get('view') === 'day' ? 'day' : 'week';
  const day = parseIsoDay(params.get('date')) ?? startOfDay(Date.now());
  const area = params.get('area') ?? '';
  const range = rangeOf(view, day);

  const link = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams({ view, date: isoDay(day), ...(area ? { area } : {}) });
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, v);
    }
    return `#/schedule?${next.toString()}`;
  };
  const step = view === 'week' ? 7 * dayMs : dayMs;

  const status = h('span', { class: 'muted', 'aria-live': 'polite' }, 'Loading…');
  const areaSelect = h(
    'select',
    { 'aria-label': 'Area', onchange: () => ctx.go(link({ area: areaSelect.value })) },
    h('option', { value: '' }, 'All areas'),
  );
  const dateInput = h('input', {
    type: 'date',
    'aria-label': 'Date',
    value: isoDay(day),
    onchange: () => dateInput.value && ctx.go(link({ date: dateInput.value })),
  });
  const board = h('div', { class: 'gantt-host' });
  const title =
    view === 'week' ? `${formatDate(range.from)} – ${formatDate(range.to - dayMs)}` : formatDate(range.from);

  mount(
    root,
    h(
      'section',
      { class: 'schedule' },
      h(
        'div',
        { class: 'toolbar' },
        h(
          'div',
          { class: 'btn-group' },
          h(
            'a',
            {
              class: 'btn',
              href: link({ date: isoDay(day - step) }),
              title: `Previous ${view}`,
              'aria-label': `Previous ${view}`,
            },
            '‹',
          ),
          h('a', { class: 'btn', href: link({ date: isoDay(Date.now()) }) }, 'Today'),
          h(
            'a',
            {
              class: 'btn',
              href: link({ date: isoDay(day + step) }),
              title: `Next ${view}`,
              'aria-label': `Next ${view}`,
            },
            '›',
          ),
        ),
        h(
          'h2',
          { class: 'range-title' },
          title,
          ' ',
          h('span', { class: 'year' }, new Date(range.from + 8 * hourMs).getUTCFullYear()),
        ),
        h(
          'div',
          { class: 'btn-group', role: 'group', 'aria-label': 'View' },
          h(
            'a',
            {
              class: `btn${view === 'day' ? ' active' : ''}`,
              href: link({ view: 'day' }),
              'aria-current': view === 'day' ? 'true' : null,
            },
            'Day',
          ),
          h(
            'a',
            {
              class: `btn${view === 'week' ? ' active' : ''}`,
              href: link({ view: 'week' }),
              'aria-current': view === 'week' ? 'true' : null,
            },
            'Week',
          ),
        ),
        dateInput,
        areaSelect,
        h('span', { class: 'spacer' }),
        legend(),
      ),
      h(
        'div',
        { class: 'status-line' },
        status,
        h(
          'span',
          { class: 'tz', title: 'Asia/Hong_Kong, no daylight saving' },
          ' · times in Hong Kong (UTC+8)',
        ),
      ),
      board,
    ),
  );

  let controller: AbortController | undefined;
  const load = async () => {
    controller?.abort();
    controller = new AbortController();
    try {
      const query = new URLSearchParams({
        from: new Date(range.from).toISOString(),
        to: new Date(range.to).toISOString(),
      });
      const schedule = await ctx.api.get<Schedule>(`/api/schedule?${query}`, { signal: controller.signal });
      const areas = [...new Set(schedule.tools.map((t) => t.area))].sort(compareAreas);
      mount(
        areaSelect,
        h('option', { value: '' }, 'All areas'),
        areas.map((a) => h('option', { value: a, selected: a === area }, areaName(a))),
      );
      const tools = schedule.tools.filter((t) => !area || t.area === area);
      mount(board, gantt(ctx, range, tools));
      const counts = summary(tools);
      mount(status, counts);
    } catch (err) {
      if (isAbort(err)) return;
      mount(status, problemBox(err, ctx));
    }
  };
  void load();
  const timer = window.setInterval(() => document.visibilityState === 'visible' && void load(), refreshMs);
  return () => {
    window.clearInterval(timer);
    controller?.abort();
  };
}

function summary(tools: ScheduleTool[]): string {
  let bookings = 0;
  let busy = 0;
  let maintenance = 0;
  for (const block of tools.flatMap((t) => t.blocks)) {
    if (block.kind === 'booking') bookings++;
    else if (block.kind === 'busy') busy++;
    else maintenance++;
  }
  const down = tools.filter((t) => t.status !== 'up').length;
  return [
    `${tools.length} tools`,
    `${bookings} bookings`,
    busy ? `${busy} of other tenants` : '',
    `${maintenance} maintenance windows`,
    down ? `${down} not in service` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

function legend(): HTMLElement {
  const item = (cls: string, label: string) =>
    h('span', { class: 'legend-item' }, h('span', { class: `swatch ${cls}` }), label);
  return h(
    'div',
    { class: 'legend', 'aria-label': 'Legend' },
    item('state-held', 'held'),
    item('state-confirmed', 'confirmed'),
    item('state-in_use', 'in use'),
    item('busy', 'busy (other tenant)'),
    item('maintenance', 'maintenance'),
  );
}

function gantt(ctx: AppContext, range: Range, tools: ScheduleTool[]): HTMLElement {
  const span = range.to - range.from;
  const pct = (ms: number) => `${(Math.min(Math.max(ms - range.from, 0), span) / span) * 100}%`;

  // Grid: hour lines in a day, 6-hour lines and day lines in a week; nights or weekends shaded.
  const grid: HTMLElement[] = [];
  const ticks: HTMLElement[] = [];
  if (range.view === 'day') {
    grid.push(
      h('div', { class: 'shade', style: { left: pct(range.from), width: pct(range.from + 8 * hourMs) } }),
    );
    grid.push(h('div', { class: 'shade', style: { left: pct(range.from + 20 * hourMs), right: '0' } }));
    for (let t = range.from; t < range.to; t += hourMs) {
      grid.push(h('div', { class: 'gridline', style: { left: pct(t) } }));
      ticks.push(h('div', { class: 'tick', style: { left: pct(t) } }, formatTime(t)));
    }
  } else {
    for (let d = range.from; d < range.to; d += dayMs) {
      const weekday = new Date(d + 8 * hourMs).getUTCDay();
      if (weekday === 0 || weekday === 6)
        grid.push(h('div', { class: 'shade', style: { left: pct(d), width: `${100 / 7}%` } }));
      grid.push(h('div', { class: 'gridline strong', style: { left: pct(d) } }));
      for (let q = 6; q < 24; q += 6)
        grid.push(h('div', { class: 'gridline', style: { left: pct(d + q * hourMs) } }));
      ticks.push(
        h(
          'a',
          {
            class: `tick day${startOfDay(Date.now()) === d ? ' today' : ''}`,
            href: `#/schedule?view=day&date=${isoDay(d)}`,
            title: 'Show this day',
            style: { left: pct(d), width: `${100 / 7}%` },
          },
          formatDate(d),
        ),
      );
    }
  }
  const now = Date.now();
  const nowLine =
    now >= range.from && now < range.to
      ? h('div', { class: 'now-line', style: { left: pct(now) }, title: `Now ${formatTime(now)}` })
      : null;

  const byArea = new Map<string, ScheduleTool[]>();
  for (const tool of tools) byArea.set(tool.area, [...(byArea.get(tool.area) ?? []), tool]);
  const rows = [...byArea.keys()]
    .sort(compareAreas)
    .flatMap((area) => [
      h(
        'div',
        { class: 'area-row', role: 'row' },
        h('span', { role: 'rowheader' }, areaName(area), h('span', { class: 'muted' }, ` ${byArea.get(area)!.length}`)),
      ),
      ...byArea.get(area)!.map((tool) => toolRow(ctx, tool, range, pct)),
    ]);

  return h(
    'div',
    { class: `gantt view-${range.view}`, role: 'grid', 'aria-label': 'Schedule' },
    // A grid's parts are rows (in row groups); the gridlines and the now line are drawing only.
    h(
      'div',
      { class: 'gantt-head', role: 'row' },
      h('div', { class: 'corner', role: 'columnheader' }, 'Tool'),
      h('div', { class: 'axis', role: 'columnheader', 'aria-label': 'Time' }, ticks),
    ),
    h(
      'div',
      { class: 'gantt-body', role: 'rowgroup' },
      h('div', { class: 'overlay grid-layer', 'aria-hidden': 'true' }, grid),
      rows.length ? rows : h('div', { class: 'empty', role: 'row' }, h('span', { role: 'gridcell' }, 'No tools.')),
      h('div', { class: 'overlay now-layer', 'aria-hidden': 'true' }, nowLine),
    ),
  );
}

function toolRow(
  ctx: AppContext,
  tool: ScheduleTool,
  range: Range,
  pct: (ms: number) => string,
): HTMLElement {
  const catalogue = ctx.toolsById.get(tool.id);
  return h(
    'div',
    { class: `tool-row tool-${tool.status}`, role: 'row', dataset: { tool: tool.id } },
    h(
      'div',
      {
        class: 'tool-label',
        role: 'rowheader',
        title: `${tool.name}\n${catalogue?.type.name ?? tool.type}${catalogue ? `\n${catalogue.materials.join(', ')} · ${catalogue.waferSizes.join('/')} mm · ${catalogue.contaminationClass}` : ''}`,
      },
      ctx.canMaintain
        ? h(
            'a',
            {
              class: 'tool-id',
              href: `#/maintenance?tool=${encodeURIComponent(tool.id)}`,
              title: 'Plan maintenance or report an outage',
            },
            tool.id,
          )
        : h('span', { class: 'tool-id' }, tool.id),
      h('span', { class: 'tool-name' }, tool.name),
      statusBadge(tool.status),
    ),
    h(
      'div',
      { class: 'track', role: 'gridcell' },
      tool.blocks.map((block) => blockElement(ctx, tool, block, range, pct)),
    ),
  );
}

function blockElement(
  ctx: AppContext,
  tool: ScheduleTool,
  block: ScheduleBlock,
  range: Range,
  pct: (ms: number) => string,
): HTMLElement {
  const start = Date.parse(block.startsAt);
  const end = Date.parse(block.endsAt);
  const when = formatRange(start, end);
  const style = { left: pct(start), width: `calc(${pct(end)} - ${pct(start)})` };
  // Labels only where they can be read (about 35 px and up); the title always has everything.
  const labelled = (Math.min(end, range.to) - Math.max(start, range.from)) / (range.to - range.from) > 0.03;
  if (block.kind === 'busy') {
    return h(
      'div',
      { class: 'block busy', style, title: `${tool.id}: busy (another tenant)\n${when}` },
      labelled ? 'busy' : '',
    );
  }
  if (block.kind === 'maintenance') {
    // Ops open the window in the planner; everyone else just reads it.
    return h(
      ctx.canMaintain ? 'a' : 'div',
      {
        class: `block maintenance mkind-${block.maintenanceKind}`,
        href: ctx.canMaintain ? `#/maintenance?focus=${block.maintenanceId}` : undefined,
        dataset: { maintenance: block.maintenanceId, state: block.state },
        style,
        title: `${tool.id}: maintenance (${block.maintenanceKind}, ${block.state.replaceAll('_', ' ')})\n${when}`,
      },
      labelled ? (block.maintenanceKind === 'outage' ? 'outage' : 'maintenance') : '',
    );
  }
  const who = ctx.seesAllTenants ? block.tenantId : block.userId;
  return h(
    'a',
    {
      class: `block booking state-${block.state}`,
      style,
      href: `#/bookings?focus=${block.id}`,
      dataset: { booking: block.id, state: block.state },
      title: `${tool.id}: ${stateLabels[block.state] ?? block.state}\n${when}\nTenant ${block.tenantId} · user ${block.userId}\nMaterial ${block.material}`,
    },
    labelled ? `${who} · ${block.material}` : '',
  );
}
