import { stringify } from 'csv-stringify/sync';
import type { UtilisationReport } from '../domain/utilisation.js';

// The utilisation report as one CSV table: a row per group (the whole line, each tool type, tool,
// tenant class and tenant), the same figures in the same columns; blank where a figure does not
// apply (a tenant has no calendar of its own).

const columns = [
  'level',
  'id',
  'name',
  'of',
  'calendarHours',
  'maintenanceHours',
  'outageHours',
  'availableHours',
  'bookedHours',
  'usedHours',
  'idleHours',
  'noShowHours',
  'utilisation',
  'noShowShare',
  'maintenanceShare',
  'shareOfUsed',
  'bookings',
  'waitMedianHours',
  'waitP90Hours',
] as const;

type Row = Partial<Record<(typeof columns)[number], string | number | null>>;

export function utilisationCsv(report: UtilisationReport): string {
  const rows: Row[] = [
    { level: 'total', id: 'all', name: `All tools, ${report.period.from} to ${report.period.to}`, ...report.total },
    ...report.toolTypes.map((t) => ({ level: 'toolType', of: t.area, ...t })),
    ...report.tools.map((t) => ({ level: 'tool', of: t.toolTypeId, ...t })),
    ...report.tenantClasses.map((c) => ({ level: 'tenantClass', id: c.class, name: c.class, ...c })),
    ...report.tenants.map((n) => ({ level: 'tenant', of: n.class, ...n })),
  ];
  return stringify(
    rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? '']))),
    { header: true, columns: [...columns] },
  );
}
