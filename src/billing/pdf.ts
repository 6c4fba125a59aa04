import PDFDocument from 'pdfkit';
import { facilityUtcOffsetMinutes } from '../domain/time.js';
import type { StatementView } from '../domain/statement.js';
import { formatMinor } from './money.js';

// A statement as a printable A4 PDF: who, which month, every charge with its times in Hong Kong
// time, the adjustments with their reasons, the totals. The lines add up to the total printed.

const kindWords = { use: 'Used', no_show: 'No-show', late_cancel: 'Late cancellation' } as const;
const columns = [
  { title: 'Date (HKT)', width: 78 },
  { title: 'Tool', width: 70 },
  { title: 'Charge', width: 92 },
  { title: 'Minutes', width: 48, right: true },
  { title: 'Rate / h', width: 62, right: true },
  { title: 'Share', width: 56, right: true },
  { title: 'Amount', width: 80, right: true },
];

function hongKong(iso: string | null): string {
  if (!iso) return '';
  return new Date(Date.parse(iso) + facilityUtcOffsetMinutes * 60_000).toISOString().slice(0, 16).replace('T', ' ');
}

export function statementPdf(statement: StatementView): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: `Usage statement ${statement.month} ${statement.tenantName}` } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const money = (cents: number) => `${statement.currency} ${formatMinor(cents)}`;

  doc.font('Helvetica-Bold').fontSize(16).text(`Usage statement — ${statement.month}`);
  doc.font('Helvetica').fontSize(10).moveDown(0.5);
  doc.text(`Tenant: ${statement.tenantName} (${statement.tenantId})`);
  doc.text(`Project: ${statement.projectCode ?? 'no project'}`);
  doc.text(`State: ${statement.state}${statement.issuedAt ? `, issued ${hongKong(statement.issuedAt)} HKT by ${statement.issuedById ?? ''}` : ' (draft: may still change)'}`);
  doc.text(`Statement: ${statement.id}`);
  doc.moveDown();

  const left = doc.page.margins.left;
  const row = (cells: string[], bold = false) => {
    if (doc.y > doc.page.height - doc.page.margins.bottom - 20) doc.addPage();
    const y = doc.y;
    let x = left;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
    cells.forEach((cell, i) => {
      const col = columns[i]!;
      doc.text(cell, x, y, { width: col.width - 4, align: col.right ? 'right' : 'left', lineBreak: false });
      x += col.width;
    });
    doc.x = left;
    doc.y = y + 12;
  };
  row(columns.map((c) => c.title), true);
  for (const l of statement.lines) {
    const share = [l.chargePercent !== null ? `${l.chargePercent} %` : '', l.runWafers ? `${l.loadWafers}/${l.runWafers}` : ''].filter(Boolean).join(' ');
    row([hongKong(l.kind === 'use' ? l.checkedInAt ?? l.bookedFrom : l.bookedFrom), l.toolId, kindWords[l.kind], String(l.minutes), formatMinor(l.rateCents), share, formatMinor(l.amountCents)]);
  }
  doc.moveDown();
  if (statement.adjustments.length) {
    doc.font('Helvetica-Bold').fontSize(10).text('Adjustments', left);
    doc.font('Helvetica').fontSize(9);
    for (const a of statement.adjustments) {
      doc.text(`${hongKong(a.createdAt)}  ${money(a.amountCents)}  ${a.reason}${a.correctsStatementId ? ` (corrects statement ${a.correctsStatementId})` : ''}`, left);
    }
    doc.moveDown();
  }
  doc.font('Helvetica-Bold').fontSize(10);
  doc.text(`Usage (${statement.lineCount} lines): ${money(statement.usageCents)}`, left);
  doc.text(`Adjustments: ${money(statement.adjustmentsCents)}`, left);
  doc.text(`Total: ${money(statement.totalCents)}`, left);
  doc.font('Helvetica').fontSize(8).moveDown();
  doc.text('Each line is rounded to the nearest minor unit (halves up); the usage total is the sum of the rounded lines.', left);
  doc.end();
  return done;
}
