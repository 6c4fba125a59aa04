import { stringify } from 'csv-stringify/sync';
import type { StatementView } from '../domain/statement.js';
import { formatMinor } from './money.js';

// A statement as CSV for a spreadsheet or a finance system: one row per line and per adjustment,
// then the totals; amounts in minor units (exact) and as decimals of the currency.

const columns = [
  'statement', 'tenant', 'project', 'month', 'currency', 'state', 'kind', 'booking', 'tool', 'charged_at',
  'booked_from', 'booked_to', 'checked_in_at', 'checked_out_at', 'minutes', 'hourly_rate_cents',
  'charge_percent', 'load_wafers', 'run_wafers', 'amount_cents', 'amount', 'reason', 'corrects_statement',
];

export function statementCsv(statement: StatementView): string {
  const head = [statement.id, statement.tenantId, statement.projectCode ?? '', statement.month, statement.currency, statement.state];
  const rows: unknown[][] = [
    ...statement.lines.map((l) => [
      ...head, l.kind, l.bookingId, l.toolId, l.chargedAt, l.bookedFrom, l.bookedTo, l.checkedInAt, l.checkedOutAt,
      l.minutes, l.rateCents, l.chargePercent, l.loadWafers, l.runWafers, l.amountCents, formatMinor(l.amountCents), '', '',
    ]),
    ...statement.adjustments.map((a) => [
      ...head, 'adjustment', '', '', a.createdAt, '', '', '', '', '', '', '', '', '', a.amountCents, formatMinor(a.amountCents), a.reason, a.correctsStatementId,
    ]),
    ...(
      [
        ['usage_total', statement.usageCents],
        ['adjustments_total', statement.adjustmentsCents],
        ['total', statement.totalCents],
      ] as const
    ).map(([kind, cents]) => [...head, kind, '', '', '', '', '', '', '', '', '', '', '', '', cents, formatMinor(cents), '', '']),
  ];
  // A reason typed as "=..." must not run as a spreadsheet formula.
  return stringify(rows, { header: true, columns, escape_formulas: true });
}
