// Tenants: everyone on the facility page sees the list (a tenant manager their own); admin admits,
// suspends and reactivates them.
import { useState } from 'preact/hooks';
import type { TenantView } from '../api.js';
import type { ViewProps } from '../app/view-props.js';
import { Field, Problem, useAction, valueOf } from '../components/form.js';
import { useLoad } from '../components/use-load.js';
import { toast } from '../ui.js';

const classes = ['university', 'industry', 'institute'] as const;

export function TenantsView(props: ViewProps) {
  const { api, me } = props.ctx;
  const list = useLoad((signal) => api.get<{ tenants: TenantView[] }>('/api/tenants', { signal }), []);
  const admin = me.role === 'admin';
  return (
    <section class="tenants">
      <h2>Tenants</h2>
      <Problem problem={list.problem} />
      <table class="table">
        <thead>
          <tr>
            <th>Tenant</th>
            <th>Class</th>
            <th>Contact</th>
            <th>People</th>
            <th>Projects</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.tenants ?? []).map((t) => (
            <tr key={t.id} data-tenant={t.id}>
              <td>
                <a href={`#/tenant?id=${encodeURIComponent(t.id)}`}>{t.name}</a> <code>{t.id}</code>
              </td>
              <td>{t.class}</td>
              <td>
                {t.contactName ?? '—'} {t.contactEmail ? <span class="muted">{t.contactEmail}</span> : null}
              </td>
              <td>{t.people}</td>
              <td>{t.projects}</td>
              <td>
                <span class={`tag ${t.status === 'active' ? 'ok' : 'warn'}`}>{t.status}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {admin ? <NewTenant ctx={props.ctx} onCreated={(t) => props.ctx.go(`#/tenant?id=${encodeURIComponent(t.id)}`)} /> : null}
    </section>
  );
}

function NewTenant(props: { ctx: ViewProps['ctx']; onCreated(t: TenantView): void }) {
  const [form, setForm] = useState({ id: '', name: '', class: 'university', contactName: '', contactEmail: '', contactPhone: '' });
  const action = useAction();
  const set = (key: keyof typeof form) => (event: Event) => setForm({ ...form, [key]: valueOf(event) });
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const optional = (value: string) => (value.trim() ? value.trim() : undefined);
      const created = await props.ctx.api.post<TenantView>('/api/tenants', {
        id: form.id.trim(),
        name: form.name.trim(),
        class: form.class,
        contactName: optional(form.contactName),
        contactEmail: optional(form.contactEmail),
        contactPhone: optional(form.contactPhone),
      });
      toast(`${created.name} admitted`);
      props.onCreated(created);
    });
  };
  return (
    <form class="card facility-form new-tenant" onSubmit={submit} novalidate>
      <h3>Admit a tenant</h3>
      <div class="row">
        <Field name="id" label="Id" problem={action.problem} hint="short and stable, e.g. uni-harbour">
          <input name="id" value={form.id} onInput={set('id')} required />
        </Field>
        <Field name="name" label="Name" problem={action.problem}>
          <input name="name" value={form.name} onInput={set('name')} required />
        </Field>
        <Field name="class" label="Class" problem={action.problem}>
          <select name="class" value={form.class} onChange={set('class')}>
            {classes.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div class="row">
        <Field name="contactName" label="Contact" problem={action.problem}>
          <input name="contactName" value={form.contactName} onInput={set('contactName')} />
        </Field>
        <Field name="contactEmail" label="Contact e-mail" problem={action.problem}>
          <input name="contactEmail" type="email" value={form.contactEmail} onInput={set('contactEmail')} />
        </Field>
        <Field name="contactPhone" label="Contact phone" problem={action.problem}>
          <input name="contactPhone" value={form.contactPhone} onInput={set('contactPhone')} />
        </Field>
      </div>
      <div class="actions">
        <button type="submit" class={`btn primary${action.working ? ' is-busy' : ''}`} disabled={action.working}>
          Admit tenant
        </button>
      </div>
      <Problem problem={action.problem} />
    </form>
  );
}
