// The lab managers' qualifications page: the training queue (answer with a training booking, or
// decline; then record the training and grant), a grant form, and every qualification with renew
// and revoke (a revocation lists the later bookings it flagged).
import { useState } from 'preact/hooks';
import type { AffectedListing, PersonView, QualificationView, TrainingRequestView } from '../api.js';
import type { ViewProps } from '../app/view-props.js';
import { AffectedList } from '../components/affected-list.js';
import { Field, Problem, useAction, valueOf } from '../components/form.js';
import { useLoad } from '../components/use-load.js';
import { formatDate, formatDateTime, fromLocalInput, toIsoHkt, toLocalInput } from '../time.js';
import { toast, type AppContext } from '../ui.js';
import { QualificationHistory } from './qualification-history.js';
import { scopeBody, scopeLabel, scopeOptions } from './scope.js';

/** An expiry typed as a day: the end of that day in Hong Kong. */
const endOfDay = (day: string) => `${day}T23:59:00+08:00`;

export function QualificationsView(props: ViewProps) {
  const { api } = props.ctx;
  const requests = useLoad((signal) => api.get<{ trainingRequests: TrainingRequestView[] }>('/api/training-requests', { signal }), []);
  const people = useLoad((signal) => api.get<{ people: PersonView[] }>('/api/users?active=true', { signal }), []);
  const [state, setState] = useState('active');
  const list = useLoad((signal) => api.get<{ qualifications: QualificationView[] }>(`/api/qualifications${state ? `?state=${state}` : ''}`, { signal }), [state]);
  const reload = () => {
    requests.reload();
    list.reload();
  };
  const open = (requests.data?.trainingRequests ?? []).filter((r) => r.status === 'requested' || r.status === 'scheduled');
  return (
    <section class="qualifications">
      <h2>Training requests</h2>
      <Problem problem={requests.problem} />
      {requests.data && !open.length ? <p class="muted">Nobody is waiting for training.</p> : null}
      <div class="training-queue">
        {open.map((r) => (
          <TrainingCard key={r.id} ctx={props.ctx} request={r} people={people.data?.people ?? []} onChanged={reload} />
        ))}
      </div>
      <Grant ctx={props.ctx} people={people.data?.people ?? []} onGranted={list.reload} />
      <h2>Qualifications</h2>
      <div class="toolbar">
        <select aria-label="Which qualifications" value={state} onChange={(e) => setState(valueOf(e))}>
          <option value="active">active</option>
          <option value="expired">expired</option>
          <option value="revoked">revoked</option>
          <option value="">all</option>
        </select>
      </div>
      <Problem problem={list.problem} />
      <table class="table qualifications-list">
        <thead>
          <tr>
            <th>Person</th>
            <th>On</th>
            <th>State</th>
            <th>Expires</th>
            <th>Training</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(list.data?.qualifications ?? []).map((q) => (
            <QualificationRow key={q.id} ctx={props.ctx} qualification={q} onChanged={list.reload} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function TrainingCard(props: { ctx: AppContext; request: TrainingRequestView; people: PersonView[]; onChanged(): void }) {
  const { request: r, ctx } = props;
  const tools = ctx.tools.filter((t) => (r.toolId ? t.id === r.toolId : t.type.id === r.toolTypeId));
  const tomorrow = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 24 * 3_600_000;
  const [form, setForm] = useState({ trainerId: ctx.me.userId, toolId: tools[0]?.id ?? '', start: toLocalInput(tomorrow), hours: '4', expires: '', reason: '' });
  const set = (key: keyof typeof form) => (event: Event) => setForm({ ...form, [key]: valueOf(event) });
  const action = useAction();
  const schedule = () =>
    void action.run(async () => {
      const tool = tools.find((t) => t.id === form.toolId);
      const start = fromLocalInput(form.start);
      const minutes = Math.round(Number(form.hours) * 60);
      await ctx.api.post(`/api/training-requests/${r.id}/schedule`, {
        requestId: crypto.randomUUID(),
        trainerId: form.trainerId,
        toolIds: [form.toolId],
        durationMin: minutes,
        earliestStart: start === undefined ? '' : toIsoHkt(start),
        latestEnd: start === undefined ? '' : toIsoHkt(start + minutes * 60_000),
        material: tool?.materials[0] ?? 'SiC',
        waferSize: tool?.waferSizes[0] ?? 150,
      });
      toast(`Training booked for ${r.userName}`);
      props.onChanged();
    });
  const grant = () =>
    void action.run(async () => {
      await ctx.api.post('/api/qualifications', {
        userId: r.userId,
        ...(r.toolId ? { toolId: r.toolId } : { toolTypeId: r.toolTypeId }),
        ...(form.expires ? { expiresAt: endOfDay(form.expires) } : {}),
        trainerId: form.trainerId,
        trainedAt: new Date().toISOString(),
        trainingRequestId: r.id,
      });
      toast(`${r.userName} is qualified`);
      props.onChanged();
    });
  const decline = () =>
    void action.run(async () => {
      await ctx.api.post(`/api/training-requests/${r.id}/decline`, { reason: form.reason.trim() });
      props.onChanged();
    });
  const trainers = props.people.filter((p) => p.tenantId === ctx.me.tenant.id || p.role !== 'tenant_user');
  return (
    <article class="card training" data-training={r.id} data-status={r.status}>
      <h4>
        {r.userName} <span class="muted">({r.tenantId})</span> — {scopeLabel(ctx.tools, r)} <span class="tag">{r.status}</span>
      </h4>
      {r.note ? <p class="purpose">{r.note}</p> : null}
      {r.booking ? (
        <p>
          Training on {r.booking.toolId} at {formatDateTime(Date.parse(r.booking.startsAt))} with {r.booking.trainerId}.
        </p>
      ) : null}
      <div class="row">
        <Field name="trainerId" label="Trainer" problem={action.problem}>
          <select name="trainerId" value={form.trainerId} onChange={set('trainerId')}>
            {trainers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
        {r.status === 'requested' ? (
          <>
            <Field name="toolIds" label="Tool" problem={action.problem}>
              <select name="toolId" value={form.toolId} onChange={set('toolId')}>
                {tools.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.id} — {t.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field name="earliestStart" label="Starts (HKT)" problem={action.problem}>
              <input name="start" type="datetime-local" value={form.start} onInput={set('start')} />
            </Field>
            <Field name="durationMin" label="Hours" problem={action.problem}>
              <input name="hours" type="number" min="0.5" step="0.5" value={form.hours} onInput={set('hours')} />
            </Field>
          </>
        ) : (
          <Field name="expiresAt" label="Qualified until" problem={action.problem}>
            <input name="expires" type="date" value={form.expires} onInput={set('expires')} />
          </Field>
        )}
      </div>
      <div class="actions">
        {r.status === 'requested' ? (
          <button type="button" class="btn primary" disabled={action.working} onClick={schedule}>
            Book the training
          </button>
        ) : (
          <button type="button" class="btn primary" disabled={action.working} onClick={grant}>
            Record training &amp; grant
          </button>
        )}
        {r.status === 'requested' ? (
          <span class="confirm-box">
            <input aria-label="Why decline" placeholder="Why decline" value={form.reason} onInput={set('reason')} />
            <button type="button" class="btn" disabled={action.working || !form.reason.trim()} onClick={decline}>
              Decline
            </button>
          </span>
        ) : null}
      </div>
      <Problem problem={action.problem} />
    </article>
  );
}

function Grant(props: { ctx: AppContext; people: PersonView[]; onGranted(): void }) {
  const options = scopeOptions(props.ctx.tools);
  const [form, setForm] = useState({ userId: '', scope: options[0]?.value ?? '', expires: '', trainerId: '' });
  const set = (key: keyof typeof form) => (event: Event) => setForm({ ...form, [key]: valueOf(event) });
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await props.ctx.api.post('/api/qualifications', {
        userId: form.userId,
        ...scopeBody(form.scope),
        ...(form.expires ? { expiresAt: endOfDay(form.expires) } : {}),
        ...(form.trainerId ? { trainerId: form.trainerId, trainedAt: new Date().toISOString() } : {}),
      });
      toast('Qualification granted');
      props.onGranted();
    });
  };
  return (
    <form class="card facility-form grant" onSubmit={submit} novalidate>
      <h4>Grant a qualification</h4>
      <div class="row">
        <Field name="userId" label="Person" problem={action.problem}>
          <select name="userId" value={form.userId} onChange={set('userId')}>
            <option value="">—</option>
            {props.people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.tenantId})
              </option>
            ))}
          </select>
        </Field>
        <Field name="toolTypeId" label="On" problem={action.problem}>
          <select name="scope" value={form.scope} onChange={set('scope')}>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
        <Field name="expiresAt" label="Until" problem={action.problem}>
          <input name="expires" type="date" value={form.expires} onInput={set('expires')} />
        </Field>
        <Field name="trainerId" label="Trained by" problem={action.problem}>
          <select name="trainerId" value={form.trainerId} onChange={set('trainerId')}>
            <option value="">—</option>
            {props.people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div class="actions">
        <button type="submit" class="btn primary" disabled={action.working}>
          Grant
        </button>
      </div>
      <Problem problem={action.problem} />
    </form>
  );
}

function QualificationRow(props: { ctx: AppContext; qualification: QualificationView; onChanged(): void }) {
  const q = props.qualification;
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const [flagged, setFlagged] = useState<AffectedListing | null>(null);
  const action = useAction();
  const url = `/api/qualifications/${q.id}`;
  return (
    <tr data-qualification={q.id} data-state={q.state}>
      <td>{q.userName}</td>
      <td>{scopeLabel(props.ctx.tools, q)}</td>
      <td>
        <span class={`tag ${q.state === 'active' ? 'ok' : 'warn'}`}>{q.state}</span>
      </td>
      <td>{q.expiresAt ? formatDate(Date.parse(q.expiresAt)) : '—'}</td>
      <td class="muted">
        {q.trainerId ? `${q.trainerId}${q.trainedAt ? `, ${formatDate(Date.parse(q.trainedAt))}` : ''}` : '—'}
        <QualificationHistory ctx={props.ctx} qualificationId={q.id} />
      </td>
      <td class="row-actions">
        {q.state !== 'revoked' ? (
          <span class="confirm-box">
            <input type="date" aria-label="Renew until" value={until} onInput={(e) => setUntil(valueOf(e))} />
            <button type="button" class="btn small" disabled={!until || action.working} onClick={() => void action.run(async () => {
              await props.ctx.api.post(`${url}/renew`, { expiresAt: endOfDay(until) });
              toast('Renewed');
              props.onChanged();
            })}>
              Renew
            </button>
            <input aria-label="Why revoke" placeholder="Why revoke" value={reason} onInput={(e) => setReason(valueOf(e))} />
            <button type="button" class="btn small danger" disabled={!reason.trim() || action.working} onClick={() => void action.run(async () => {
              const answer = await props.ctx.api.post<{ affected: AffectedListing }>(`${url}/revoke`, { reason: reason.trim() });
              setFlagged(answer.affected);
              toast('Revoked');
            })}>
              Revoke
            </button>
          </span>
        ) : null}
        {flagged ? <AffectedList listing={flagged} empty="No later booking was flagged." /> : null}
        <Problem problem={action.problem} />
      </td>
    </tr>
  );
}
