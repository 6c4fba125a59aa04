// Hourly rates per tool type and tenant class; admin sets one for bookings requested from now on.
import { useState } from 'preact/hooks';
import type { RateView } from '../api.js';
import type { ViewProps } from '../app/view-props.js';
import { Field, Problem, useAction, valueOf } from '../components/form.js';
import { useLoad } from '../components/use-load.js';
import { formatDate } from '../time.js';
import { toast } from '../ui.js';

const money = (cents: number, currency: string) => `${currency} ${(cents / 100).toLocaleString('en-HK', { minimumFractionDigits: 2 })}`;

export function RatesView(props: ViewProps) {
  const { api, me, tools } = props.ctx;
  const [history, setHistory] = useState(false);
  const rates = useLoad((signal) => api.get<{ rates: RateView[] }>(`/api/rates${history ? '?history=true' : ''}`, { signal }), [history]);
  const types = [...new Map(tools.map((t) => [t.type.id, t.type.name]))];
  const [form, setForm] = useState({ toolTypeId: types[0]?.[0] ?? '', tenantClass: 'university', rate: '' });
  const set = (key: keyof typeof form) => (event: Event) => setForm({ ...form, [key]: valueOf(event) });
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await api.post('/api/rates', { toolTypeId: form.toolTypeId, tenantClass: form.tenantClass, hourlyRateCents: Math.round(Number(form.rate) * 100) });
      toast('Rate set for new requests');
      rates.reload();
    });
  };
  return (
    <section class="rates">
      <h2>Rates</h2>
      <label>
        <input type="checkbox" checked={history} onChange={(e) => setHistory((e.currentTarget as HTMLInputElement).checked)} /> with earlier rates
      </label>
      <Problem problem={rates.problem} />
      <table class="table rates-list">
        <thead>
          <tr>
            <th>Tool type</th>
            <th>Tenant class</th>
            <th>Per hour</th>
            <th>For requests from</th>
          </tr>
        </thead>
        <tbody>
          {(rates.data?.rates ?? []).map((r) => (
            <tr key={r.id} class={r.current ? '' : 'muted'}>
              <td>{types.find(([id]) => id === r.toolTypeId)?.[1] ?? r.toolTypeId}</td>
              <td>{r.tenantClass}</td>
              <td>{money(r.hourlyRateCents, r.currency)}</td>
              <td>{r.validFrom.startsWith('2000-') ? 'always' : formatDate(Date.parse(r.validFrom))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {me.role === 'admin' ? (
        <form class="card facility-form new-rate" onSubmit={submit} novalidate>
          <h4>Set a rate (for bookings requested from now on)</h4>
          <div class="row">
            <Field name="toolTypeId" label="Tool type" problem={action.problem}>
              <select name="toolTypeId" value={form.toolTypeId} onChange={set('toolTypeId')}>
                {types.map(([id, name]) => (
                  <option key={id} value={id}>
                    {name}
                  </option>
                ))}
              </select>
            </Field>
            <Field name="tenantClass" label="Tenant class" problem={action.problem}>
              <select name="tenantClass" value={form.tenantClass} onChange={set('tenantClass')}>
                <option value="institute">institute</option>
                <option value="university">university</option>
                <option value="industry">industry</option>
              </select>
            </Field>
            <Field name="hourlyRateCents" label="Per hour (HKD)" problem={action.problem}>
              <input name="rate" type="number" step="0.01" value={form.rate} onInput={set('rate')} />
            </Field>
          </div>
          <div class="actions">
            <button type="submit" class="btn primary" disabled={action.working}>
              Set rate
            </button>
          </div>
          <Problem problem={action.problem} />
        </form>
      ) : null}
    </section>
  );
}
