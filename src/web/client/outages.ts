// Tools and their status, with "Report outage": the tool goes down at once (POST /api/tools/:id/outage)
// and the bookings until its estimated return are moved or cancelled.
import { ApiProblem, type MaintenanceAnswer, type ToolView } from './api.js';
import { h, mount } from './dom.js';
import { impactView } from './impact.js';
import { formatDateTime, fromLocalInput, hourMs, toIsoHkt, toLocalInput } from './time.js';
import { areaName, busy, compareAreas, problemBox, statusBadge, toast, type AppContext } from './ui.js';

const quarterMs = 15 * 60_000;

export function toolsPanel(
  ctx: AppContext,
  focus: string | null,
  changed: () => void,
): { element: HTMLElement; refresh(): void } {
  const tools = [...ctx.tools].sort(
    (a, b) => compareAreas(a.type.area, b.type.area) || a.id.localeCompare(b.id),
  );
  const rows: HTMLElement[] = [];
  const fills = new Map<string, (t: ToolView) => void>();
  let area = '';
  for (const tool of tools) {
    if (tool.type.area !== area) {
      area = tool.type.area;
      rows.push(h('tr', { class: 'area' }, h('th', { colspan: '4' }, areaName(area))));
    }
    const made = toolRows(ctx, tool, tool.id === focus, changed);
    fills.set(tool.id, made.fill);
    rows.push(made.row, made.formRow);
  }
  const element = h(
    'section',
    { class: 'maint-tools' },
    h('h3', null, 'Tools'),
    h(
      'table',
      { class: 'table compact' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Tool', 'Status', 'Maintenance now', ''].map((c) => h('th', null, c)),
        ),
      ),
      h('tbody', null, rows),
    ),
  );
  // Statuses as ctx.tools last read them (after ctx.reloadTools()).
  const refresh = () => {
    for (const [id, fill] of fills) {
      const tool = ctx.toolsById.get(id);
      if (tool) fill(tool);
    }
  };
  return { element, refresh };
}

/** The tool's row, and a hidden row below it for the outage form and its answer. */
function toolRows(ctx: AppContext, tool: ToolView, focus: boolean, changed: () => void) {
  const row = h('tr', { class: focus ? 'focus' : '', dataset: { tool: tool.id } });
  const formRow = h('tr', { class: 'outage-row', hidden: true });
  const fill = (t: ToolView) => {
    const report = h('button', { type: 'button', class: 'btn small danger' }, 'Report outage…');
    report.addEventListener('click', () => {
      formRow.hidden = !formRow.hidden;
      if (!formRow.hidden) mount(formRow, h('td', { colspan: '4' }, outageForm(ctx, t, fill, changed)));
    });
    const now = t.currentMaintenance;
    mount(
      row,
      h(
        'td',
        { title: `${t.name} — ${t.type.name}` },
        h('strong', null, t.id),
        h('span', { class: 'muted small' }, ` ${t.name}`),
      ),
      h('td', { class: 'tool-status' }, statusBadge(t.status)),
      h('td', { class: 'small' }, now ? `${now.kind} until ${formatDateTime(Date.parse(now.endsAt))}` : ''),
      h('td', { class: 'row-actions' }, report),
    );
  };
  fill(tool);
  return { row, formRow, fill };
}

function outageForm(
  ctx: AppContext,
  tool: ToolView,
  refill: (t: ToolView) => void,
  changed: () => void,
): HTMLElement {
  // One idempotency key per report: a retry after no answer cannot report the outage twice.
  let requestId = crypto.randomUUID();
  const estimate = Math.ceil((Date.now() + 4 * hourMs) / quarterMs) * quarterMs;
  const endInput = h('input', {
    type: 'datetime-local',
    name: 'estimatedEnd',
    value: toLocalInput(estimate),
    required: true,
  });
  const reasonInput = h('input', {
    type: 'text',
    name: 'reason',
    maxlength: '500',
    required: true,
    placeholder: 'What broke, e.g. RF generator fault',
  });
  const requal = h(
    'select',
    { name: 'requiresRequalification' },
    h('option', { value: '' }, 'Requalification: the tool’s own setting'),
    h('option', { value: 'true' }, 'Requalification needed'),
    h('option', { value: 'false' }, 'No requalification'),
  );
  const submit = h('button', { type: 'submit', class: 'btn small danger' }, 'Take tool down now');
  const result = h('div', { class: 'outage-result' });
  const form = h(
    'form',
    { class: 'inline-form outage-form', novalidate: true, 'aria-label': `Report outage on ${tool.id}` },
    h('label', null, 'Estimated end (HKT) ', endInput),
    h('label', { class: 'grow' }, 'Reason ', reasonInput),
    requal,
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(submit, async () => {
      mount(result);
      const at = fromLocalInput(endInput.value);
      try {
        const answer = await ctx.api.post<MaintenanceAnswer>(
          `/api/tools/${encodeURIComponent(tool.id)}/outage`,
          {
            requestId,
            estimatedEnd: at === undefined ? endInput.value : toIsoHkt(at),
            reason: reasonInput.value.trim(),
            ...(requal.value ? { requiresRequalification: requal.value === 'true' } : {}),
          },
        );
        requestId = crypto.randomUUID();
        form.hidden = true;
        toast(`${tool.id} is down: outage until ${formatDateTime(Date.parse(answer.maintenance.endsAt))}`);
        mount(
          result,
          h(
            'p',
            null,
            h('strong', null, `${tool.id} reported down.`),
            ' Bookings until its estimated return:',
          ),
          answer.impact ? impactView(ctx, answer.impact, { kind: 'outage', applied: true }) : null,
        );
        changed();
        refill(await statusAfterOutage(ctx, tool.id));
      } catch (err) {
        if (!(err instanceof ApiProblem && err.uncertain)) requestId = crypto.randomUUID();
        mount(result, problemBox(err, ctx));
      }
    });
  });
  return h('div', null, form, result);
}

/** The maintenance workflow takes the tool down right after applying the outage: wait briefly for it. */
async function statusAfterOutage(ctx: AppContext, toolId: string): Promise<ToolView> {
  for (let attempt = 0; attempt < 10; attempt++) {
    await ctx.reloadTools();
    const tool = ctx.toolsById.get(toolId)!;
    if (tool.status !== 'up') return tool;
    await new Promise((resolve) => window.setTimeout(resolve, 300));
  }
  return ctx.toolsById.get(toolId)!;
}
