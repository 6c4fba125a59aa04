// Utilisation of the line over a period: the headline figures, charts by tool type, tenant class and
// over time, the tables behind them, and the CSV. The page a lab manager shows the funding body.
import { useMemo, useState } from 'preact/hooks';
import type { UtilisationReport } from '../../../domain/utilisation.js';
import type { ViewProps } from '../app/view-props.js';
import { Problem, valueOf } from '../components/form.js';
import { useLoad } from '../components/use-load.js';
import { ChartCanvas } from './chart.js';
import { ReportTabs } from './report-tabs.js';
import { classNames, hoursText, percent, waitText } from './figures.js';
import { byClassChart, byToolTypeChart, overTimeChart } from './utilisation-charts.js';
import { TenantTable, ToolTable, ToolTypeTable } from './utilisation-tables.js';
import { periodName, periodPresets, type DayPeriod } from './periods.js';

function Headline(props: { report: UtilisationReport }) {
  const t = props.report.total;
  const figures: Array<[string, string, string]> = [
    ['utilisation', 'Utilisation', percent(t.utilisation)],
    ['used', 'Used', hoursText(t.usedHours)],
    ['available', 'Available', hoursText(t.availableHours)],
    ['booked', 'Booked', `${hoursText(t.bookedHours)} (${percent(t.bookedShare)})`],
    ['no-show', 'No-shows (of booked)', percent(t.noShowShare)],
    ['maintenance', 'Maintenance & outages', percent(t.maintenanceShare)],
    ['wait', 'Wait, request to slot', `${waitText(t.waitMedianHours)} median · ${waitText(t.waitP90Hours)} p90`],
  ];
  return (
    <dl class="headline-figures">
      {figures.map(([key, label, value]) => (
        <div key={key} class="figure" data-figure={key}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function UtilisationView(props: ViewProps) {
  const { api, seesAllTenants } = props.ctx;
  const presets = useMemo(() => periodPresets(Date.now()), []);
  const asked = props.params.get('from') && props.params.get('to') ? { from: props.params.get('from')!, to: props.params.get('to')! } : presets[0]!.period;
  const [period, setPeriod] = useState<DayPeriod>(asked);
  const [draft, setDraft] = useState<DayPeriod>(asked);
  const query = new URLSearchParams({ from: period.from, to: period.to }).toString();
  const loaded = useLoad((signal) => api.get<UtilisationReport>(`/api/utilisation?${query}`, { signal }), [query]);
  const report = loaded.data;
  const charts = useMemo(
    () => (report ? { types: byToolTypeChart(report), classes: byClassChart(report), time: overTimeChart(report) } : undefined),
    [report],
  );
  const choose = (next: DayPeriod) => {
    setDraft(next);
    setPeriod(next);
  };
  const presetKey = presets.find((p) => p.period.from === period.from && p.period.to === period.to)?.key;

  return (
    <section class="utilisation">
      <ReportTabs current="utilisation" role={props.ctx.me.role} />
      <div class="report-head">
        <h2>Utilisation of the pilot line</h2>
        <p class="report-period">
          {periodName(period)} <span class="muted">({period.from} to {period.to}, Hong Kong time)</span>
        </p>
      </div>
      <div class="toolbar period-picker">
        <div class="btn-group" role="group" aria-label="Period">
          {presets.map((p) => (
            <button key={p.key} type="button" class={`btn small${presetKey === p.key ? ' active' : ''}`} aria-pressed={presetKey === p.key} onClick={() => choose(p.period)}>
              {p.label}
            </button>
          ))}
        </div>
        <form
          class="custom-period"
          onSubmit={(e) => {
            e.preventDefault();
            setPeriod(draft);
          }}
        >
          <label>
            From <input type="date" name="from" value={draft.from} onInput={(e) => setDraft({ ...draft, from: valueOf(e) })} />
          </label>
          <label>
            to <input type="date" name="to" value={draft.to} onInput={(e) => setDraft({ ...draft, to: valueOf(e) })} />
          </label>
          <button type="submit" class="btn small">
            Show
          </button>
        </form>
        <span class="spacer" />
        <a class="btn small" href={`/api/utilisation.csv?${query}`} download>
          Download CSV
        </a>
        <button type="button" class="btn small" onClick={() => window.print()}>
          Print
        </button>
      </div>
      <Problem problem={loaded.problem} />
      {loaded.loading && !report ? <p class="muted">Loading…</p> : null}
      {report && charts ? (
        <div class={`report-body${loaded.loading ? ' stale' : ''}`}>
          <Headline report={report} />
          <div class="chart-grid">
            <figure class="card chart-card">
              <figcaption>By tool type: share of available hours used and booked</figcaption>
              <ChartCanvas name="by-tool-type" label="Utilisation by tool type" config={charts.types} height={Math.max(220, report.toolTypes.length * 34)} />
            </figure>
            {seesAllTenants && report.tenantClasses.length ? (
              <figure class="card chart-card">
                <figcaption>Used hours by tenant class</figcaption>
                <ChartCanvas name="by-tenant-class" label="Used hours by tenant class" config={charts.classes} />
              </figure>
            ) : null}
            <figure class="card chart-card wide">
              <figcaption>Over the period, by {report.period.bucket}: available and used hours, utilisation</figcaption>
              <ChartCanvas name="over-time" label="Utilisation over the period" config={charts.time} />
            </figure>
          </div>
          <h3>By tool type</h3>
          <ToolTypeTable report={report} />
          <ToolTable report={report} />
          {report.tenantClasses.length ? (
            <>
              <h3>By tenant class</h3>
              <TenantTable what="classes" rows={report.tenantClasses.map((c) => ({ ...c, id: c.class, name: classNames[c.class] ?? c.class }))} />
            </>
          ) : null}
          <h3>{seesAllTenants ? 'By tenant' : 'Your tenant'}</h3>
          <TenantTable what="tenants" rows={report.tenants} />
          <p class="muted small report-notes">
            Available: calendar hours minus maintenance windows and outages. Used: check-in to check-out. Booked: held, confirmed, in use,
            completed and no-show bookings. A shared furnace run is split between its tenants by wafers. Wait: from the request to the start of
            the slot, for bookings starting in the period.
          </p>
        </div>
      ) : null}
    </section>
  );
}
