// The tables behind the utilisation charts: by tool type, by tool, by tenant class and tenant.
import type { UtilisationReport } from '../../../domain/utilisation.js';
import { areaName } from '../ui.js';
import { hoursText, percent, waitText } from './figures.js';

export function ToolTypeTable(props: { report: UtilisationReport }) {
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

export function ToolTable(props: { report: UtilisationReport }) {
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

export function TenantTable(props: { rows: ReadonlyArray<UtilisationReport['tenants'][number] | (UtilisationReport['tenantClasses'][number] & { id: string; name: string })>; what: string }) {
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

