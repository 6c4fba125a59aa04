// Booking rules and changeovers: edit them for new requests, after seeing which existing bookings
// the new rule would break (listed for a lab manager, never changed).
import { useState } from 'preact/hooks';
import type { PolicyView, SetupRuleView } from '../api.js';
import type { ViewProps } from '../app/view-props.js';
import { Field, Problem, useAction, valueOf } from '../components/form.js';
import { useLoad } from '../components/use-load.js';
import { hasRole, managerRoles } from '../../../domain/roles.js';
import { formatDuration } from '../time.js';
import { toast, type AppContext } from '../ui.js';
import { CheckAndApply } from './change-preview.js';

/** The terms a form edits, in minutes unless said, with their labels. */
const terms: Array<[keyof PolicyView, string]> = [
  ['minDurationMin', 'Shortest (min)'],
  ['maxDurationMin', 'Longest (min)'],
  ['minNoticeMin', 'Notice (min)'],
  ['maxAdvanceMin', 'Horizon (min)'],
  ['bufferAfterMin', 'Buffer after (min)'],
  ['weeklyQuotaMin', 'Weekly quota (min)'],
  ['approvalTimeoutMin', 'Hold time (min)'],
  ['checkInGraceMin', 'No-show after (min)'],
  ['lateCancelMin', 'Late cancel within (min)'],
  ['lateCancelChargePercent', 'Late-cancel charge (%)'],
  ['noShowChargePercent', 'No-show charge (%)'],
];

export function PoliciesView(props: ViewProps) {
  const { api, me } = props.ctx;
  const policies = useLoad((signal) => api.get<{ policies: PolicyView[] }>('/api/policies', { signal }), []);
  const rules = useLoad((signal) => api.get<{ setupRules: SetupRuleView[] }>('/api/setup-rules', { signal }), []);
  const edits = hasRole(me.role, managerRoles);
  return (
    <section class="policies">
      <h2>Policies</h2>
      <Problem problem={policies.problem} />
      <table class="table policies-list">
        <thead>
          <tr>
            <th>For</th>
            <th>Duration</th>
            <th>Notice / horizon</th>
            <th>Buffer</th>
            <th>Quota / week</th>
            <th>Approval</th>
            <th>Terms</th>
            {edits ? <th /> : null}
          </tr>
        </thead>
        <tbody>
          {(policies.data?.policies ?? []).map((p) => (
            <PolicyRow key={p.id} ctx={props.ctx} policy={p} edits={edits} onChanged={policies.reload} />
          ))}
        </tbody>
      </table>
      <h2>Changeovers</h2>
      <Problem problem={rules.problem} />
      <ul class="setup-rules">
        {(rules.data?.setupRules ?? []).map((r) => (
          <li key={r.id} data-rule={r.id}>
            {r.toolId ?? r.toolTypeId}: {r.dimension} {r.fromGroup} → {r.toGroup}, {formatDuration(r.minutes)}
            {edits ? (
              <button type="button" class="btn subtle small" onClick={() => void api.delete(`/api/setup-rules/${encodeURIComponent(r.id)}`).then(rules.reload)}>
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {edits ? <NewSetupRule ctx={props.ctx} onApplied={rules.reload} /> : null}
    </section>
  );
}

function PolicyRow(props: { ctx: AppContext; policy: PolicyView; edits: boolean; onChanged(): void }) {
  const p = props.policy;
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const change = Object.fromEntries(
    Object.entries(values)
      .filter(([, v]) => v.trim() !== '')
      .map(([k, v]) => [k, k === 'weeklyQuotaMin' && v.trim() === 'none' ? null : Number(v)]),
  );
  return (
    <>
      <tr data-policy={p.id}>
        <td>{p.toolId ? `${p.toolId} (tool)` : p.toolTypeId}</td>
        <td>
          {formatDuration(p.minDurationMin)}–{formatDuration(p.maxDurationMin)}
        </td>
        <td>
          {formatDuration(p.minNoticeMin)} / {formatDuration(p.maxAdvanceMin)}
        </td>
        <td>{formatDuration(p.bufferAfterMin)}</td>
        <td>{p.weeklyQuotaMin === null ? '—' : formatDuration(p.weeklyQuotaMin)}</td>
        <td>{p.approvalRequired ? `needed, held ${formatDuration(p.approvalTimeoutMin)}` : 'no'}</td>
        <td class="small">
          late cancel {p.lateCancelChargePercent}% within {formatDuration(p.lateCancelMin)}; no-show {p.noShowChargePercent}% after {formatDuration(p.checkInGraceMin)}
        </td>
        {props.edits ? (
          <td>
            <button type="button" class={`btn small${open ? ' active' : ''}`} onClick={() => setOpen(!open)}>
              Change…
            </button>
          </td>
        ) : null}
      </tr>
      {open ? (
        <tr class="policy-edit" data-policy-edit={p.id}>
          <td colSpan={8}>
            <div class="row policy-terms">
              {terms.map(([key, label]) => (
                <label key={key} class="field" data-field={key}>
                  <span class="label">{label}</span>
                  <input name={key} placeholder={String(p[key] ?? 'none')} value={values[key] ?? ''} onInput={(e) => setValues({ ...values, [key]: valueOf(e) })} />
                </label>
              ))}
            </div>
            <CheckAndApply
              disabled={Object.keys(change).length === 0}
              send={(dryRun) => props.ctx.api.patch(`/api/policies/${encodeURIComponent(p.id)}${dryRun ? '?dryRun=true' : ''}`, change)}
              onApplied={() => {
                toast(`Policy ${p.id} changed for new requests`);
                props.onChanged();
              }}
            />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function NewSetupRule(props: { ctx: AppContext; onApplied(): void }) {
  const types = [...new Map(props.ctx.tools.map((t) => [t.type.id, t.type.name]))];
  const [form, setForm] = useState({ toolTypeId: types[0]?.[0] ?? '', dimension: 'material', fromGroup: 'any', toGroup: 'any', minutes: '30' });
  const set = (key: keyof typeof form) => (event: Event) => setForm({ ...form, [key]: valueOf(event) });
  const action = useAction();
  const body = { ...form, minutes: Number(form.minutes) };
  return (
    <div class="card facility-form new-setup-rule">
      <h4>Add a changeover</h4>
      <div class="row">
        <Field name="toolTypeId" label="On" problem={action.problem}>
          <select name="toolTypeId" value={form.toolTypeId} onChange={set('toolTypeId')}>
            {types.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </Field>
        <Field name="dimension" label="When the" problem={action.problem}>
          <select name="dimension" value={form.dimension} onChange={set('dimension')}>
            <option value="material">material</option>
            <option value="contamination">contamination</option>
          </select>
        </Field>
        <Field name="fromGroup" label="changes from" problem={action.problem}>
          <input name="fromGroup" value={form.fromGroup} onInput={set('fromGroup')} />
        </Field>
        <Field name="toGroup" label="to" problem={action.problem}>
          <input name="toGroup" value={form.toGroup} onInput={set('toGroup')} />
        </Field>
        <Field name="minutes" label="minutes" problem={action.problem}>
          <input name="minutes" type="number" min="0" value={form.minutes} onInput={set('minutes')} />
        </Field>
      </div>
      <CheckAndApply send={(dryRun) => props.ctx.api.post(`/api/setup-rules${dryRun ? '?dryRun=true' : ''}`, body)} onApplied={props.onApplied} label="Add" />
    </div>
  );
}
