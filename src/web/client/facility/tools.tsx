// Tools and tool types: add them; edit a tool's capabilities or retire it, seeing first which future
// bookings that affects (they stay for a lab manager to decide on).
import { useState } from 'preact/hooks';
import type { ToolTypeView, ToolView } from '../api.js';
import type { ViewProps } from '../app/view-props.js';
import { Field, Problem, useAction, valueOf } from '../components/form.js';
import { useLoad } from '../components/use-load.js';
import { hasRole, managerRoles } from '../../../domain/roles.js';
import { formatDate } from '../time.js';
import { toast, type AppContext } from '../ui.js';
import { CheckAndApply } from './change-preview.js';

const materials = ['SiC', 'GaN', 'GaN-on-Si', 'Si'];
const sizes = [100, 150, 200];
const groups = ['cmos-clean', 'standard', 'au-metal'];

export function ToolsAdminView(props: ViewProps) {
  const { api, me } = props.ctx;
  const tools = useLoad((signal) => api.get<{ tools: ToolView[] }>('/api/tools?retired=true', { signal }), []);
  const types = useLoad((signal) => api.get<{ toolTypes: ToolTypeView[] }>('/api/tool-types', { signal }), []);
  const edits = hasRole(me.role, managerRoles);
  const reload = () => {
    tools.reload();
    types.reload();
    void props.ctx.reloadTools();
  };
  return (
    <section class="tools-admin">
      <h2>Tools</h2>
      <Problem problem={tools.problem} />
      <table class="table tools-list">
        <thead>
          <tr>
            <th>Tool</th>
            <th>Type</th>
            <th>Takes</th>
            <th>Status</th>
            {edits ? <th /> : null}
          </tr>
        </thead>
        <tbody>
          {(tools.data?.tools ?? []).map((t) => (
            <ToolRow key={t.id} ctx={props.ctx} tool={t} edits={edits} onChanged={reload} />
          ))}
        </tbody>
      </table>
      {edits ? <NewTool ctx={props.ctx} types={types.data?.toolTypes ?? []} onCreated={reload} /> : null}
      <h2>Tool types</h2>
      <Problem problem={types.problem} />
      <ul class="tool-types">
        {(types.data?.toolTypes ?? []).map((t) => (
          <li key={t.id}>
            <strong>{t.name}</strong> <code>{t.id}</code> <span class="muted">{t.area} · {t.tools} in service</span>
          </li>
        ))}
      </ul>
      {edits ? <NewToolType ctx={props.ctx} onCreated={reload} /> : null}
    </section>
  );
}

function ToolRow(props: { ctx: AppContext; tool: ToolView; edits: boolean; onChanged(): void }) {
  const { tool } = props;
  const [open, setOpen] = useState<'edit' | 'retire' | null>(null);
  const [change, setChange] = useState({ materials: tool.materials, waferSizes: tool.waferSizes, contaminationClass: tool.contaminationClass });
  const url = `/api/tools/${encodeURIComponent(tool.id)}`;
  const toggle = <T,>(list: T[], value: T) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  return (
    <tr data-tool={tool.id}>
      <td>
        <strong>{tool.id}</strong> <span class="muted">{tool.name}</span>
      </td>
      <td>{tool.type.name}</td>
      <td class="small">
        {tool.materials.join(', ')} · {tool.waferSizes.join('/')} mm · {tool.contaminationClass}
        {tool.batchCapacity > 1 ? ` · batch of ${tool.batchCapacity}` : ''}
      </td>
      <td>{tool.retiredAt ? <span class="tag warn">retired {formatDate(Date.parse(tool.retiredAt))}</span> : <span class={`status status-${tool.status}`}>{tool.status}</span>}</td>
      {props.edits ? (
        <td class="row-actions">
          {tool.retiredAt ? null : (
            <span class="btn-group">
              <button type="button" class={`btn small${open === 'edit' ? ' active' : ''}`} onClick={() => setOpen(open === 'edit' ? null : 'edit')}>
                Edit…
              </button>
              <button type="button" class={`btn small${open === 'retire' ? ' active' : ''}`} onClick={() => setOpen(open === 'retire' ? null : 'retire')}>
                Retire…
              </button>
            </span>
          )}
          {open === 'edit' ? (
            <div class="card tool-edit">
              <div>
                {materials.map((m) => (
                  <label key={m}>
                    <input type="checkbox" checked={change.materials.includes(m)} onChange={() => setChange({ ...change, materials: toggle(change.materials, m) })} /> {m}{' '}
                  </label>
                ))}
              </div>
              <div>
                {sizes.map((s) => (
                  <label key={s}>
                    <input type="checkbox" checked={change.waferSizes.includes(s)} onChange={() => setChange({ ...change, waferSizes: toggle(change.waferSizes, s) })} /> {s} mm{' '}
                  </label>
                ))}
                <select aria-label="Contamination class" value={change.contaminationClass} onChange={(e) => setChange({ ...change, contaminationClass: valueOf(e) })}>
                  {groups.map((g) => (
                    <option key={g} value={g}>
                      {g}
                    </option>
                  ))}
                </select>
              </div>
              <CheckAndApply send={(dryRun) => props.ctx.api.patch(`${url}${dryRun ? '?dryRun=true' : ''}`, change)} onApplied={props.onChanged} />
            </div>
          ) : null}
          {open === 'retire' ? (
            <div class="card tool-retire">
              <p class="small">A retired tool takes no new bookings; its future bookings stay until a lab manager cancels or moves them.</p>
              <CheckAndApply label="Retire" send={(dryRun) => props.ctx.api.post(`${url}/retire${dryRun ? '?dryRun=true' : ''}`, {})} onApplied={() => {
                  toast(`${tool.id} retired`);
                  props.onChanged();
                }} />
            </div>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}

function NewTool(props: { ctx: AppContext; types: ToolTypeView[]; onCreated(): void }) {
  const [form, setForm] = useState({ id: '', name: '', toolTypeId: '', materials: 'SiC, GaN', waferSizes: '150', contaminationClass: 'standard' });
  const set = (key: keyof typeof form) => (event: Event) => setForm({ ...form, [key]: valueOf(event) });
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await props.ctx.api.post('/api/tools', {
        id: form.id.trim(),
        name: form.name.trim(),
        toolTypeId: form.toolTypeId,
        materials: form.materials.split(',').map((m) => m.trim()).filter(Boolean),
        waferSizes: form.waferSizes.split(',').map((s) => Number(s.trim())).filter(Boolean),
        contaminationClass: form.contaminationClass,
      });
      toast(`${form.id.trim()} added`);
      props.onCreated();
    });
  };
  return (
    <form class="card facility-form new-tool" onSubmit={submit} novalidate>
      <h4>Add a tool</h4>
      <div class="row">
        <Field name="id" label="Id" problem={action.problem}>
          <input name="id" value={form.id} onInput={set('id')} />
        </Field>
        <Field name="name" label="Name" problem={action.problem}>
          <input name="name" value={form.name} onInput={set('name')} />
        </Field>
        <Field name="toolTypeId" label="Type" problem={action.problem}>
          <select name="toolTypeId" value={form.toolTypeId} onChange={set('toolTypeId')}>
            <option value="">—</option>
            {props.types.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </Field>
        <Field name="materials" label="Materials" problem={action.problem} hint="comma-separated">
          <input name="materials" value={form.materials} onInput={set('materials')} />
        </Field>
        <Field name="waferSizes" label="Wafer sizes (mm)" problem={action.problem}>
          <input name="waferSizes" value={form.waferSizes} onInput={set('waferSizes')} />
        </Field>
        <Field name="contaminationClass" label="Contamination" problem={action.problem}>
          <select name="contaminationClass" value={form.contaminationClass} onChange={set('contaminationClass')}>
            {groups.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div class="actions">
        <button type="submit" class="btn primary" disabled={action.working}>
          Add tool
        </button>
      </div>
      <Problem problem={action.problem} />
    </form>
  );
}

function NewToolType(props: { ctx: AppContext; onCreated(): void }) {
  const [form, setForm] = useState({ id: '', name: '', area: '' });
  const set = (key: keyof typeof form) => (event: Event) => setForm({ ...form, [key]: valueOf(event) });
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await props.ctx.api.post('/api/tool-types', { id: form.id.trim(), name: form.name.trim(), area: form.area.trim() });
      toast(`${form.name.trim()} added`);
      setForm({ id: '', name: '', area: '' });
      props.onCreated();
    });
  };
  return (
    <form class="card facility-form new-tool-type" onSubmit={submit} novalidate>
      <h4>Add a tool type</h4>
      <div class="row">
        <Field name="id" label="Id" problem={action.problem}>
          <input name="id" value={form.id} onInput={set('id')} />
        </Field>
        <Field name="name" label="Name" problem={action.problem}>
          <input name="name" value={form.name} onInput={set('name')} />
        </Field>
        <Field name="area" label="Area" problem={action.problem} hint="e.g. epitaxy, metrology">
          <input name="area" value={form.area} onInput={set('area')} />
        </Field>
      </div>
      <div class="actions">
        <button type="submit" class="btn primary" disabled={action.working}>
          Add tool type
        </button>
      </div>
      <Problem problem={action.problem} />
    </form>
  );
}
