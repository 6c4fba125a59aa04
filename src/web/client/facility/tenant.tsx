// One tenant: its contacts and status (admin), its projects and their members, its people (admin,
// or the tenant's own manager); lab staff read it.
import { useState } from 'preact/hooks';
import type { PersonView, ProjectView, TenantView } from '../api.js';
import type { ViewProps } from '../app/view-props.js';
import { Field, Problem, useAction, valueOf } from '../components/form.js';
import { useLoad } from '../components/use-load.js';
import { roles, tenantGrantableRoles } from '../../../domain/roles.js';
import { roleLabels, toast, type AppContext } from '../ui.js';
import { DeactivatePerson } from './deactivate.js';
import { SignInLink } from './sign-in-link.js';

export function TenantView(props: ViewProps) {
  const { api, me } = props.ctx;
  const id = props.params.get('id') ?? me.tenant.id;
  const q = encodeURIComponent(id);
  const tenant = useLoad((signal) => api.get<TenantView>(`/api/tenants/${q}`, { signal }), [id]);
  const projects = useLoad((signal) => api.get<{ projects: ProjectView[] }>(`/api/projects?tenant=${q}`, { signal }), [id]);
  const people = useLoad((signal) => api.get<{ people: PersonView[] }>(`/api/users?tenant=${q}`, { signal }), [id]);
  const manages = me.role === 'admin' || (me.role === 'tenant_manager' && me.tenant.id === id);
  const reload = () => {
    tenant.reload();
    projects.reload();
    people.reload();
  };
  const t = tenant.data;
  return (
    <section class="tenant" data-tenant={id}>
      <p>
        <a href="#/tenants">← Tenants</a>
      </p>
      <Problem problem={tenant.problem} />
      {t ? (
        <header class="tenant-head">
          <h2>
            {t.name} <span class={`tag ${t.status === 'active' ? 'ok' : 'warn'}`}>{t.status}</span>
          </h2>
          <p class="muted">
            {t.class} · contact {t.contactName ?? '—'} {t.contactEmail ?? ''} {t.contactPhone ?? ''}
            {t.suspendedReason ? ` · suspended: ${t.suspendedReason}` : ''}
          </p>
          {me.role === 'admin' ? <TenantStatus ctx={props.ctx} tenant={t} onChanged={reload} /> : null}
        </header>
      ) : null}
      <h3>Projects</h3>
      <Problem problem={projects.problem} />
      <div class="projects">
        {(projects.data?.projects ?? []).map((p) => (
          <ProjectCard key={p.id} ctx={props.ctx} project={p} people={people.data?.people ?? []} manages={manages} onChanged={reload} />
        ))}
      </div>
      {manages ? <NewProject ctx={props.ctx} tenantId={id} people={people.data?.people ?? []} onCreated={reload} /> : null}
      <h3>People</h3>
      <Problem problem={people.problem} />
      <table class="table people-list">
        <thead>
          <tr>
            <th>Person</th>
            <th>Role</th>
            <th>Projects</th>
            <th>Status</th>
            {manages ? <th /> : null}
          </tr>
        </thead>
        <tbody>
          {(people.data?.people ?? []).map((p) => (
            <tr key={p.id} data-person={p.id}>
              <td>
                {p.name} <span class="muted">{p.email}</span>
              </td>
              <td>{roleLabels[p.role]}</td>
              <td>{p.projects.map((x) => x.code).join(', ') || '—'}</td>
              <td>{p.active ? 'active' : 'deactivated'}</td>
              {manages ? <td class="row-actions">{p.id === me.userId ? null : (
                    <>
                      <SignInLink ctx={props.ctx} person={p} />
                      <DeactivatePerson ctx={props.ctx} person={p} onChanged={reload} />
                    </>
                  )}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
      {manages ? <NewPerson ctx={props.ctx} tenantId={id} projects={projects.data?.projects ?? []} onCreated={reload} /> : null}
    </section>
  );
}

function TenantStatus(props: { ctx: AppContext; tenant: TenantView; onChanged(): void }) {
  const [reason, setReason] = useState('');
  const action = useAction();
  const suspended = props.tenant.status === 'suspended';
  const change = () =>
    void action.run(async () => {
      await props.ctx.api.patch(`/api/tenants/${encodeURIComponent(props.tenant.id)}`, suspended ? { status: 'active' } : { status: 'suspended', ...(reason.trim() ? { suspendedReason: reason.trim() } : {}) });
      toast(`${props.tenant.name} ${suspended ? 'reactivated' : 'suspended'}`);
      props.onChanged();
    });
  return (
    <div class="confirm-box">
      {suspended ? null : <input placeholder="Why (optional)" aria-label="Why suspend" value={reason} onInput={(e) => setReason(valueOf(e))} />}
      <button type="button" class={`btn small${suspended ? '' : ' danger'}`} disabled={action.working} onClick={change}>
        {suspended ? 'Reactivate tenant' : 'Suspend tenant'}
      </button>
      <Problem problem={action.problem} />
    </div>
  );
}

function ProjectCard(props: { ctx: AppContext; project: ProjectView; people: PersonView[]; manages: boolean; onChanged(): void }) {
  const { project } = props;
  const [adding, setAdding] = useState('');
  const action = useAction();
  const url = `/api/projects/${project.id}`;
  const others = props.people.filter((p) => p.active && !project.members.some((m) => m.userId === p.id));
  return (
    <article class="card project" data-project={project.code}>
      <h4>
        {project.code} — {project.name} <span class="tag">{project.kind === 'grant' ? 'grant' : 'cost centre'}</span>
        {project.active ? null : <span class="tag warn">closed</span>}
      </h4>
      <p class="muted small">
        {project.validFrom ?? 'open'} → {project.validTo ?? 'open-ended'}
      </p>
      <ul class="members">
        {project.members.map((m) => (
          <li key={m.userId} data-member={m.userId}>
            {m.name}
            {props.manages ? (
              <button type="button" class="btn subtle small" aria-label={`Remove ${m.name}`} onClick={() => void action.run(async () => {
                await props.ctx.api.delete(`${url}/members/${encodeURIComponent(m.userId)}`);
                props.onChanged();
              })}>
                ×
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {props.manages ? (
        <div class="confirm-box">
          <select aria-label={`Add a member to ${project.code}`} value={adding} onChange={(e) => setAdding(valueOf(e))}>
            <option value="">Add a member…</option>
            {others.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <button type="button" class="btn small" disabled={!adding || action.working} onClick={() => void action.run(async () => {
            await props.ctx.api.post(`${url}/members`, { userId: adding });
            setAdding('');
            props.onChanged();
          })}>
            Add
          </button>
          <button type="button" class="btn small subtle" onClick={() => void action.run(async () => {
            await props.ctx.api.patch(url, { active: !project.active });
            props.onChanged();
          })}>
            {project.active ? 'Close project' : 'Reopen project'}
          </button>
        </div>
      ) : null}
      <Problem problem={action.problem} />
    </article>
  );
}

function NewProject(props: { ctx: AppContext; tenantId: string; people: PersonView[]; onCreated(): void }) {
  const [form, setForm] = useState({ code: '', name: '', kind: 'grant', validTo: '', member: '' });
  const action = useAction();
  const set = (key: keyof typeof form) => (event: Event) => setForm({ ...form, [key]: valueOf(event) });
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await props.ctx.api.post('/api/projects', {
        tenantId: props.tenantId,
        code: form.code.trim(),
        name: form.name.trim(),
        kind: form.kind,
        ...(form.validTo ? { validTo: form.validTo } : {}),
        ...(form.member ? { memberIds: [form.member] } : {}),
      });
      toast(`Project ${form.code.trim()} opened`);
      setForm({ code: '', name: '', kind: 'grant', validTo: '', member: '' });
      props.onCreated();
    });
  };
  return (
    <form class="card facility-form new-project" onSubmit={submit} novalidate>
      <h4>Open a project</h4>
      <div class="row">
        <Field name="code" label="Code" problem={action.problem} hint="a grant number or cost centre">
          <input name="code" value={form.code} onInput={set('code')} />
        </Field>
        <Field name="name" label="Name" problem={action.problem}>
          <input name="name" value={form.name} onInput={set('name')} />
        </Field>
        <Field name="kind" label="Kind" problem={action.problem}>
          <select name="kind" value={form.kind} onChange={set('kind')}>
            <option value="grant">grant</option>
            <option value="cost_centre">cost centre</option>
          </select>
        </Field>
        <Field name="validTo" label="Ends (optional)" problem={action.problem}>
          <input name="validTo" type="date" value={form.validTo} onInput={set('validTo')} />
        </Field>
        <Field name="memberIds" label="First member (optional)" problem={action.problem}>
          <select name="memberIds" value={form.member} onChange={set('member')}>
            <option value="">—</option>
            {props.people.filter((p) => p.active).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div class="actions">
        <button type="submit" class="btn primary" disabled={action.working}>
          Open project
        </button>
      </div>
      <Problem problem={action.problem} />
    </form>
  );
}

function NewPerson(props: { ctx: AppContext; tenantId: string; projects: ProjectView[]; onCreated(): void }) {
  const { me } = props.ctx;
  const grantable = me.role === 'admin' ? roles : tenantGrantableRoles;
  const [form, setForm] = useState({ id: '', name: '', email: '', role: 'tenant_user', projectId: '' });
  const action = useAction();
  const set = (key: keyof typeof form) => (event: Event) => setForm({ ...form, [key]: valueOf(event) });
  const open = props.projects.filter((p) => p.active);
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const person = await props.ctx.api.post<PersonView>('/api/users', {
        id: form.id.trim(),
        tenantId: props.tenantId,
        name: form.name.trim(),
        email: form.email.trim(),
        role: form.role,
        ...(form.projectId ? { projectIds: [form.projectId] } : {}),
      });
      toast(`${person.name} added`);
      setForm({ id: '', name: '', email: '', role: 'tenant_user', projectId: '' });
      props.onCreated();
    });
  };
  return (
    <form class="card facility-form new-person" onSubmit={submit} novalidate>
      <h4>Add a person</h4>
      <div class="row">
        <Field name="id" label="Id" problem={action.problem} hint="e.g. vhu-chan">
          <input name="id" value={form.id} onInput={set('id')} />
        </Field>
        <Field name="name" label="Name" problem={action.problem}>
          <input name="name" value={form.name} onInput={set('name')} />
        </Field>
        <Field name="email" label="E-mail" problem={action.problem}>
          <input name="email" type="email" value={form.email} onInput={set('email')} />
        </Field>
        <Field name="role" label="Role" problem={action.problem}>
          <select name="role" value={form.role} onChange={set('role')}>
            {grantable.map((r) => (
              <option key={r} value={r}>
                {roleLabels[r]}
              </option>
            ))}
          </select>
        </Field>
        <Field name="projectIds" label="Project" problem={action.problem}>
          <select name="projectIds" value={form.projectId} onChange={set('projectId')}>
            <option value="">—</option>
            {open.map((p) => (
              <option key={p.id} value={p.id}>
                {p.code} — {p.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div class="actions">
        <button type="submit" class="btn primary" disabled={action.working}>
          Add person
        </button>
      </div>
      <Problem problem={action.problem} />
    </form>
  );
}
