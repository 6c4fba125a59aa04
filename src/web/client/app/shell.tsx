import { signal } from '@preact/signals';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ToolView } from '../api.js';
import { roleActsForAllTenants } from '../../../domain/roles.js';
import { roleLabels, type AppContext } from '../ui.js';
import { InboxLink } from '../inbox/inbox-link.js';
import { unreadCount } from '../inbox/unread.js';
import { LegacyView } from './legacy-view.js';
import { go, location } from './router.js';
import { signOut, type Session } from './session.js';
import { viewFor, views } from './views.js';

/** Held bookings waiting for a decision: the nav badge of lab managers. */
const pendingApprovals = signal(0);

/** The signed-in app: the top bar with the views the role allows, and the current view. */
export function Shell(props: { session: Session }) {
  const { api, me, tools } = props.session;
  const allowed = views.filter((v) => v.inNav && v.allows(me.role));
  const canApprove = allowed.some((v) => v.path === 'approvals');

  const ctx = useMemo<AppContext>(() => {
    const context: AppContext = {
      api,
      me,
      seesAllTenants: roleActsForAllTenants(me.role),
      canApprove,
      canMaintain: allowed.some((v) => v.path === 'maintenance'),
      tools: [...tools],
      toolsById: new Map(tools.map((t) => [t.id, t])),
      reloadTools: async () => {
        const fresh = (await api.get<{ tools: ToolView[] }>('/api/tools')).tools;
        context.tools.splice(0, context.tools.length, ...fresh);
        context.toolsById.clear();
        for (const t of fresh) context.toolsById.set(t.id, t);
      },
      go,
      refreshApprovals: () => {
        if (!canApprove) return;
        api.get<{ bookings: unknown[]; lots: unknown[] }>('/api/approvals').then(
          (r) => (pendingApprovals.value = r.bookings.length + r.lots.length),
          () => undefined,
        );
      },
    };
    return context;
    // One context per session: screens keep references to it.
  }, [props.session]);

  useEffect(() => ctx.refreshApprovals(), [ctx]);

  const here = location.value;
  const view = viewFor(here.path, me.role);
  useEffect(() => {
    document.title = `${view.label} · Pilotline`;
  }, [view]);
  // On narrow screens the nav and the account links sit behind a menu button; going anywhere closes it.
  // Its badge counts what waits inside: requests to decide and unread notifications.
  const [menuOpen, setMenuOpen] = useState(false);
  const waiting = (canApprove ? pendingApprovals.value : 0) + unreadCount.value;
  useEffect(() => setMenuOpen(false), [here]);
  useEffect(() => {
    document.body.classList.add('signed-in');
    return () => document.body.classList.remove('signed-in');
  }, []);

  return (
    <>
      <header class={`topbar${menuOpen ? ' menu-open' : ''}`} onKeyDown={(e) => e.key === 'Escape' && setMenuOpen(false)}>
        <a class="brand" href="#/schedule">
          <span class="logo" aria-hidden="true" />
          Pilotline
        </a>
        {/* The page's name for screen readers; each view's own title follows as its h2. */}
        <h1 class="sr-only">{view.label}</h1>
        <button type="button" class="menu-button" aria-expanded={menuOpen} aria-controls="site-menu" onClick={() => setMenuOpen(!menuOpen)}>
          <span class="menu-icon" aria-hidden="true" />
          Menu
          {waiting > 0 ? <span class="count">{String(waiting)}</span> : null}
        </button>
        <div class="site-menu" id="site-menu" onClick={(e) => (e.target as Element).closest('a') && setMenuOpen(false)}>
          <nav aria-label="Pages">
            {allowed.map((v) => (
              <a key={v.path} href={`#/${v.path}`} class={`nav-link${v === view ? ' active' : ''}`} aria-current={v === view ? 'page' : undefined}>
                {v.label}
                {v.path === 'approvals' ? (
                  <span class="count" hidden={pendingApprovals.value === 0}>
                    {String(pendingApprovals.value)}
                  </span>
                ) : null}
              </a>
            ))}
          </nav>
          <span class="spacer" />
          <InboxLink api={api} active={view.path === 'inbox'} here={`${here.path}?${here.params.toString()}`} />
          <a class="me" href="#/profile" title={`Signed in as ${me.name} (${me.userId}), ${roleLabels[me.role]}, ${me.tenant.name}: your profile`}>
            <span class="me-name">{me.name}</span>
            <span class="role" data-role={me.role}>
              {roleLabels[me.role]}
            </span>
            <span class="me-tenant">{me.tenant.name}</span>
          </a>
          <a class={`nav-link${view.path === 'tokens' ? ' active' : ''}`} href="#/tokens">
            API tokens
          </a>
          <button type="button" class="btn subtle" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      {'component' in view ? (
        <main id="view" key={`${view.path}?${here.params.toString()}`}>
          <view.component ctx={ctx} params={here.params} />
        </main>
      ) : (
        <LegacyView key={`${view.path}?${here.params.toString()}`} render={view.render} ctx={ctx} params={here.params} />
      )}
    </>
  );
}
