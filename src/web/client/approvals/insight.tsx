// Beside a held request, what a lab manager weighs: the week's quota with this request in it, how the
// tenant used the line lately, and what the request collides with.
import type { ApprovalConflict, ApprovalInsight } from '../../../domain/approvals.js';
import { formatDate, formatDuration, formatRange, isoDay } from '../time.js';
import type { AppContext } from '../ui.js';

const hours = (min: number) => formatDuration(min);

export function QuotaUse(props: { ctx: AppContext; insight: ApprovalInsight }) {
  const { insight, ctx } = props;
  if (!insight.quota.length) return null;
  return (
    <ul class="quota-use" aria-label="Weekly quota">
      {insight.quota.map((q) => {
        const after = q.usedMin + q.requestMin;
        const over = q.limitMin !== null && after > q.limitMin;
        const typeName = ctx.tools.find((t) => t.type.id === q.toolTypeId)?.type.name ?? q.toolTypeId;
        const pct = (min: number) => (q.limitMin ? Math.min(100, (min / q.limitMin) * 100) : 0);
        return (
          <li key={`${q.toolTypeId}-${q.weekStart}`} class={over ? 'over' : ''} data-tool-type={q.toolTypeId}>
            <span class="quota-words">
              {typeName}, week of {formatDate(Date.parse(q.weekStart))}: {hours(q.usedMin)} used + {hours(q.requestMin)} this request
              {q.limitMin === null ? ' (no quota)' : ` of ${hours(q.limitMin)}${over ? ' — over the quota' : ''}`}
            </span>
            {q.limitMin ? (
              <span class="quota-bar" aria-hidden="true">
                <span class="quota-used" style={{ width: `${pct(q.usedMin)}%` }} />
                <span class="quota-request" style={{ width: `${Math.max(0, pct(after) - pct(q.usedMin))}%` }} />
              </span>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

export function RecentUsage(props: { insight: ApprovalInsight }) {
  const { recent, tenant } = props.insight;
  const record = [
    `${recent.completed} completed`,
    recent.noShows ? `${recent.noShows} no-show${recent.noShows === 1 ? '' : 's'}` : '0 no-shows',
    recent.lateCancels ? `${recent.lateCancels} late cancel${recent.lateCancels === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return (
    <p class={`recent-usage${recent.noShows || recent.lateCancels ? ' flagged' : ''}`}>
      {tenant.name}, last {recent.days} days: {hours(recent.usedMin)} on these tools, {hours(recent.allToolsMin)} in all · {record.join(' · ')}
    </p>
  );
}

const conflictLabels: Record<ApprovalConflict['kind'], string> = {
  pending: 'Also waiting',
  maintenance: 'Maintenance',
  tool_down: 'Tool not in service',
  qualification: 'Qualification',
};

function conflictHref(conflict: ApprovalConflict): string | null {
  const ref = conflict.ref;
  if (!ref) return null;
  if (ref.kind === 'maintenance') return `#/maintenance?focus=${encodeURIComponent(ref.id)}`;
  if (ref.kind === 'lot') return `#/lot?id=${encodeURIComponent(ref.id)}`;
  const day = conflict.startsAt ? isoDay(Date.parse(conflict.startsAt)) : undefined;
  return `#/schedule?view=day${day ? `&from=${day}` : ''}&focus=${encodeURIComponent(ref.id)}`;
}

export function Conflicts(props: { ctx: AppContext; conflicts: readonly ApprovalConflict[] }) {
  if (!props.conflicts.length) return <p class="conflicts none">No conflicts.</p>;
  return (
    <ul class="conflicts" aria-label="Conflicts">
      {props.conflicts.map((c, i) => {
        const href = conflictHref(c);
        const tool = props.ctx.toolsById.get(c.toolId)?.name ?? c.toolId;
        return (
          <li key={i} class={`conflict conflict-${c.kind}`} data-kind={c.kind}>
            <strong>{conflictLabels[c.kind]}</strong> · {tool}
            {c.startsAt && c.endsAt ? ` · ${formatRange(Date.parse(c.startsAt), Date.parse(c.endsAt))}` : ''} — {c.detail}
            {href ? (
              <>
                {' '}
                <a href={href}>open</a>
              </>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
