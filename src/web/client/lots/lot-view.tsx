// One lot route: its state, who submitted it (by name), why it was rejected or cancelled, its Q-time
// alerts, each step with its run actions, the decision for a lab manager, and the route on the board.
import { useEffect, useState } from 'preact/hooks';
import type { LotView as Lot } from '../api.js';
import type { ViewProps } from '../app/view-props.js';
import { Decision } from '../components/decision.js';
import { useAction } from '../components/form.js';
import { ProblemBox } from '../components/problem-box.js';
import { StateBadge } from '../components/state-badge.js';
import { useLoad } from '../components/use-load.js';
import { lotSpanText } from './lot-span.js';
import { formatDateTime, formatRelative } from '../time.js';
import { toast } from '../ui.js';
import { LotStepsTable } from './lot-steps.js';

type LotDetail = Lot & { alerts: Array<{ afterSeq: number; nextSeq: number; detail: string }>; tenantName: string; userName: string };

const refreshMs = 30_000;

export function LotPage({ ctx, params }: ViewProps) {
  const id = params.get('id') ?? '';
  const loaded = useLoad<LotDetail>((signal) => ctx.api.get(`/api/lots/${encodeURIComponent(id)}`, { signal }), [id]);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => {
      setNow(Date.now());
      if (document.visibilityState === 'visible') loaded.reload();
    }, refreshMs);
    return () => window.clearInterval(timer);
  }, [loaded.reload]);
  const run = useAction();
  const [cancelling, setCancelling] = useState(false);
  const [cancelReason, setCancelReason] = useState('');

  if (!id) return <p class="problem">No lot named: open one from the lots list.</p>;
  if (loaded.problem) return <ProblemBox problem={loaded.problem} ctx={ctx} />;
  const lot = loaded.data;
  if (!lot) return <p class="muted">Loading the lot…</p>;
  const own = lot.tenantId === ctx.me.tenant.id;
  const canRun = own || ctx.seesAllTenants;
  const onRun = (verb: 'check-in' | 'check-out', seq: number) =>
    void run.run(async () => {
      await ctx.api.post<Lot>(`/api/lots/${lot.id}/steps/${seq}/${verb}`);
      toast(`Step ${seq} ${verb === 'check-in' ? 'checked in' : 'checked out: usage recorded'}`);
      setNow(Date.now());
      loaded.reload();
    });
  const cancel = () =>
    void run.run(async () => {
      await ctx.api.post<Lot>(`/api/lots/${lot.id}/cancel`, cancelReason.trim() ? { reason: cancelReason.trim() } : {});
      toast(`${lot.name} cancelled`);
      setCancelling(false);
      loaded.reload();
    });

  return (
    <section class="lot-page" data-lot={lot.id} data-state={lot.state}>
      <div class="toolbar">
        <a href="#/lots" class="btn subtle-dark">
          ‹ Lots
        </a>
        <h2>
          <span class="lot-tag">Lot route</span> {lot.name}
        </h2>
        <StateBadge state={lot.state} />
        <span class="spacer" />
        <a class="btn" href={`#/schedule?lot=${lot.id}`}>
          Show the route on the schedule
        </a>
      </div>
      <dl class="facts lot-facts">
        <dt>Tenant</dt>
        <dd class="tenant-name">{lot.tenantName}</dd>
        <dt>Submitted by</dt>
        <dd class="user-name">{lot.userName}</dd>
        <dt>Wafers</dt>
        <dd>
          {lot.material} · {lot.waferSize} mm
        </dd>
        <dt>Route</dt>
        <dd>{lotSpanText(lot)}</dd>
        {lot.state === 'held' && lot.approvalDeadline ? (
          <>
            <dt>Decision due</dt>
            <dd>
              {formatDateTime(Date.parse(lot.approvalDeadline))} ({formatRelative(Date.parse(lot.approvalDeadline), now)}), for every step together
            </dd>
          </>
        ) : null}
      </dl>
      {lot.cancelReason && (lot.state === 'rejected' || lot.state === 'cancelled' || lot.state === 'expired') ? (
        <div class={`lot-reason card state-${lot.state}`} role="note">
          <strong>{lot.state === 'rejected' ? 'Rejected by the lab manager' : lot.state === 'cancelled' ? 'Cancelled' : 'Expired'}:</strong> <span class="reason-text">{lot.cancelReason}</span>
        </div>
      ) : null}
      {lot.alerts.map((a, i) => (
        <p key={i} class="problem qtime-alert" role="alert">
          {a.detail}
        </p>
      ))}
      <LotStepsTable ctx={ctx} lot={lot} now={now} canRun={canRun} working={run.working} onRun={onRun} />
      {run.problem ? <ProblemBox problem={run.problem} ctx={ctx} /> : null}
      {lot.state === 'held' && ctx.canApprove ? (
        <div class="card lot-decision">
          <h3>Decide the whole route</h3>
          <Decision ctx={ctx} target={{ kind: 'lot', id: lot.id, label: lot.name }} onDecided={() => loaded.reload()} />
        </div>
      ) : null}
      {(lot.state === 'held' || lot.state === 'confirmed') && (own || ctx.canApprove) ? (
        <div class="lot-cancel">
          {cancelling ? (
            <span class="confirm-box">
              <input type="text" maxLength={500} placeholder="Reason (optional)" aria-label="Cancel reason" value={cancelReason} onInput={(e) => setCancelReason(e.currentTarget.value)} />
              <button type="button" class="btn small danger" disabled={run.working} onClick={cancel}>
                Cancel all steps
              </button>
            </span>
          ) : (
            <button type="button" class="btn small" onClick={() => setCancelling(true)}>
              Cancel lot…
            </button>
          )}
        </div>
      ) : null}
    </section>
  );
}
