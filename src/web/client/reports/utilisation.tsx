// Utilisation of the line over a period: the headline figures, charts by tool type, tenant class and
// over time, the tables behind them, and the CSV. The page a lab manager shows the funding body.
import type { ChartConfiguration } from 'chart.js';
import { useMemo, useState } from 'preact/hooks';
import type { UtilisationReport } from '../../../domain/utilisation.js';
import type { ViewProps } from '../app/view-props.js';
import { Problem, valueOf } from '../components/form.js';
import { useLoad } from '../components/use-load.js';
import { areaName } from '../ui.js';
import { ChartCanvas, figureColours } from './chart.js';
import { periodName, periodPresets, type DayPeriod } from './periods.js';

const hoursText = (h: number) => `${Math.round(h).toLocaleString('en-HK')} h`;
const percent = (share: number | null) => (share === null ? '–' : `${(share * 100).toFixed(1)} %`);
const waitText = (h: number | null) => (h === null ? '–' : h >= 48 ? `${(h / 24).toFixed(1)} d` : `${h.toFixed(1)} h`);
const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const classNames: Record<string, string> = { institute: 'Institute', university: 'Universities', industry: 'Industry' };

function byToolTypeChart(report: UtilisationReport): ChartConfiguration {
  const types = report.toolTypes;
  return {
    type: 'bar',
    data: {
      labels: types.map((t) => t.name),
      datasets: [
        { label: 'Used', data: types.map((t) => (t.utilisation ?? 0) * 100), backgroundColor: figureColours.used },
        { label: 'Booked', data: types.map((t) => (t.bookedShare ?? 0) * 100), backgroundColor: figureColours.booked },
        { label: 'Maintenance & outages', data: types.map((t) => (t.maintenanceShare ?? 0) * 100), backgroundColor: figureColours.maintenance },
      ],
    },
    options: {
      indexAxis: 'y',
      scales: { x: { min: 0, max: 100, title: { display: true, text: '% of available hours (maintenance: % of calendar hours)' } } },
      plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${Number(item.raw).toFixed(1)} %` } } },
    },
  };
}

function byClassChart(report: UtilisationReport): ChartConfiguration {
  const classes = report.tenantClasses;
  return {
    type: 'doughnut',
    data: {
      labels: classes.map((c) => classNames[c.class] ?? c.class),
      datasets: [{ label: 'Used hours', data: classes.map((c) => c.usedHours), backgroundColor: classes.map((c) => figureColours[c.class]) }],
    },
    options: { plugins: { legend: { position: 'right' }, tooltip: { callbacks: { label: (item) => `${item.label}: ${hoursText(Number(item.raw))}` } } } },
  };
}

function overTimeChart(report: UtilisationReport): ChartConfiguration {
  const points = report.series;
  const label = (p: UtilisationReport['series'][number]) => {
    const [y, m, d] = p.from.split('-').map(Number) as [number, number, number];
    return report.period.bucket === 'month' ? `${monthNames[m - 1]} ${y}` : `${d} ${monthNames[m - 1]}`;
  };
  return {
    type: 'bar',
    data: {
      labels: points.map(label),
      datasets: [
        { type: 'bar', label: 'Available hours', data: points.map((p) => p.availableHours), backgroundColor: figureColours.available, yAxisID: 'hours', order: 3 },
        { type: 'bar', label: 'Used hours', data: points.map((p) => p.usedHours), backgroundColor: figureColours.used, yAxisID: 'hours', order: 2 },
        {
          type: 'line',
          label: 'Utilisation',
          data: points.map((p) => (p.utilisation ?? 0) * 100),
          borderColor: figureColours.booked,
          backgroundColor: figureColours.booked,
          yAxisID: 'share',
          order: 1,
        },
      ],
    },
    options: {
      scales: {
        hours: { type: 'linear', position: 'left', beginAtZero: true, title: { display: true, text: 'hours' } },
        share: { type: 'linear', position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: 'utilisation %' } },
      },
    },
  };
}

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

function ToolTypeTable(props: { report: UtilisationReport }) {
  return (
    <table class="table utilisation-types">
      <thead>
        <tr>
          <th>Tool type</th>
          <th>Area</th>
          <th class="num">Tools</th>
          <th class="num">Available</th>
          <th class="num">Booked</th>
          <th class="num">Used</th>
          <th class="num">Idle</th>
          <th class="num">Utilisation</th>
          <th class="num">No-shows</th>
          <th class="num">Maintenance</th>
          <th class="num">Wait (median / p90)</th>
        </tr>
      </thead>
      <tbody>
        {props.report.toolTypes.map((t) => (
          <tr key={t.id} data-tool-type={t.id}>
            <td>{t.name}</td>
            <td>{areaName(t.area)}</td>
            <td class="num">{t.tools}</td>
            <td class="num">{hoursText(t.availableHours)}</td>
            <td class="num">{hoursText(t.bookedHours)}</td>
            <td class="num">{hoursText(t.usedHours)}</td>
            <td class="num">{hoursText(t.idleHours)}</td>
            <td class="num">{percent(t.utilisation)}</td>
            <td class="num">{percent(t.noShowShare)}</td>
            <td class="num">{percent(t.maintenanceShare)}</td>
            <td class="num">
              {waitText(t.waitMedianHours)} / {waitText(t.waitP90Hours)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ToolTable(props: { report: UtilisationReport }) {
  return (
    <details class="tool-details">
      <summary>
        By tool ({props.report.tools.length})
      </summary>
      <table class="table utilisation-tools">
        <thead>
          <tr>
            <th>Tool</th>
            <th class="num">Available</th>
            <th class="num">Maintenance</th>
            <th class="num">Outages</th>
            <th class="num">Booked</th>
            <th class="num">Used</th>
            <th class="num">Idle</th>
            <th class="num">Utilisation</th>
            <th class="num">No-shows</th>
            <th class="num">Wait (median / p90)</th>
          </tr>
        </thead>
        <tbody>
          {props.report.tools.map((t) => (
            <tr key={t.id} data-tool={t.id}>
              <td>
                {t.id} <span class="muted small">{t.name === t.id ? '' : t.name}</span>
              </td>
              <td class="num">{hoursText(t.availableHours)}</td>
              <td class="num">{hoursText(t.maintenanceHours)}</td>
              <td class="num">{hoursText(t.outageHours)}</td>
              <td class="num">{hoursText(t.bookedHours)}</td>
              <td class="num">{hoursText(t.usedHours)}</td>
              <td class="num">{hoursText(t.idleHours)}</td>
              <td class="num">{percent(t.utilisation)}</td>
              <td class="num">{percent(t.noShowShare)}</td>
              <td class="num">
                {waitText(t.waitMedianHours)} / {waitText(t.waitP90Hours)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function TenantTable(props: { rows: ReadonlyArray<UtilisationReport['tenants'][number] | (UtilisationReport['tenantClasses'][number] & { id: string; name: string })>; what: string }) {
  return (
    <table class={`table utilisation-${props.what}`}>
      <thead>
        <tr>
          <th>{props.what === 'classes' ? 'Tenant class' : 'Tenant'}</th>
          <th class="num">Bookings</th>
          <th class="num">Booked</th>
          <th class="num">Used</th>
          <th class="num">Share of use</th>
          <th class="num">No-shows</th>
          <th class="num">Wait (median / p90)</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={r.id} data-row={r.id}>
            <td>{r.name}</td>
            <td class="num">{r.bookings}</td>
            <td class="num">{hoursText(r.bookedHours)}</td>
            <td class="num">{hoursText(r.usedHours)}</td>
            <td class="num">{percent(r.shareOfUsed)}</td>
            <td class="num">{percent(r.noShowShare)}</td>
            <td class="num">
              {waitText(r.waitMedianHours)} / {waitText(r.waitP90Hours)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
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
