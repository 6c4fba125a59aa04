// My bookings (and, for staff, every tenant's): newest first in pages (the API's cursor), filtered
// by tool, state, tenant and period, searched; each row offers what its state and time allow.
import { useState } from 'preact/hooks';
import type { BookingList } from '../../../domain/booking-detail.js';
import type { LotView, TenantView } from '../api.js';
import type { ViewProps } from '../app/view-props.js';
import { DomNode } from '../components/dom-node.js';
import { Problem, valueOf } from '../components/form.js';
import { useLoad } from '../components/use-load.js';
import { useNow } from '../components/use-now.js';
import { lotCard } from '../lot-card.js';
import { stateLabels } from '../ui.js';
import { BookingRow } from './booking-row.js';
import { filtersHash, listQuery, readFilters, showsLots, stateGroups, type ListFilters, type StateGroup } from './list-filters.js';

const pageSize = 25;

export function BookingsView(props: ViewProps) {
  const { ctx, params } = props;
  const f = readFilters(params, ctx.seesAllTenants);
  const focus = params.get('focus');
  const now = useNow();
  const link = (changes: Partial<ListFilters>) => filtersHash({ ...f, cursor: '', ...changes });
  const list = useLoad((signal) => ctx.api.get<BookingList>(`/api/bookings?${listQuery(f, pageSize)}`, { signal }), [params.toString()]);
  const lots = useLoad(async (signal) => {
    if (!showsLots(f)) return [];
    const q = new URLSearchParams({ state: stateGroups[f.show].lots.join(','), limit: '50' });
    if (!f.all) q.set('mine', 'true');
    if (f.tenant && f.all) q.set('tenant', f.tenant);
    return (await ctx.api.get<{ lots: LotView[] }>(`/api/lots?${q}`, { signal })).lots;
  }, [params.toString()]);
  const tenants = useLoad(
    async (signal) => (ctx.seesAllTenants ? (await ctx.api.get<{ tenants: TenantView[] }>('/api/tenants', { signal })).tenants : []),
    [],
  );
  const bookings = list.data?.bookings ?? [];
  const routes = lots.data ?? [];

  return (
    <section class="bookings">
      <div class="toolbar">
        <h2>{f.all ? 'Bookings (all tenants)' : 'My bookings'}</h2>
        <div class="btn-group">
          {(Object.keys(stateGroups) as StateGroup[]).map((g) => (
            <a key={g} class={`btn${g === f.show ? ' active' : ''}`} href={link({ show: g, state: '' })}>
              {stateGroups[g].label}
            </a>
          ))}
        </div>
        {ctx.seesAllTenants ? (
          <div class="btn-group" role="group" aria-label="Whose bookings">
            <a class={`btn${f.all ? '' : ' active'}`} href={link({ all: false, tenant: '' })}>
              Mine
            </a>
            <a class={`btn${f.all ? ' active' : ''}`} href={link({ all: true })}>
              All tenants
            </a>
          </div>
        ) : null}
        <span class="spacer" />
        <a class="btn primary" href="#/request">
          New request
        </a>
      </div>
      <Filters ctx={ctx} f={f} tenants={tenants.data ?? []} />
      <p class="status-line" aria-live="polite">
        {list.loading ? 'Loading…' : bookings.length || routes.length ? pageSummary(f, bookings.length, routes.length) : 'No bookings here.'}
      </p>
      <Problem problem={list.problem ?? lots.problem} />
      {routes.length ? (
        <div class="lot-cards">
          {routes.map((l) => (
            <DomNode key={l.id} make={() => lotCard(ctx, l, f.all)} />
          ))}
        </div>
      ) : null}
      {f.show === 'active' && !ctx.seesAllTenants && bookings.some((b) => b.movedByMaintenance) ? (
        <p class="hint decline-hint">
          Decline move: if maintenance moved one of your bookings, you may decline the move; the booking is then cancelled without penalty.
        </p>
      ) : null}
      {bookings.length ? (
        <div class="table-scroll">
          <table class="table booking-list">
            <thead>
              <tr>
                {['When', 'Tool', 'State', 'Wafers', f.all ? 'Tenant · user' : 'User', 'Purpose', 'Actions'].map((c) => (
                  <th key={c} scope="col">
                    {c === 'Actions' ? <span class="visually-hidden">{c}</span> : c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {bookings.map((b) => (
                <BookingRow key={b.id} ctx={ctx} entry={b} all={f.all} now={now} focus={b.id === focus} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <nav class="pager" aria-label="Pages">
        {f.cursor ? (
          <a class="btn" href={link({})}>
            ← {f.order === 'newest' ? 'Newest' : 'Soonest'}
          </a>
        ) : null}
        {list.data?.nextCursor ? (
          <a class="btn next-page" href={filtersHash({ ...f, cursor: list.data.nextCursor })}>
            {f.order === 'newest' ? 'Older' : 'Later'} →
          </a>
        ) : null}
      </nav>
    </section>
  );
}

function pageSummary(f: ListFilters, bookings: number, routes: number): string {
  const parts = [
    bookings ? `${bookings} booking${bookings === 1 ? '' : 's'}${f.cursor ? ' on this page' : ''}` : '',
    routes ? `${routes} lot route${routes === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return `${parts.join(', ')}, ${f.order === 'newest' ? 'latest start first' : 'earliest start first'} · times in Hong Kong (UTC+8)`;
}

/** Tool, state, tenant, period and search: each change goes to the first page of the new list. */
function Filters(props: { ctx: ViewProps['ctx']; f: ListFilters; tenants: TenantView[] }) {
  const { ctx, f } = props;
  const [q, setQ] = useState(f.q);
  const go = (changes: Partial<ListFilters>) => ctx.go(filtersHash({ ...f, cursor: '', ...changes }));
  return (
    <form
      class="list-filters"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        go({ q });
      }}
    >
      <label class="field">
        <span class="label">Search</span>
        <input name="q" type="search" maxLength={100} value={q} placeholder="purpose, tool, id…" onInput={(e) => setQ(valueOf(e))} />
      </label>
      <label class="field">
        <span class="label">Tool</span>
        <select name="tool" value={f.tool} onChange={(e) => go({ tool: valueOf(e) })}>
          <option value="">Any tool</option>
          {ctx.tools.map((t) => (
            <option key={t.id} value={t.id}>
              {t.id} — {t.name}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span class="label">State</span>
        <select name="state" value={f.state} onChange={(e) => go({ state: valueOf(e) })}>
          <option value="">Any of these</option>
          {stateGroups[f.show].states.map((s) => (
            <option key={s} value={s}>
              {stateLabels[s] ?? s}
            </option>
          ))}
        </select>
      </label>
      {f.all ? (
        <label class="field">
          <span class="label">Tenant</span>
          <select name="tenant" value={f.tenant} onChange={(e) => go({ tenant: valueOf(e) })}>
            <option value="">Every tenant</option>
            {props.tenants.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label class="field">
        <span class="label">From (HKT day)</span>
        <input name="from" type="date" value={f.from} onChange={(e) => go({ from: valueOf(e) })} />
      </label>
      <label class="field">
        <span class="label">To</span>
        <input name="to" type="date" value={f.to} onChange={(e) => go({ to: valueOf(e) })} />
      </label>
      <label class="field">
        <span class="label">Order</span>
        <select name="order" value={f.order} onChange={(e) => go({ order: valueOf(e) === 'soonest' ? 'soonest' : 'newest' })}>
          <option value="newest">Newest first</option>
          <option value="soonest">Soonest first</option>
        </select>
      </label>
      <div class="actions">
        <button type="submit" class="btn">
          Search
        </button>
      </div>
    </form>
  );
}
