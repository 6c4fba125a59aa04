// Maintenance by where it stands — upcoming, in progress, awaiting requalification, recent — with
// the actions each state allows: confirm, cancel, extend, complete, record requalification.
import { isAbort, type MaintenanceAnswer, type MaintenanceView } from './api.js';
import { h, mount, type Child } from './dom.js';
import { impactView, maintenanceBadge } from './impact.js';
import {
  dayMs,
  formatDuration,
  formatRange,
  fromLocalInput,
  isoDay,
  toIsoHkt,
  toLocalInput,
} from './time.js';
import { actionButton, problemBox, toast, toolLabel, type AppContext } from './ui.js';

const recentDays = 14;
const recentShown = 8;

const groups = [
  { id: 'upcoming', title: 'Upcoming', states: ['proposed', 'scheduled'] },
  { id: 'in_progress', title: 'In progress', states: ['in_progress'] },
  { id: 'awaiting_requalification', title: 'Awaiting requalification', states: ['awaiting_requalification'] },
  { id: 'recent', title: 'Recent', states: ['completed', 'cancelled'] },
] as const;

export function maintenanceList(
  ctx: AppContext,
  focus: string | null,
  signal: AbortSignal,
  toolsChanged: () => void,
): { element: HTMLElement; reload(): Promise<void> } {
  const status = h('div', { class: 'status-line', 'aria-live': 'polite' }, 'Loading…');
  const host = h('div', { class: 'maint-groups' });
  const refresh = h(
    'button',
    { type: 'button', class: 'btn small', onclick: () => void reload() },
    'Refresh',
  );
  const element = h(
    'section',
    { class: 'maint-list' },
    h('div', { class: 'toolbar' }, h('h3', null, 'Maintenance'), h('span', { class: 'spacer' }), refresh),
    status,
    host,
  );
  let focused = false;

  async function reload(): Promise<void> {
    try {
      const since = new Date(Date.now() - recentDays * dayMs).toISOString();
      // Requalification can outlast the recent range: asked for on its own.
      const [recent, waiting] = await Promise.all([
        ctx.api.get<{ maintenance: MaintenanceView[] }>(
          `/api/maintenance?from=${encodeURIComponent(since)}`,
          { signal },
        ),
        ctx.api.get<{ maintenance: MaintenanceView[] }>('/api/maintenance?state=awaiting_requalification', {
          signal,
        }),
      ]);
      const all = new Map([...recent.maintenance, ...waiting.maintenance].map((m) => [m.id, m]));
      const items = [...all.values()];
      mount(status, `${items.length} in the last ${recentDays} days and ahead`);
      mount(
        host,
        groups.map((g) => {
          let members = items.filter((m) => (g.states as readonly string[]).includes(m.state));
          if (g.id === 'recent')
            members = members.sort((a, b) => b.endsAt.localeCompare(a.endsAt)).slice(0, recentShown);
          return h(
            'div',
            { class: 'maint-group', dataset: { group: g.id } },
            h('h4', null, g.title, h('span', { class: 'muted' }, ` ${members.length}`)),
            members.length
              ? members.map((m) => maintenanceCard(ctx, m, toolsChanged))
              : h('p', { class: 'muted small' }, 'None.'),
          );
        }),
      );
      if (focus && !focused) {
        const card = host.querySelector<HTMLElement>(`[data-maintenance="${CSS.escape(focus)}"]`);
        if (card) {
          focused = true;
          card.classList.add('focus');
          card.scrollIntoView({ block: 'center' });
        }
      }
    } catch (err) {
      if (!isAbort(err)) mount(status, problemBox(err, ctx));
    }
  }
  void reload();
  return { element, reload };
}

/** One maintenance: what, when, why; its actions; a panel for inline forms and the impact. */
function maintenanceCard(ctx: AppContext, initial: MaintenanceView, toolsChanged: () => void): HTMLElement {
  const card = h('article', { class: 'mnt' });
  const fill = (m: MaintenanceView, shown?: Child) => {
    const start = Date.parse(m.startsAt);
    const end = Date.parse(m.endsAt);
    card.dataset.maintenance = m.id;
    card.dataset.state = m.state;
    const panel = h('div', { class: 'mnt-panel' }, shown ?? null);
    const message = h('div', { class: 'row-message' });
    /** Runs an action; its answer re-renders the card, with the new impact when it has one to show. */
    const send = async (path: string, body: unknown, done: string, showImpact = false) => {
      const answer = await ctx.api.post<MaintenanceAnswer>(`/api/maintenance/${m.id}/${path}`, body);
      toast(`${answer.maintenance.toolIds.join(', ')}: ${done}`);
      fill(
        answer.maintenance,
        showImpact && answer.impact
          ? impactView(ctx, answer.impact, { kind: answer.maintenance.kind, applied: true })
          : undefined,
      );
      toolsChanged();
    };
    const openPanel = (...children: Child[]) => {
      message.replaceChildren();
      mount(panel, children);
    };
    const noteInput = (placeholder: string) =>
      h('input', { type: 'text', maxlength: '500', placeholder, 'aria-label': 'Note' });
    const note = (input: HTMLInputElement) => (input.value.trim() ? { note: input.value.trim() } : {});

    const buttons: HTMLElement[] = [];
    const button = (label: string, run: () => void, cls = 'btn small') => {
      const b = h('button', { type: 'button', class: cls }, label);
      b.addEventListener('click', run);
      buttons.push(b);
    };

    button(m.state === 'proposed' ? 'Review & confirm…' : 'Impact', () => {
      openPanel(h('p', { class: 'muted' }, 'Loading the impact…'));
      ctx.api.get<MaintenanceAnswer>(`/api/maintenance/${m.id}`).then(
        (answer) =>
          openPanel(
            answer.impact
              ? impactView(ctx, answer.impact, { kind: m.kind, applied: m.state !== 'proposed' })
              : h('p', { class: 'muted' }, 'No impact recorded.'),
            m.state === 'proposed'
              ? h(
                  'div',
                  { class: 'actions' },
                  actionButton(ctx, 'Confirm', 'btn small primary', message, () =>
                    send('confirm', {}, 'maintenance confirmed', true),
                  ),
                )
              : null,
          ),
        (err: unknown) => openPanel(problemBox(err, ctx)),
      );
    });
    if (m.state === 'scheduled' || m.state === 'in_progress') {
      button('Extend…', () => {
        const endInput = h('input', {
          type: 'datetime-local',
          value: toLocalInput(end),
          'aria-label': 'New end (HKT)',
        });
        openPanel(
          h(
            'div',
            { class: 'inline-form' },
            h('label', null, 'New end (HKT) ', endInput),
            actionButton(ctx, 'Save new end', 'btn small primary', message, async () => {
              const at = fromLocalInput(endInput.value);
              await send(
                'extend',
                { endsAt: at === undefined ? endInput.value : toIsoHkt(at) },
                'new end saved',
                true,
              );
            }),
            h('span', { class: 'hint' }, 'Later or earlier; bookings in the way are repaired again.'),
          ),
        );
      });
    }
    if (m.state === 'in_progress') {
      button('Complete…', () => {
        const input = noteInput('What was done (optional)');
        openPanel(
          h(
            'div',
            { class: 'inline-form' },
            input,
            actionButton(ctx, 'Mark complete', 'btn small primary', message, () =>
              send('complete', note(input), 'work complete'),
            ),
            h(
              'span',
              { class: 'hint' },
              m.requiresRequalification
                ? 'The tool then waits for a passed qualification run.'
                : 'The tool comes back into service.',
            ),
          ),
        );
      });
    }
    if (m.state === 'awaiting_requalification') {
      button(
        'Record requalification…',
        () => {
          const pass = h('input', { type: 'radio', name: `requal-${m.id}`, value: 'pass', checked: true });
          const fail = h('input', { type: 'radio', name: `requal-${m.id}`, value: 'fail' });
          const notes = h('input', {
            type: 'text',
            maxlength: '2000',
            placeholder: 'Run, wafer, results (optional)',
            'aria-label': 'Notes',
          });
          openPanel(
            h(
              'div',
              { class: 'inline-form' },
              h('label', null, pass, ' Passed'),
              h('label', null, fail, ' Failed'),
              notes,
              actionButton(ctx, 'Save result', 'btn small primary', message, () =>
                send(
                  'requalify',
                  { passed: pass.checked, ...(notes.value.trim() ? { notes: notes.value.trim() } : {}) },
                  pass.checked
                    ? 'requalified, back in service'
                    : 'requalification failed; the tool stays out of service',
                ),
              ),
            ),
          );
        },
        'btn small primary',
      );
    }
    if (m.state === 'proposed' || m.state === 'scheduled') {
      button(
        'Cancel…',
        () => {
          const input = noteInput('Reason (optional)');
          openPanel(
            h(
              'div',
              { class: 'inline-form' },
              input,
              actionButton(ctx, 'Cancel maintenance', 'btn small danger', message, () =>
                send('cancel', note(input), 'maintenance cancelled'),
              ),
              h('span', { class: 'hint' }, 'Bookings already moved stay where they are.'),
            ),
          );
        },
        'btn small danger',
      );
    }

    mount(
      card,
      h(
        'div',
        { class: 'mnt-main' },
        h(
          'div',
          { class: 'mnt-head' },
          maintenanceBadge(m.state),
          h('span', { class: `tag kind-${m.kind}` }, m.kind),
          h(
            'strong',
            null,
            m.toolIds.map((id, i) => [i ? ', ' : '', toolLabel(ctx, id)]),
          ),
          h(
            'a',
            {
              href: `#/schedule?view=${end - start > 2 * dayMs ? 'week' : 'day'}&date=${isoDay(start)}`,
              title: 'Show on the schedule',
            },
            formatRange(start, end),
          ),
          h('span', { class: 'muted' }, formatDuration((end - start) / 60_000)),
        ),
        h(
          'div',
          { class: 'mnt-reason' },
          m.reason,
          m.requiresRequalification ? h('span', { class: 'tag warn' }, 'requalification') : null,
          h('span', { class: 'muted small' }, ` by ${m.createdById}`),
        ),
      ),
      h('div', { class: 'mnt-actions' }, buttons),
      panel,
      message,
    );
  };
  fill(initial);
  return card;
}
