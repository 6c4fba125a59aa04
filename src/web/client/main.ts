// Entry: sign-in with a pasted bearer token (kept in localStorage), the signed-in identity from
// GET /api/me, the nav its role allows, and a hash router.
import { hasRole, managerRoles, opsRoles } from '../../domain/roles.js';
import { ApiProblem, apiClient, type ApiClient, type Me, type Role, type ToolView } from './api.js';
import { renderApprovals } from './approvals.js';
import { renderBookings } from './bookings.js';
import { h, mount } from './dom.js';
import { renderMaintenance } from './maintenance.js';
import { renderRequest } from './request.js';
import { renderSchedule } from './schedule.js';
import { busy, problemBox, roleLabels, type AppContext } from './ui.js';

const tokenKey = 'pilotline.token';
const views = ['schedule', 'request', 'bookings', 'approvals', 'maintenance'] as const;
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

/** Checks the token and learns who it belongs to (GET /api/me), then shows the app. */
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
  const [me, tools] = await Promise.all([
    api.get<Me>('/api/me'),
    api.get<{ tools: ToolView[] }>('/api/tools').then((r) => r.tools),
  ]);
  localStorage.setItem(tokenKey, token);
  showApp(api, me, tools);
}

/** Which views a role has: everyone books; lab managers approve; ops plan maintenance; admins all. */
function allowedViews(role: Role): Set<ViewName> {
  const allowed = new Set<ViewName>(['schedule', 'request', 'bookings']);
  if (hasRole(role, managerRoles)) allowed.add('approvals');
  if (hasRole(role, opsRoles)) allowed.add('maintenance');
  return allowed;
}

function showApp(api: ApiClient, me: Me, tools: ToolView[]): void {
  document.body.classList.add('signed-in');
  const allowed = allowedViews(me.role);
  const badge = h('span', { class: 'count', hidden: true }, '0');
  const labels: Record<ViewName, string> = {
    schedule: 'Schedule',
    request: 'Request',
    bookings: 'My bookings',
    approvals: 'Approvals',
    maintenance: 'Maintenance',
  };
  const links = new Map<ViewName, HTMLAnchorElement>();
  for (const view of views) {
    if (!allowed.has(view)) continue;
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
      h(
        'span',
        { class: 'me', title: `Signed in as ${me.userId} (${me.tenant.class})` },
        h('span', { class: 'me-name' }, me.name),
        h('span', { class: 'role', dataset: { role: me.role } }, roleLabels[me.role]),
        h('span', { class: 'me-tenant' }, me.tenant.name),
      ),
      signOutButton,
    ),
    main,
  );

  const ctx: AppContext = {
    api,
    me,
    seesAllTenants: me.role !== 'tenant_user',
    canApprove: allowed.has('approvals'),
    canMaintain: allowed.has('maintenance'),
    tools,
    toolsById: new Map(tools.map((t) => [t.id, t])),
    reloadTools: async () => {
      const fresh = (await api.get<{ tools: ToolView[] }>('/api/tools')).tools;
      ctx.tools.splice(0, ctx.tools.length, ...fresh);
      ctx.toolsById.clear();
      for (const t of fresh) ctx.toolsById.set(t.id, t);
    },
    go: (hash) => {
      if (location.hash === hash) route();
      else location.hash = hash;
    },
    refreshApprovals: () => {
      if (!ctx.canApprove) return;
      api.get<{ bookings: unknown[]; lots: unknown[] }>('/api/approvals').then(
        (r) => {
          const waiting = r.bookings.length + r.lots.length;
          badge.textContent = String(waiting);
          badge.hidden = waiting === 0;
        },
        () => undefined,
      );
    },
  };

  let cleanup: (() => void) | undefined;
  function route(): void {
    const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
    const view: ViewName = allowed.has(path as ViewName) ? (path as ViewName) : 'schedule';
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
            : view === 'maintenance'
              ? renderMaintenance(main, ctx, params)
              : renderSchedule(main, ctx, params);
  }
  window.onhashchange = route;
  ctx.refreshApprovals();
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
