// The charts of the utilisation page as Chart.js configurations, from the report's figures.
import type { ChartConfiguration } from 'chart.js';
import type { UtilisationReport } from '../../../domain/utilisation.js';
import { figureColours } from './chart.js';
import { classNames, hoursText, monthNames } from './figures.js';

export function byToolTypeChart(report: UtilisationReport): ChartConfiguration {
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

export function byClassChart(report: UtilisationReport): ChartConfiguration {
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

export function overTimeChart(report: UtilisationReport): ChartConfiguration {
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

