// Entry: sign-in with a pasted bearer token (kept in localStorage), the nav, and a hash router.
import { ApiProblem, apiClient, type ApiClient, type ToolView } from './api.js';
import { renderApprovals, renderBookings } from './bookings.js';
import { h, mount } from './dom.js';
import { renderRequest } from './request.js';
import { renderSchedule } from './schedule.js';
import { busy, problemBox, type AppContext } from './ui.js';

const tokenKey = 'pilotline.token';
const views = ['schedule', 'request', 'bookings', 'approvals'] as const;
type ViewName = (typeof views)[number];

const app = document.getElementById('app')!;

function signOut(): void {
  localStorage.removeItem(tokenKey);
  document.getElementById('toasts')?.replaceChildren();
  showSignIn();
}

function showSignIn(problem?: unknown): void {
  window.onhashchange = null;
  document.body.classList.remove('signed-in');
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'plt_…',
    required: true,
    'aria-label': 'API token',
  });
  const button = h('button', { type: 'submit', class: 'btn primary' }, 'Sign in');
  const message = h('div', null, problem ? problemBox(problem) : null);
  const form = h(
    'form',
    { class: 'signin card' },
    h('h1', null, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'Pilotline'),
    h('p', { class: 'muted' }, 'Tool time on the SiC/GaN pilot line of the Microelectronics Centre.'),
    h('label', { for: 'token' }, 'Your API token'),
    input,
    h('p', { class: 'hint' }, 'Paste it once: it stays in this browser until you sign out.'),
    button,
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    void busy(button, async () => {
      mount(message);
      try {
        await start(token);
      } catch (err) {
        mount(message, problemBox(err));
      }
    });
  });
  mount(app, h('main', { class: 'signin-page' }, form));
  input.focus();
}

/** Checks the token (tools need any role; approvals tell a lab manager), then shows the app. */
async function start(token: string): Promise<void> {
  // A token revoked while signed in ends the session; during sign-in the form shows the error itself.
  const api = apiClient(token, () => {
    if (!document.body.classList.contains('signed-in')) return;
    localStorage.removeItem(tokenKey);
    showSignIn(
      new ApiProblem({
        status: 401,
        code: 'UNAUTHENTICATED',
        detail: 'Your token is no longer valid; paste a new one.',
      }),
    );
  });
  const [tools, isManager] = await Promise.all([
    api.get<{ tools: ToolView[] }>('/api/tools').then((r) => r.tools),
    api.get<{ bookings: unknown[] }>('/api/approvals').then(
      (r) => r.bookings.length,
      (err: unknown) => {
        if (err instanceof ApiProblem && err.code === 'FORBIDDEN') return -1;
        throw err;
      },
    ),
  ]);
  localStorage.setItem(tokenKey, token);
  showApp(api, tools, isManager >= 0 ? isManager : undefined);
}

function showApp(api: ApiClient, tools: ToolView[], approvals: number | undefined): void {
  document.body.classList.add('signed-in');
  const isManager = approvals !== undefined;
  const badge = h('span', { class: 'count', hidden: !approvals }, String(approvals ?? 0));
  const labels: Record<ViewName, string> = {
    schedule: 'Schedule',
    request: 'Request',
    bookings: isManager ? 'Bookings' : 'My bookings',
    approvals: 'Approvals',
  };
  const links = new Map<ViewName, HTMLAnchorElement>();
  for (const view of views) {
    if (view === 'approvals' && !isManager) continue;
    links.set(
      view,
      h('a', { href: `#/${view}`, class: 'nav-link' }, labels[view], view === 'approvals' ? badge : null),
    );
  }
  const signOutButton = h(
    'button',
    { type: 'button', class: 'btn subtle', onclick: () => signOut() },
    'Sign out',
  );
  const main = h('main', { id: 'view' });
  mount(
    app,
    h(
      'header',
      { class: 'topbar' },
      h(
        'a',
        { class: 'brand', href: '#/schedule' },
        h('span', { class: 'logo', 'aria-hidden': 'true' }),
        'Pilotline',
      ),
      h('nav', null, [...links.values()]),
      h('span', { class: 'spacer' }),
      isManager ? h('span', { class: 'role' }, 'Lab manager') : null,
      signOutButton,
    ),
    main,
  );

  const ctx: AppContext = {
    api,
    isManager,
    tools,
    toolsById: new Map(tools.map((t) => [t.id, t])),
    go: (hash) => {
      if (location.hash === hash) route();
      else location.hash = hash;
    },
    refreshApprovals: () => {
      if (!isManager) return;
      api.get<{ bookings: unknown[] }>('/api/approvals').then(
        (r) => {
          badge.textContent = String(r.bookings.length);
          badge.hidden = r.bookings.length === 0;
        },
        () => undefined,
      );
    },
  };

  let cleanup: (() => void) | undefined;
  function route(): void {
    const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
    const view: ViewName =
      (views as readonly string[]).includes(path) && (path !== 'approvals' || isManager)
        ? (path as ViewName)
        : 'schedule';
    const params = new URLSearchParams(query);
    for (const [name, link] of links) link.classList.toggle('active', name === view);
    cleanup?.();
    document.title = `${labels[view]} · Pilotline`;
    cleanup =
      view === 'request'
        ? renderRequest(main, ctx, params)
        : view === 'bookings'
          ? renderBookings(main, ctx, params)
          : view === 'approvals'
            ? renderApprovals(main, ctx)
            : renderSchedule(main, ctx, params);
  }
  window.onhashchange = route;
  route();
}

const saved = localStorage.getItem(tokenKey);
if (saved) {
  start(saved).catch((err: unknown) => {
    if (err instanceof ApiProblem && err.code === 'UNAUTHENTICATED') localStorage.removeItem(tokenKey);
    showSignIn(err);
  });
} else {
  showSignIn();
}
