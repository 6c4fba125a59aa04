// Everyone who signs in (a tenant manager: their own tenant's people), by tenant; deactivate or
// reactivate where the role may.
import { useState } from 'preact/hooks';
import type { PersonView } from '../api.js';
import type { ViewProps } from '../app/view-props.js';
import { Problem, valueOf } from '../components/form.js';
import { useLoad } from '../components/use-load.js';
import { hasRole, peopleRoles, tenantGrantableRoles } from '../../../domain/roles.js';
import { roleLabels } from '../ui.js';
import { DeactivatePerson } from './deactivate.js';
import { SignInLink } from './sign-in-link.js';

export function PeopleView(props: ViewProps) {
  const { api, me } = props.ctx;
  const [q, setQ] = useState('');
  const [activeOnly, setActiveOnly] = useState(false);
  const query = new URLSearchParams({ ...(q.trim() ? { q: q.trim() } : {}), ...(activeOnly ? { active: 'true' } : {}) }).toString();
  const list = useLoad((signal) => api.get<{ people: PersonView[] }>(`/api/users${query ? `?${query}` : ''}`, { signal }), [query]);
  const mayChange = (p: PersonView) =>
    p.id !== me.userId && hasRole(me.role, peopleRoles) && (me.role === 'admin' || hasRole(p.role, tenantGrantableRoles));
  return (
    <section class="people">
      <h2>People</h2>
      <div class="toolbar">
        <input placeholder="Name, e-mail or id" aria-label="Search people" value={q} onInput={(e) => setQ(valueOf(e))} />
        <label>
          <input type="checkbox" checked={activeOnly} onChange={(e) => setActiveOnly((e.currentTarget as HTMLInputElement).checked)} /> active only
        </label>
      </div>
      <Problem problem={list.problem} />
      <table class="table people-list">
        <thead>
          <tr>
            <th>Person</th>
            <th>Tenant</th>
            <th>Role</th>
            <th>Projects</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(list.data?.people ?? []).map((p) => (
            <tr key={p.id} data-person={p.id}>
              <td>
                {p.name} <span class="muted">{p.email}</span>
              </td>
              <td>
                <a href={`#/tenant?id=${encodeURIComponent(p.tenantId)}`}>{p.tenantName}</a>
              </td>
              <td>{roleLabels[p.role]}</td>
              <td>{p.projects.map((x) => x.code).join(', ') || '—'}</td>
              <td>{p.active ? 'active' : 'deactivated'}</td>
              <td class="row-actions">{mayChange(p) ? (
                  <>
                    <SignInLink ctx={props.ctx} person={p} />
                    <DeactivatePerson ctx={props.ctx} person={p} onChanged={list.reload} />
                  </>
                ) : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
