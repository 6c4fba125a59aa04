// The lab managers' approvals workspace: every held request grouped by day and tool (lot routes apart,
// each decided as a whole), with names, quota use, recent usage, conflicts and alternatives; the ones
// whose deadline nears escalated at the top; several decided at once.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Approvals } from '../../../domain/approvals.js';
import { useLoad } from '../components/use-load.js';
import { ProblemBox } from '../components/problem-box.js';
import type { ViewProps } from '../app/view-props.js';
import { formatDate, formatRange, formatRelative } from '../time.js';
import { BulkBar } from './bulk-bar.js';
import { escalated, groupByDayAndTool, pendingRequests, type PendingRequest } from './queue.js';
import { RequestCard } from './request-card.js';

const refreshMs = 60_000;

export function ApprovalsView({ ctx, params }: ViewProps) {
  const queue = useLoad<Approvals>((signal) => ctx.api.get('/api/approvals', { signal }), []);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => {
      setNow(Date.now());
      if (document.visibilityState === 'visible') queue.reload();
    }, refreshMs);
    return () => window.clearInterval(timer);
  }, [queue.reload]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

  const toolName = (id: string) => ctx.toolsById.get(id)?.name ?? id;
  const requests = useMemo(() => (queue.data ? pendingRequests(queue.data) : []), [queue.data]);
  const days = useMemo(() => groupByDayAndTool(requests, toolName), [requests]);
  const urgent = escalated(requests, now);
  // Decided or lapsed requests leave the selection.
  const chosen = requests.filter((r) => selected.has(r.id));
  const label = (r: PendingRequest) => (r.kind === 'lot' ? r.lot.name : `${toolName(r.booking.toolId)} ${formatRange(r.startsAt, Date.parse(r.booking.endsAt))}`);
  const select = (ids: readonly string[], on: boolean) =>
    setSelected((before) => {
      const next = new Set(before);
      for (const id of ids) if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const decided = () => {
    setSelected(new Set());
    queue.reload();
  };
  const focus = params.get('focus');
  useEffect(() => {
    if (focus && queue.data) document.querySelector(`[data-booking="${CSS.escape(focus)}"], [data-lot="${CSS.escape(focus)}"]`)?.scrollIntoView({ block: 'center' });
  }, [focus, queue.data]);

  const card = (r: PendingRequest) => (
    <RequestCard key={r.id} ctx={ctx} request={r} now={now} selected={selected.has(r.id)} onSelect={(on) => select([r.id], on)} onDecided={decided} />
  );
  const groupToggle = (ids: string[], name: string) => (
    <label class="select-group">
      <input type="checkbox" checked={ids.length > 0 && ids.every((id) => selected.has(id))} onChange={(e) => select(ids, e.currentTarget.checked)} /> Select all {name}
    </label>
  );

  return (
    <section class="approvals-workspace">
      <div class="toolbar">
        <h2>Approvals</h2>
        <span class="status-line" aria-live="polite">
          {queue.data ? (requests.length ? `${requests.length} request${requests.length === 1 ? '' : 's'} waiting` : 'Nothing waiting for approval.') : queue.problem ? '' : 'Loading…'}
        </span>
      </div>
      {queue.problem ? <ProblemBox problem={queue.problem} ctx={ctx} /> : null}
      {urgent.length ? (
        <div class="escalation card" role="alert">
          <strong>
            {urgent.length} decision{urgent.length === 1 ? '' : 's'} due within 2 h
          </strong>
          <ul>
            {urgent.map((r) => (
              <li key={r.id}>
                <a href={`#/approvals?focus=${r.id}`}>{label(r)}</a> · {r.insight?.tenant.name ?? ''} · {r.deadline !== null && r.deadline <= now ? 'overdue' : `due ${formatRelative(r.deadline ?? now, now)}`}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <BulkBar ctx={ctx} selected={chosen} label={label} onDone={decided} onClear={() => setSelected(new Set())} />
      {days.map((day) => (
        <section key={day.day} class="approval-day" aria-labelledby={`day-${day.day}`}>
          <h3 id={`day-${day.day}`}>{formatDate(day.day)}</h3>
          {day.lots.length ? (
            <div class="approval-group" data-group="lots">
              <div class="approval-group-head">
                <h4>Lot routes</h4>
                {groupToggle(
                  day.lots.map((r) => r.id),
                  `lot routes of ${formatDate(day.day)}`,
                )}
              </div>
              {day.lots.map(card)}
            </div>
          ) : null}
          {day.tools.map((group) => (
            <div key={group.toolId} class="approval-group" data-group={group.toolId}>
              <div class="approval-group-head">
                <h4>
                  {toolName(group.toolId)} <span class="muted">{group.toolId}</span>
                </h4>
                {group.requests.length > 1
                  ? groupToggle(
                      group.requests.map((r) => r.id),
                      `${toolName(group.toolId)} requests of ${formatDate(day.day)}`,
                    )
                  : null}
              </div>
              {group.requests.map(card)}
            </div>
          ))}
        </section>
      ))}
    </section>
  );
}
