// A person's own qualifications (with their history) and training requests; asking for training.
import { useState } from 'preact/hooks';
import type { QualificationView, TrainingRequestView } from '../api.js';
import type { ViewProps } from '../app/view-props.js';
import { Field, Problem, useAction, valueOf } from '../components/form.js';
import { useLoad } from '../components/use-load.js';
import { formatDate, formatDateTime } from '../time.js';
import { toast } from '../ui.js';
import { QualificationHistory } from './qualification-history.js';
import { scopeBody, scopeLabel, scopeOptions } from './scope.js';

export function MyQualificationsView(props: ViewProps) {
  const { api, me, tools } = props.ctx;
  const mine = useLoad(
    (signal) => api.get<{ qualifications: QualificationView[] }>(`/api/qualifications?user=${encodeURIComponent(me.userId)}`, { signal }),
    [],
  );
  const requests = useLoad((signal) => api.get<{ trainingRequests: TrainingRequestView[] }>('/api/training-requests?mine=true', { signal }), []);
  return (
    <section class="my-qualifications">
      <h2>My qualifications</h2>
      <Problem problem={mine.problem} />
      {mine.data && !mine.data.qualifications.length ? <p class="muted">None yet: ask for training below.</p> : null}
      <table class="table qualifications-list">
        <tbody>
          {(mine.data?.qualifications ?? []).map((q) => (
            <tr key={q.id} data-qualification={q.id} data-state={q.state}>
              <td>{scopeLabel(tools, q)}</td>
              <td>
                <span class={`tag ${q.state === 'active' ? 'ok' : 'warn'}`}>{q.state}</span>
              </td>
              <td>{q.expiresAt ? `until ${formatDate(Date.parse(q.expiresAt))}` : 'no expiry'}</td>
              <td class="muted">{q.trainerId ? `trained by ${q.trainerId}${q.trainedAt ? ` on ${formatDate(Date.parse(q.trainedAt))}` : ''}` : ''}</td>
              <td>
                <QualificationHistory ctx={props.ctx} qualificationId={q.id} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Training</h3>
      <Problem problem={requests.problem} />
      <ul class="training-requests">
        {(requests.data?.trainingRequests ?? []).map((r) => (
          <li key={r.id} data-training={r.id} data-status={r.status}>
            {scopeLabel(tools, r)} — <strong>{r.status}</strong>
            {r.booking ? ` on ${r.booking.toolId} at ${formatDateTime(Date.parse(r.booking.startsAt))} with ${r.booking.trainerId ?? '?'}` : ''}
            {r.declineReason ? ` (${r.declineReason})` : ''}
          </li>
        ))}
      </ul>
      <RequestTraining ctx={props.ctx} onSent={requests.reload} />
    </section>
  );
}

function RequestTraining(props: { ctx: ViewProps['ctx']; onSent(): void }) {
  const options = scopeOptions(props.ctx.tools);
  const [scope, setScope] = useState(options[0]?.value ?? '');
  const [note, setNote] = useState('');
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await props.ctx.api.post('/api/training-requests', { ...scopeBody(scope), ...(note.trim() ? { note: note.trim() } : {}) });
      toast('Training requested: a lab manager will answer with a training slot');
      setNote('');
      props.onSent();
    });
  };
  return (
    <form class="card facility-form request-training" onSubmit={submit} novalidate>
      <h4>Request training</h4>
      <div class="row">
        <Field name="toolTypeId" label="On" problem={action.problem}>
          <select name="scope" value={scope} onChange={(e) => setScope(valueOf(e))}>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
        <Field name="note" label="What for (optional)" problem={action.problem}>
          <input name="note" value={note} onInput={(e) => setNote(valueOf(e))} placeholder="e.g. GaN buffer growth for my thesis" />
        </Field>
      </div>
      <div class="actions">
        <button type="submit" class="btn primary" disabled={action.working}>
          Request training
        </button>
      </div>
      <Problem problem={action.problem} />
    </form>
  );
}
