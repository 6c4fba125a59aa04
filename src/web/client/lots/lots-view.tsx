// Lots: start one from a route template, and the lot routes the viewer may see (their tenant's, or
// every tenant's for staff), newest first, by name with their state and span.
import type { LotView } from '../api.js';
import type { ViewProps } from '../app/view-props.js';
import { ProblemBox } from '../components/problem-box.js';
import { StateBadge } from '../components/state-badge.js';
import { useLoad } from '../components/use-load.js';
import { lotSpanText } from './lot-span.js';
import { StartLot } from './start-lot.js';

interface LotList {
  lots: LotView[];
  tenants: Record<string, string>;
  users: Record<string, string>;
}

export function LotsView({ ctx, params }: ViewProps) {
  const list = useLoad<LotList>((signal) => ctx.api.get('/api/lots', { signal }), []);
  const data = list.data;
  return (
    <section class="lots-page">
      <div class="toolbar">
        <h2>Lots</h2>
      </div>
      <StartLot ctx={ctx} templateId={params.get('template')} />
      <h3>Lot routes</h3>
      {list.problem ? <ProblemBox problem={list.problem} ctx={ctx} /> : null}
      {!data ? (
        list.problem ? null : <p class="muted">Loading…</p>
      ) : data.lots.length ? (
        <table class="table lot-list">
          <thead>
            <tr>
              <th>Lot</th>
              <th>State</th>
              {ctx.seesAllTenants ? <th>Tenant</th> : null}
              <th>Submitted by</th>
              <th>Route</th>
            </tr>
          </thead>
          <tbody>
            {data.lots.map((lot) => (
              <tr key={lot.id} data-lot={lot.id} data-state={lot.state}>
                <td>
                  <a href={`#/lot?id=${lot.id}`}>{lot.name}</a>
                </td>
                <td>
                  <StateBadge state={lot.state} />
                </td>
                {ctx.seesAllTenants ? <td>{data.tenants[lot.tenantId] ?? lot.tenantId}</td> : null}
                <td>{data.users[lot.userId] ?? lot.userId}</td>
                <td>{lotSpanText(lot)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">No lot routes yet.</p>
      )}
    </section>
  );
}
