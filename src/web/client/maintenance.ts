// The maintenance planner (ops): plan a window on some tools → preview its impact (POST /api/maintenance
// makes a proposal; nothing moves yet) → confirm. Below: the maintenance list, the tools with
// "Report outage", and the preventive-maintenance plans.
import { ApiProblem, type MaintenanceAnswer, type ToolView } from './api.js';
import { h, mount } from './dom.js';
import { impactView, maintenanceBadge } from './impact.js';
import { maintenanceList } from './maintenance-list.js';
import { toolsPanel } from './outages.js';
import { plansPanel } from './plans.js';
import {
  dayMs,
  formatDuration,
  formatRange,
  fromLocalInput,
  hourMs,
  isoDay,
  startOfDay,
  toIsoHkt,
  toLocalInput,
} from './time.js';
import {
  actionButton,
  areaName,
  busy,
  compareAreas,
  field,
  problemBox,
  showFieldErrors,
  statusBadge,
  toast,
  toolLabel,
  type AppContext,
} from './ui.js';

interface Plan {
  toolIds: string[];
  startsAt: number | undefined;
  endsAt: number | undefined;
  reason: string;
  requalification: '' | 'true' | 'false';
}

/** The proposal on screen: its form (as sent) and idempotency key, and the answer once known. */
interface Proposal {
  key: string;
  requestId: string;
  answer?: MaintenanceAnswer;
}
let proposal: Proposal | undefined;
let remembered: Partial<Plan> = {};

export function renderMaintenance(root: HTMLElement, ctx: AppContext, params: URLSearchParams): () => void {
  const controller = new AbortController();
  // Tool statuses follow maintenance: re-read them after every change.
  const toolsChanged = () => {
    ctx.reloadTools().then(
      () => tools.refresh(),
      () => undefined,
    );
  };
  const list = maintenanceList(ctx, params.get('focus'), controller.signal, toolsChanged);
  const refresh = () => {
    void list.reload();
    toolsChanged();
  };
  const planner = plannerForm(ctx, params.get('tool'), refresh);
  const tools = toolsPanel(ctx, params.get('tool'), () => void list.reload());
  const plans = plansPanel(ctx, controller.signal);
  mount(
    root,
    h(
      'section',
      { class: 'maintenance' },
      h(
        'div',
        { class: 'toolbar' },
        h('h2', null, 'Maintenance planner'),
        h('span', { class: 'muted small' }, 'times in Hong Kong (UTC+8)'),
      ),
      planner,
      list.element,
      h('div', { class: 'maint-columns' }, tools.element, plans),
    ),
  );
  return () => controller.abort();
}

function plannerForm(ctx: AppContext, preselect: string | null, changed: () => void): HTMLElement {
  const tomorrow9 = startOfDay(Date.now()) + dayMs + 9 * hourMs;
  const initial: Plan = {
    toolIds: preselect ? [preselect] : (remembered.toolIds ?? []),
    startsAt: remembered.startsAt && remembered.startsAt > Date.now() ? remembered.startsAt : tomorrow9,
    endsAt: remembered.endsAt && remembered.endsAt > Date.now() ? remembered.endsAt : tomorrow9 + 4 * hourMs,
    reason: remembered.reason ?? '',
    requalification: remembered.requalification ?? '',
  };

  const picker = toolPicker(ctx, new Set(initial.toolIds));
  const startInput = h('input', {
    name: 'startsAt',
    type: 'datetime-local',
    value: toLocalInput(initial.startsAt!),
    required: true,
  });
  const endInput = h('input', {
    name: 'endsAt',
    type: 'datetime-local',
    value: toLocalInput(initial.endsAt!),
    required: true,
  });
  const reasonInput = h('input', {
    name: 'reason',
    type: 'text',
    maxlength: '500',
    required: true,
    placeholder: 'e.g. Chamber wet clean, showerhead swap',
    value: initial.reason,
  });
  const requalSelect = h(
    'select',
    { name: 'requiresRequalification' },
    [
      ['', 'The tool’s own setting'],
      ['true', 'Yes: a qualification run before service'],
      ['false', 'No'],
    ].map(([value, label]) =>
      h('option', { value: value!, selected: value === initial.requalification }, label!),
    ),
  );
  const durationHint = h('small', { class: 'hint' });
  const previewButton = h('button', { type: 'submit', class: 'btn primary' }, 'Preview impact');
  const impactHost = h('div', { class: 'impact-host', 'aria-live': 'polite' });

  const form = h(
    'form',
    { class: 'maint-form', novalidate: true },
    h('h3', null, 'Plan maintenance'),
    // Not a <label>: a label around many checkboxes would toggle the first on any click.
    h(
      'div',
      { class: 'field', dataset: { field: 'toolIds' }, role: 'group', 'aria-label': 'Tools' },
      h('span', { class: 'label' }, 'Tools'),
      picker.element,
      h('span', { class: 'field-error' }),
    ),
    h(
      'div',
      { class: 'row' },
      field('startsAt', 'Start (HKT)', startInput),
      field('endsAt', 'End (HKT)', endInput, durationHint),
    ),
    field('reason', 'Reason', reasonInput),
    field('requiresRequalification', 'Requalification afterwards', requalSelect),
    h('div', { class: 'actions' }, previewButton),
  );

  const read = (): Plan => ({
    toolIds: picker.selected(),
    startsAt: fromLocalInput(startInput.value),
    endsAt: fromLocalInput(endInput.value),
    reason: reasonInput.value.trim(),
    requalification: requalSelect.value as Plan['requalification'],
  });
  /** The request as the API takes it; a bad date stays a string so the server names the field. */
  const bodyOf = (p: Plan) => ({
    kind: 'planned' as const,
    toolIds: p.toolIds,
    startsAt: p.startsAt === undefined ? '' : toIsoHkt(p.startsAt),
    endsAt: p.endsAt === undefined ? '' : toIsoHkt(p.endsAt),
    reason: p.reason,
    ...(p.requalification ? { requiresRequalification: p.requalification === 'true' } : {}),
  });

  const showDuration = () => {
    const p = read();
    durationHint.textContent =
      p.startsAt !== undefined && p.endsAt !== undefined && p.endsAt > p.startsAt
        ? formatDuration((p.endsAt - p.startsAt) / 60_000)
        : '';
  };

  /** Shows a proposal (or the applied window) with its impact and what can be done next. */
  let shownStale = false;
  const showAnswer = (answer: MaintenanceAnswer, stale = false) => {
    shownStale = stale;
    const m = answer.maintenance;
    const start = Date.parse(m.startsAt);
    const applied = m.state !== 'proposed';
    const message = h('div', { class: 'row-message' });
    const confirm = actionButton(ctx, 'Confirm', 'btn primary', message, async () => {
      const done = await ctx.api.post<MaintenanceAnswer>(`/api/maintenance/${m.id}/confirm`, {});
      proposal = undefined;
      toast(
        `Maintenance on ${done.maintenance.toolIds.join(', ')} ${done.maintenance.state.replaceAll('_', ' ')}`,
      );
      showAnswer(done);
      changed();
    });
    confirm.disabled = stale;
    const discard = actionButton(ctx, 'Discard', 'btn', message, async () => {
      await ctx.api.post<MaintenanceAnswer>(`/api/maintenance/${m.id}/cancel`, {
        note: 'discarded in the planner',
      });
      proposal = undefined;
      mount(impactHost, h('p', { class: 'muted' }, 'Proposal discarded.'));
      changed();
    });
    mount(
      impactHost,
      h(
        'div',
        { class: `proposal${stale ? ' stale' : ''}`, dataset: { maintenance: m.id, state: m.state } },
        h('h3', null, applied ? 'Applied ' : 'Impact preview ', maintenanceBadge(m.state)),
        h(
          'p',
          null,
          m.toolIds.map((id) => [toolLabel(ctx, id), ' ']),
          `${formatRange(start, Date.parse(m.endsAt))} · ${formatDuration((Date.parse(m.endsAt) - start) / 60_000)} · ${m.reason}`,
          m.requiresRequalification ? h('span', { class: 'tag warn' }, 'requalification') : null,
        ),
        answer.impact ? impactView(ctx, answer.impact, { kind: m.kind, applied }) : null,
        stale
          ? h('p', { class: 'hint' }, 'The form changed since this preview: preview again before confirming.')
          : null,
        applied
          ? h(
              'p',
              null,
              h('a', { href: `#/schedule?view=day&date=${isoDay(start)}` }, 'Show on the schedule'),
            )
          : h(
              'div',
              { class: 'actions' },
              confirm,
              discard,
              h(
                'span',
                { class: 'hint' },
                'Nothing moves until you confirm; an unconfirmed proposal lapses at its start.',
              ),
            ),
        message,
      ),
    );
  };

  const preview = async () => {
    const p = read();
    remembered = p;
    const body = bodyOf(p);
    const key = JSON.stringify(body);
    // A changed form replaces the previous proposal: withdraw it so it does not linger as "proposed".
    if (proposal && proposal.key !== key) {
      const old = proposal.answer?.maintenance;
      proposal = undefined;
      if (old?.state === 'proposed') {
        ctx.api
          .post(`/api/maintenance/${old.id}/cancel`, { note: 'superseded by a new preview' })
          .then(changed, () => undefined);
      }
    }
    proposal ??= { key, requestId: crypto.randomUUID() };
    const current = proposal;
    mount(impactHost, h('p', { class: 'muted' }, 'Working out the impact…'));
    try {
      let answer = await ctx.api.post<MaintenanceAnswer>('/api/maintenance', {
        requestId: current.requestId,
        ...body,
      });
      // The same form again after its proposal was cancelled (or lapsed): that request is spent.
      if (answer.maintenance.state === 'cancelled') {
        current.requestId = crypto.randomUUID();
        answer = await ctx.api.post<MaintenanceAnswer>('/api/maintenance', {
          requestId: current.requestId,
          ...body,
        });
      }
      current.answer = answer;
      showFieldErrors(form, undefined);
      showAnswer(answer);
      changed();
    } catch (err) {
      // Without an answer the same request id is kept, so pressing Preview again cannot plan twice.
      if (!(err instanceof ApiProblem && err.uncertain)) proposal = undefined;
      showFieldErrors(form, err instanceof ApiProblem ? err : undefined);
      mount(impactHost, problemBox(err, ctx));
    }
  };

  form.addEventListener('input', () => {
    showDuration();
    // A preview no longer matching the form cannot be confirmed (until the form matches again).
    const shown = proposal?.answer;
    const stale = JSON.stringify(bodyOf(read())) !== proposal?.key;
    if (shown && shown.maintenance.state === 'proposed' && stale !== shownStale) showAnswer(shown, stale);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(previewButton, preview);
  });
  showDuration();
  if (proposal?.answer) showAnswer(proposal.answer, JSON.stringify(bodyOf(read())) !== proposal.key);
  else
    mount(
      impactHost,
      h(
        'p',
        { class: 'muted' },
        'Choose tools and a window, then preview: you see every booking it moves or cancels before anything changes.',
      ),
    );

  return h('div', { class: 'planner' }, form, h('div', { class: 'planner-impact' }, impactHost));
}

/** Tools as checkboxes, grouped by area and tool type; a type's box selects all of its tools. */
function toolPicker(ctx: AppContext, initial: Set<string>): { element: HTMLElement; selected(): string[] } {
  const byType = new Map<string, { name: string; area: string; tools: ToolView[] }>();
  for (const t of ctx.tools) {
    const entry = byType.get(t.type.id) ?? { name: t.type.name, area: t.type.area, tools: [] };
    entry.tools.push(t);
    byType.set(t.type.id, entry);
  }
  const types = [...byType.entries()].sort(
    ([, a], [, b]) => compareAreas(a.area, b.area) || a.name.localeCompare(b.name),
  );
  const boxes: HTMLInputElement[] = [];
  const count = h('span', { class: 'muted small' });
  const updateCount = () => {
    const n = boxes.filter((b) => b.checked).length;
    count.textContent = n ? `${n} selected` : 'none selected';
  };
  let lastArea = '';
  const groups = types.flatMap(([typeId, type]) => {
    const mine = type.tools.map((t) => {
      const box = h('input', { type: 'checkbox', name: 'toolIds', value: t.id, checked: initial.has(t.id) });
      boxes.push(box);
      return { box, tool: t };
    });
    const all = h('input', { type: 'checkbox', 'aria-label': `All ${type.name}` });
    const sync = () => {
      const n = mine.filter((m) => m.box.checked).length;
      all.checked = n === mine.length;
      all.indeterminate = n > 0 && n < mine.length;
    };
    all.addEventListener('change', () => {
      for (const m of mine) m.box.checked = all.checked;
      updateCount();
    });
    for (const m of mine) m.box.addEventListener('change', () => (sync(), updateCount()));
    sync();
    const heading = type.area !== lastArea ? h('div', { class: 'picker-area' }, areaName(type.area)) : null;
    lastArea = type.area;
    return [
      heading,
      h(
        'div',
        { class: 'picker-type', dataset: { type: typeId } },
        h('label', { class: 'picker-type-name' }, all, type.name),
        h(
          'div',
          { class: 'picker-tools' },
          mine.map(({ box, tool }) =>
            h(
              'label',
              { class: 'pick', title: tool.name },
              box,
              tool.id,
              tool.status === 'up' ? null : statusBadge(tool.status),
            ),
          ),
        ),
      ),
    ];
  });
  updateCount();
  return {
    element: h('div', { class: 'tool-picker' }, h('div', { class: 'picker-list' }, groups), count),
    selected: () => boxes.filter((b) => b.checked).map((b) => b.value),
  };
}
