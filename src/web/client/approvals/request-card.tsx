// One held request in the workspace: who (by name), when and on what, its deadline (escalated when it
// nears), quota use, recent usage, conflicts, alternatives, and the decision with its reason.
import { useState } from 'preact/hooks';
import { Decision } from '../components/decision.js';
import { formatDateTime, formatDuration, formatRange, formatRelative, isoDay } from '../time.js';
import type { AppContext } from '../ui.js';
import { Alternatives } from './alternatives.js';
import { Conflicts, QuotaUse, RecentUsage } from './insight.js';
import { urgencyOf, type PendingRequest } from './queue.js';

export interface RequestCardProps {
  ctx: AppContext;
  request: PendingRequest;
  now: number;
  selected: boolean;
  onSelect(selected: boolean): void;
  onDecided(): void;
}

export function Deadline(props: { deadline: number | null; now: number; lot: boolean }) {
  const { deadline, now } = props;
  if (deadline === null) return null;
  const urgency = urgencyOf(deadline, now);
  const when = `${formatDateTime(deadline)} (${formatRelative(deadline, now)})`;
  return (
    <p class={`deadline ${urgency}`} data-urgency={urgency}>
      {urgency === 'overdue' ? 'Overdue — decide by' : urgency === 'soon' ? 'Due soon — decide by' : 'Decide by'} {when}; {props.lot ? "every step's hold" : 'the hold'} lapses then.
    </p>
  );
}

export function RequestCard(props: RequestCardProps) {
  const { ctx, request, now } = props;
  const [reason, setReason] = useState<string | undefined>(undefined);
  const insight = request.insight;
  const tenant = insight?.tenant.name ?? (request.kind === 'lot' ? request.lot.tenantId : request.booking.tenantId);
  const user = insight?.user.name ?? (request.kind === 'lot' ? request.lot.userId : request.booking.userId);
  const urgency = urgencyOf(request.deadline, now);
  const title = request.kind === 'lot' ? request.lot.name : `${ctx.toolsById.get(request.booking.toolId)?.name ?? request.booking.toolId}, ${formatRange(request.startsAt, Date.parse(request.booking.endsAt))}`;
  const checkboxId = `select-${request.id}`;
  return (
    <article
      class={`approval-card ${request.kind} urgency-${urgency}`}
      data-booking={request.kind === 'booking' ? request.id : undefined}
      data-lot={request.kind === 'lot' ? request.id : undefined}
      aria-labelledby={`${checkboxId}-title`}
    >
      <div class="approval-card-head">
        <input id={checkboxId} type="checkbox" checked={props.selected} onChange={(e) => props.onSelect(e.currentTarget.checked)} aria-label={`Select ${title} for ${tenant}`} />
        <h5 id={`${checkboxId}-title`}>
          {request.kind === 'lot' ? <span class="lot-tag">Lot route</span> : null} {request.kind === 'lot' ? request.lot.name : formatRange(request.startsAt, Date.parse(request.booking.endsAt))}
        </h5>
        <span class="who">
          <strong class="tenant-name">{tenant}</strong>
          {insight ? <span class="muted"> ({insight.tenant.class})</span> : null} · <span class="user-name">{user}</span>
        </span>
      </div>
      {request.kind === 'booking' ? <BookingFacts request={request} /> : <LotSteps ctx={ctx} request={request} />}
      <Deadline deadline={request.deadline} now={now} lot={request.kind === 'lot'} />
      {insight ? (
        <div class="insight">
          <QuotaUse ctx={ctx} insight={insight} />
          <RecentUsage insight={insight} />
          <Conflicts ctx={ctx} conflicts={insight.conflicts} />
        </div>
      ) : null}
      {request.kind === 'booking' ? <Alternatives ctx={ctx} bookingId={request.id} onOffer={setReason} /> : null}
      <Decision
        ctx={ctx}
        target={{ kind: request.kind, id: request.id, label: request.kind === 'lot' ? request.lot.name : title }}
        reason={reason}
        onDecided={() => props.onDecided()}
      />
      <p class="card-links">
        {request.kind === 'lot' ? (
          <>
            <a href={`#/lot?id=${request.id}`}>Lot details</a> <a href={`#/schedule?lot=${request.id}`}>Route on the schedule</a>
          </>
        ) : (
          <a href={`#/schedule?view=day&from=${isoDay(request.startsAt)}&focus=${request.id}`}>Show on the schedule</a>
        )}
      </p>
    </article>
  );
}

function BookingFacts(props: { request: Extract<PendingRequest, { kind: 'booking' }> }) {
  const b = props.request.booking;
  const minutes = (Date.parse(b.endsAt) - Date.parse(b.startsAt)) / 60_000;
  return (
    <p class="request-facts">
      {formatDuration(minutes)} · {b.material} · {b.waferSize} mm · {b.contaminationGroup}
      {b.purpose ? <span class="purpose"> · “{b.purpose}”</span> : null}
    </p>
  );
}

function LotSteps(props: { ctx: AppContext; request: Extract<PendingRequest, { kind: 'lot' }> }) {
  const { lot } = props.request;
  return (
    <ol class="lot-step-list">
      {lot.steps.map((s) => (
        <li key={s.seq} data-seq={s.seq}>
          <strong>{s.name}</strong> · {s.booking ? (props.ctx.toolsById.get(s.booking.toolId)?.name ?? s.booking.toolId) : s.toolTypeId}
          {s.booking ? ` · ${formatRange(Date.parse(s.booking.startsAt), Date.parse(s.booking.endsAt))}` : ''}
          {s.maxLagToNextMin !== null ? <span class="muted"> · next within {formatDuration(s.maxLagToNextMin)}</span> : null}
        </li>
      ))}
    </ol>
  );
}
