// The facility's pages, as far as the signed-in role may open them.
import type { ViewProps } from '../app/view-props.js';
import { hasRole, managerRoles, peopleRoles, roleActsForAllTenants } from '../../../domain/roles.js';

const pages = [
  { path: 'tenants', title: 'Tenants', what: 'Organisations, their class, contacts, projects and people; suspend or reactivate' },
  { path: 'people', title: 'People', what: 'Everyone who signs in: role, tenant, projects; add, edit, deactivate' },
  { path: 'tools-admin', title: 'Tools & tool types', what: 'Add and edit tools and their capabilities, retire a tool', staff: true },
  { path: 'policies', title: 'Policies & changeovers', what: 'Booking rules per tool type or tool; what a change would break', staff: true },
  { path: 'rates', title: 'Rates', what: 'Hourly rates per tool type and tenant class, for new requests', staff: true },
  { path: 'audit', title: 'Audit log', what: 'Who changed what, when', managers: true },
];

export function FacilityView(props: ViewProps) {
  const { role, tenant } = props.ctx.me;
  const shown = pages.filter((p) => (!p.staff || roleActsForAllTenants(role)) && (!p.managers || hasRole(role, managerRoles)));
  return (
    <section class="facility">
      <h2>Run the facility</h2>
      {hasRole(role, peopleRoles) && !roleActsForAllTenants(role) ? (
        <p>
          You manage <a href={`#/tenant?id=${encodeURIComponent(tenant.id)}`}>{tenant.name}</a>: its projects and people.
        </p>
      ) : null}
      <ul class="facility-pages">
        {shown.map((p) => (
          <li key={p.path}>
            <a href={`#/${p.path}`}>{p.title}</a> <span class="muted">{p.what}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
