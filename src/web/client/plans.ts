// Preventive-maintenance plans (every N days for M hours) and their Temporal Schedules, one per tool:
// the next windows, pauses and skipped days; schedule a plan, pause or resume it, skip a day.
import { isAbort, type MaintenancePlan, type PmScheduleView } from './api.js';
import { h, mount } from './dom.js';
import { formatDateTime, formatDuration, isoDay } from './time.js';
import { actionButton, problemBox, toast, toolLabel, type AppContext } from './ui.js';

const windowsShown = 3;

export function plansPanel(ctx: AppContext, signal: AbortSignal): HTMLElement {
  const status = h('div', { class: 'status-line', 'aria-live': 'polite' }, 'Loading…');
  const host = h('div', { class: 'plans-list' });
  void (async () => {
    try {
      const { plans } = await ctx.api.get<{ plans: MaintenancePlan[] }>('/api/maintenance/plans', { signal });
      mount(status, plans.length ? `${plans.length} plan${plans.length === 1 ? '' : 's'}` : 'No plans.');
      mount(
        host,
        plans.map((p) => planCard(ctx, p)),
      );
    } catch (err) {
      if (!isAbort(err)) mount(status, problemBox(err, ctx));
    }
  })();
  return h('section', { class: 'maint-plans' }, h('h3', null, 'Preventive maintenance plans'), status, host);
}

function planCard(ctx: AppContext, initial: MaintenancePlan): HTMLElement {
  const card = h('article', { class: 'plan', dataset: { plan: initial.id } });
  const fill = (plan: MaintenancePlan) => {
    card.dataset.state = !plan.scheduled ? 'unscheduled' : plan.paused ? 'paused' : 'active';
    const message = h('div', { class: 'row-message' });
    const post = async (path: string, body: unknown, done: string) => {
      const next = await ctx.api.post<MaintenancePlan>(
        `/api/maintenance/plans/${encodeURIComponent(plan.id)}/${path}`,
        body,
      );
      toast(`${plan.id}: ${done}`);
      fill(next);
    };

    const actions: HTMLElement[] = [];
    if (!plan.scheduled) {
      const lead = h('input', {
        type: 'number',
        min: '0',
        max: '90',
        value: '14',
        'aria-label': 'Lead days',
        class: 'narrow',
      });
      actions.push(
        h('label', null, 'book ', lead, ' days ahead '),
        actionButton(ctx, 'Schedule', 'btn small primary', message, () =>
          post('schedule', { leadDays: Number(lead.value) }, 'scheduled'),
        ),
      );
    } else {
      const note = h('input', {
        type: 'text',
        maxlength: '500',
        placeholder: 'Note (optional)',
        'aria-label': 'Pause note',
      });
      actions.push(
        note,
        actionButton(ctx, plan.paused ? 'Resume' : 'Pause', 'btn small', message, () =>
          post(
            'pause',
            { paused: !plan.paused, ...(note.value.trim() ? { note: note.value.trim() } : {}) },
            plan.paused ? 'resumed' : 'paused',
          ),
        ),
      );
      const day = h('input', {
        type: 'date',
        'aria-label': 'Day to skip',
        value: firstWindowDay(plan.schedules) ?? '',
      });
      const which = h(
        'select',
        { 'aria-label': 'Tool to skip' },
        h('option', { value: '' }, 'all tools'),
        plan.schedules.map((s) => h('option', { value: s.toolId }, s.toolId)),
      );
      actions.push(
        h('span', { class: 'sep' }),
        day,
        which,
        actionButton(ctx, 'Skip day', 'btn small', message, () =>
          post(
            'skip',
            { day: day.value, ...(which.value ? { toolId: which.value } : {}) },
            `${day.value} skipped`,
          ),
        ),
      );
    }

    mount(
      card,
      h(
        'div',
        { class: 'plan-head' },
        h('strong', null, plan.id),
        h(
          'span',
          { class: `tag ${plan.scheduled ? (plan.paused ? 'warn' : 'ok') : ''}` },
          plan.scheduled ? (plan.paused ? 'paused' : 'active') : 'not scheduled',
        ),
        h(
          'span',
          { class: 'muted' },
          `every ${plan.everyDays} days · ${formatDuration(plan.durationMin)}`,
          plan.requiresRequalification ? ' · requalification' : '',
          plan.toolTypeId ? ` · type ${plan.toolTypeId}` : '',
        ),
      ),
      plan.schedules.length
        ? h(
            'table',
            { class: 'table compact schedules' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                ['Tool', 'Next windows', 'Skipped', ''].map((c) => h('th', null, c)),
              ),
            ),
            h(
              'tbody',
              null,
              plan.schedules.map((s) => scheduleRow(ctx, plan, s, message, post)),
            ),
          )
        : h(
            'p',
            { class: 'muted small' },
            'Tools: ',
            plan.toolIds.map((id, i) => [i ? ', ' : '', toolLabel(ctx, id)]),
          ),
      h('div', { class: 'inline-form' }, actions),
      message,
    );
  };
  fill(initial);
  return card;
}

function scheduleRow(
  ctx: AppContext,
  plan: MaintenancePlan,
  s: PmScheduleView,
  message: HTMLElement,
  post: (path: string, body: unknown, done: string) => Promise<void>,
): HTMLElement {
  return h(
    'tr',
    { dataset: { tool: s.toolId } },
    h('td', null, toolLabel(ctx, s.toolId)),
    h(
      'td',
      null,
      s.nextWindows.length
        ? s.nextWindows.slice(0, windowsShown).map((w) => {
            const day = isoDay(Date.parse(w));
            return h(
              'span',
              { class: 'window-chip' },
              formatDateTime(Date.parse(w)),
              actionButton(ctx, 'skip', 'chip-btn', message, () =>
                post('skip', { day, toolId: s.toolId }, `${s.toolId} on ${day} skipped`),
              ),
            );
          })
        : h('span', { class: 'muted small' }, plan.paused ? 'paused' : 'none'),
    ),
    h('td', { class: 'small' }, s.skippedDays.length ? s.skippedDays.join(', ') : ''),
    h('td', { class: 'small muted' }, s.paused ? (s.note ?? 'paused') : ''),
  );
}

function firstWindowDay(schedules: PmScheduleView[]): string | undefined {
  const first = schedules.flatMap((s) => s.nextWindows).sort()[0];
  return first ? isoDay(Date.parse(first)) : undefined;
}
