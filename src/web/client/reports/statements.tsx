// Usage statements by month: every tenant's for lab managers (who draft a month's statements), a
// tenant's own for its people. A statement opens on its own page (statement.tsx).
import { useState } from 'preact/hooks';
import type { StatementSummary } from '../../../domain/statement.js';
import { hasRole, managerRoles } from '../../../domain/roles.js';
import type { TenantView } from '../api.js';
import type { ViewProps } from '../app/view-props.js';
import { Problem, useAction, valueOf } from '../components/form.js';
import { useLoad } from '../components/use-load.js';
import { toast } from '../ui.js';
import { isoDay } from '../time.js';
import { money, StatementState } from './money.js';
import { ReportTabs } from './report-tabs.js';

/** The Hong Kong month before the one holding `now`, `YYYY-MM`. */
function lastMonth(now: number): string {
  const [y, m] = isoDay(now).split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
}

export function StatementsView(props: ViewProps) {
  const { api, me, seesAllTenants } = props.ctx;
  const manages = hasRole(me.role, managerRoles);
  const [month, setMonth] = useState(props.params.get('month') ?? lastMonth(Date.now()));
  const [tenantId, setTenantId] = useState('');
  const [state, setState] = useState('');
  const query = new URLSearchParams({ from: month, to: month, ...(tenantId ? { tenantId } : {}), ...(state ? { state } : {}) }).toString();
  const list = useLoad((signal) => api.get<{ statements: StatementSummary[] }>(`/api/statements?${query}`, { signal }), [query]);
  const tenants = useLoad(
    (signal) => (seesAllTenants ? api.get<{ tenants: TenantView[] }>('/api/tenants', { signal }) : Promise.resolve({ tenants: [] as TenantView[] })),
    [seesAllTenants],
  );
  const draft = useAction();
  const statements = list.data?.statements ?? [];
  const totals = new Map<string, number>();
  for (const s of statements) totals.set(s.currency, (totals.get(s.currency) ?? 0) + s.totalCents);

  return (
    <section class="statements">
      <ReportTabs current="statements" role={me.role} />
      <h2>Usage statements</h2>
      <div class="toolbar">
        <label>
          Month <input type="month" name="month" value={month} onInput={(e) => valueOf(e) && setMonth(valueOf(e))} />
        </label>
        {seesAllTenants ? (
          <select aria-label="Tenant" name="tenantId" value={tenantId} onChange={(e) => setTenantId(valueOf(e))}>
            <option value="">every tenant</option>
            {(tenants.data?.tenants ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        ) : null}
        <select aria-label="State" name="state" value={state} onChange={(e) => setState(valueOf(e))}>
          <option value="">drafts and issued</option>
          <option value="draft">drafts</option>
          <option value="issued">issued</option>
        </select>
        {manages ? (
          <button
            type="button"
            class="btn small primary"
            disabled={draft.working}
            onClick={() =>
              void draft.run(async () => {
                const report = await api.post<{ statements: StatementSummary[] }>('/api/statements/drafts', { from: month, ...(tenantId ? { tenantId } : {}) });
                toast(`${report.statements.length} draft statement${report.statements.length === 1 ? '' : 's'} for ${month}`);
                list.reload();
              })
            }
          >
            Draft statements for {month}
          </button>
        ) : null}
      </div>
      <Problem problem={draft.problem} />
      <Problem problem={list.problem} />
      {list.data && !statements.length ? (
        <p class="muted">No statements for {month}{manages ? ': draft them from the usage of the month.' : '.'}</p>
      ) : null}
      {statements.length ? (
        <table class="table statements-list">
          <thead>
            <tr>
              <th>Month</th>
              <th>Tenant</th>
              <th>Project</th>
              <th>State</th>
              <th class="num">Lines</th>
              <th class="num">Usage</th>
              <th class="num">Adjustments</th>
              <th class="num">Total</th>
            </tr>
          </thead>
          <tbody>
            {statements.map((s) => (
              <tr key={s.id} data-statement={s.id} data-tenant={s.tenantId}>
                <td>
                  <a href={`#/statement?id=${encodeURIComponent(s.id)}`}>{s.month}</a>
                </td>
                <td>{s.tenantName}</td>
                <td>{s.projectCode ?? <span class="muted">no project</span>}</td>
                <td>
                  <StatementState state={s.state} />
                </td>
                <td class="num">{s.lineCount}</td>
                <td class="num">{money(s.usageCents, s.currency)}</td>
                <td class="num">{money(s.adjustmentsCents, s.currency)}</td>
                <td class="num">
                  <strong>{money(s.totalCents, s.currency)}</strong>
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            {[...totals].map(([currency, cents]) => (
              <tr key={currency} class="statements-total">
                <td colSpan={7}>Total of the statements listed ({currency})</td>
                <td class="num">
                  <strong>{money(cents, currency)}</strong>
                </td>
              </tr>
            ))}
          </tfoot>
        </table>
      ) : null}
    </section>
  );
}
