// One usage statement: its lines (what was used, no-shows, late cancellations), adjustments with
// their reasons, the totals, CSV and PDF. Lab managers adjust and issue a draft; an issued one is
// corrected in a later month.
import { useState } from 'preact/hooks';
import type { AdjustmentView, StatementView } from '../../../domain/statement.js';
import { hasRole, managerRoles } from '../../../domain/roles.js';
import type { ViewProps } from '../app/view-props.js';
import { Field, Problem, useAction, valueOf } from '../components/form.js';
import { useLoad } from '../components/use-load.js';
import type { ApiClient } from '../api.js';
import { formatDateTime, formatDuration } from '../time.js';
import { toast } from '../ui.js';
import { centsOf, money, StatementState } from './money.js';

const kindWords = { use: 'Used', no_show: 'No-show', late_cancel: 'Late cancellation' } as const;
const at = (iso: string | null) => (iso ? formatDateTime(Date.parse(iso)) : '–');

/** A credit or charge with its reason: on the draft itself, or (issued) as a correction in a later month. */
function AdjustmentForm(props: { api: ApiClient; statement: StatementView; onDone: (adjustment: AdjustmentView) => void }) {
  const { statement } = props;
  const correcting = statement.state === 'issued';
  const [form, setForm] = useState({ sign: 'credit', amount: '', reason: '' });
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const cents = centsOf(form.amount);
      // A malformed amount goes to the API as 0, which names the field.
      const amountCents = cents === undefined ? 0 : form.sign === 'credit' ? -cents : cents;
      const body = { amountCents, reason: form.reason };
      const adjustment = correcting
        ? (await props.api.post<{ adjustment: AdjustmentView }>(`/api/statements/${statement.id}/corrections`, body)).adjustment
        : await props.api.post<AdjustmentView>(`/api/statements/${statement.id}/adjustments`, body);
      setForm({ sign: 'credit', amount: '', reason: '' });
      toast(correcting ? 'Correction added to a later month’s statement' : 'Adjustment added');
      props.onDone(adjustment);
    });
  };
  return (
    <form class="card facility-form new-adjustment" onSubmit={submit} novalidate>
      <h4>{correcting ? 'Correct this issued statement (lands on the next month’s statement)' : 'Add an adjustment'}</h4>
      <div class="row">
        <Field name="sign" label="Kind" problem={action.problem}>
          <select name="sign" value={form.sign} onChange={(e) => setForm({ ...form, sign: valueOf(e) })}>
            <option value="credit">credit (−)</option>
            <option value="charge">charge (+)</option>
          </select>
        </Field>
        <Field name="amountCents" label={`Amount (${statement.currency})`} problem={action.problem}>
          <input name="amount" inputMode="decimal" value={form.amount} onInput={(e) => setForm({ ...form, amount: valueOf(e) })} />
        </Field>
        <Field name="reason" label="Reason" problem={action.problem}>
          <input name="reason" value={form.reason} onInput={(e) => setForm({ ...form, reason: valueOf(e) })} />
        </Field>
      </div>
      <div class="actions">
        <button type="submit" class="btn" disabled={action.working}>
          {correcting ? 'Add correction' : 'Add adjustment'}
        </button>
      </div>
      <Problem problem={action.problem} />
    </form>
  );
}

export function StatementPage(props: ViewProps) {
  const { api, me } = props.ctx;
  const id = props.params.get('id') ?? '';
  const loaded = useLoad((signal) => api.get<StatementView>(`/api/statements/${encodeURIComponent(id)}`, { signal }), [id]);
  const issue = useAction();
  const [confirming, setConfirming] = useState(false);
  const manages = hasRole(me.role, managerRoles);
  const s = loaded.data;
  const base = `/api/statements/${encodeURIComponent(id)}`;
  return (
    <section class="statement" data-statement={id}>
      <p>
        <a href={`#/statements${s ? `?month=${s.month}` : ''}`}>← Statements</a>
      </p>
      <Problem problem={loaded.problem} />
      {s ? (
        <>
          <header class="statement-head">
            <h2>
              Usage statement {s.month} — {s.tenantName} <StatementState state={s.state} />
            </h2>
            <p class="muted">
              Project {s.projectCode ?? "none"} · {s.lineCount} lines · drafted {at(s.draftedAt)}
              {s.issuedAt ? ` · issued ${at(s.issuedAt)} by ${s.issuedById ?? '?'}` : ' · a draft: it may still change'}
            </p>
            <div class="toolbar">
              <a class="btn small" href={`${base}/csv`} download>
                Download CSV
              </a>
              <a class="btn small" href={`${base}/pdf`} download>
                Download PDF
              </a>
              {manages && s.state === 'draft' && !confirming ? (
                <button type="button" class="btn small primary" onClick={() => setConfirming(true)}>
                  Issue statement…
                </button>
              ) : null}
            </div>
            {manages && s.state === 'draft' && confirming ? (
              <div class="card confirm-issue">
                <p>
                  Issue the {s.month} statement of {s.tenantName} for <strong>{money(s.totalCents, s.currency)}</strong>? An issued statement never
                  changes: corrections go into a later month.
                </p>
                <div class="actions">
                  <button
                    type="button"
                    class="btn primary"
                    disabled={issue.working}
                    onClick={() =>
                      void issue.run(async () => {
                        await api.post<StatementView>(`${base}/issue`);
                        setConfirming(false);
                        toast('Statement issued');
                        loaded.reload();
                      })
                    }
                  >
                    Issue now
                  </button>
                  <button type="button" class="btn" onClick={() => setConfirming(false)}>
                    Not yet
                  </button>
                </div>
              </div>
            ) : null}
            <Problem problem={issue.problem} />
          </header>
          <dl class="headline-figures statement-totals">
            <div class="figure" data-figure="usage">
              <dt>Usage</dt>
              <dd>{money(s.usageCents, s.currency)}</dd>
            </div>
            <div class="figure" data-figure="adjustments">
              <dt>Adjustments</dt>
              <dd>{money(s.adjustmentsCents, s.currency)}</dd>
            </div>
            <div class="figure" data-figure="total">
              <dt>Total</dt>
              <dd>{money(s.totalCents, s.currency)}</dd>
            </div>
          </dl>
          <h3>Lines</h3>
          <table class="table statement-lines">
            <thead>
              <tr>
                <th>Charged (HKT)</th>
                <th>Tool</th>
                <th>Charge</th>
                <th>Booked</th>
                <th>Checked in – out</th>
                <th class="num">Time</th>
                <th class="num">Rate / h</th>
                <th class="num">Share</th>
                <th class="num">Amount</th>
              </tr>
            </thead>
            <tbody>
              {s.lines.map((l) => (
                <tr key={`${l.bookingId}-${l.kind}`} data-kind={l.kind}>
                  <td>{at(l.chargedAt)}</td>
                  <td>{l.toolId}</td>
                  <td>{kindWords[l.kind]}</td>
                  <td class="small">
                    {at(l.bookedFrom)} – {at(l.bookedTo)}
                  </td>
                  <td class="small">{l.checkedInAt ? `${at(l.checkedInAt)} – ${at(l.checkedOutAt)}` : '–'}</td>
                  <td class="num">{formatDuration(l.minutes)}</td>
                  <td class="num">{money(l.rateCents, s.currency)}</td>
                  <td class="num">
                    {[l.chargePercent === null ? '' : `${l.chargePercent} %`, l.runWafers ? `${l.loadWafers}/${l.runWafers} wafers` : ''].filter(Boolean).join(' · ') || '–'}
                  </td>
                  <td class="num">{money(l.amountCents, s.currency)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <td colSpan={8}>Usage</td>
                <td class="num">
                  <strong>{money(s.usageCents, s.currency)}</strong>
                </td>
              </tr>
            </tfoot>
          </table>
          <h3>Adjustments</h3>
          {s.adjustments.length ? (
            <table class="table statement-adjustments">
              <thead>
                <tr>
                  <th>When (HKT)</th>
                  <th>By</th>
                  <th>Reason</th>
                  <th class="num">Amount</th>
                </tr>
              </thead>
              <tbody>
                {s.adjustments.map((a) => (
                  <tr key={a.id} data-adjustment={a.id}>
                    <td>{at(a.createdAt)}</td>
                    <td>{a.createdById ?? 'system'}</td>
                    <td>
                      {a.reason}
                      {a.correctsStatementId ? (
                        <>
                          {' '}
                          <a class="small" href={`#/statement?id=${encodeURIComponent(a.correctsStatementId)}`}>
                            (corrects an issued statement)
                          </a>
                        </>
                      ) : null}
                    </td>
                    <td class="num">{money(a.amountCents, s.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="muted">None.</p>
          )}
          {manages ? <AdjustmentForm api={api} statement={s} onDone={() => loaded.reload()} /> : null}
        </>
      ) : null}
    </section>
  );
}
