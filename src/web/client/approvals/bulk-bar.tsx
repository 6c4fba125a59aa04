// Deciding several requests at once: approve them, or reject them with one reason every requester
// reads (required). Each is sent on its own; the ones refused are named with their problem.
import { useState } from 'preact/hooks';
import { ApiProblem } from '../api.js';
import { decide, type Verb } from '../components/decision.js';
import { toast, type AppContext } from '../ui.js';
import type { PendingRequest } from './queue.js';

export function BulkBar(props: { ctx: AppContext; selected: readonly PendingRequest[]; label(r: PendingRequest): string; onDone(): void; onClear(): void }) {
  const { ctx, selected } = props;
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [working, setWorking] = useState<Verb | null>(null);
  const [failures, setFailures] = useState<string[]>([]);
  const count = selected.length;
  const run = async (verb: Verb) => {
    const text = reason.trim();
    if (verb === 'reject' && !text) {
      setMissing(true);
      document.getElementById('bulk-reason')?.focus();
      return;
    }
    setWorking(verb);
    const failed: string[] = [];
    let done = 0;
    // One at a time: each decision is a workflow update, and the pilot line's server is small.
    for (const request of selected) {
      try {
        await decide(ctx, { kind: request.kind, id: request.id, label: props.label(request) }, verb, text);
        done++;
      } catch (err) {
        failed.push(`${props.label(request)}: ${err instanceof ApiProblem ? (err.detail ?? err.title) : String(err)}`);
      }
    }
    setWorking(null);
    setFailures(failed);
    if (done) {
      toast(`${done} request${done === 1 ? '' : 's'} ${verb === 'approve' ? 'approved' : 'rejected'}${failed.length ? `, ${failed.length} refused` : ''}`, failed.length ? 'error' : 'ok');
      setReason('');
    }
    ctx.refreshApprovals();
    props.onDone();
  };
  if (!count && !failures.length) return null;
  return (
    <div class="bulk-bar card" role="region" aria-label="Decide the selected requests">
      {count ? (
        <>
          <strong class="bulk-count">
            {count} selected
          </strong>
          <label class="decision-note bulk-reason" for="bulk-reason">
            <span class="label">Reason for all</span>
            <textarea
              id="bulk-reason"
              rows={2}
              maxLength={500}
              value={reason}
              aria-invalid={missing}
              aria-describedby="bulk-reason-hint"
              onInput={(e) => {
                setReason(e.currentTarget.value);
                if (e.currentTarget.value.trim()) setMissing(false);
              }}
            />
            <span id="bulk-reason-hint" class={missing ? 'field-error' : 'hint'}>
              {missing ? 'Say why you reject them: each requester reads this reason.' : 'Required to reject; each requester reads it.'}
            </span>
          </label>
          <div class="decision-actions">
            <button type="button" class={`btn primary${working === 'approve' ? ' is-busy' : ''}`} disabled={working !== null} onClick={() => void run('approve')}>
              Approve {count}
            </button>
            <button type="button" class={`btn danger${working === 'reject' ? ' is-busy' : ''}`} disabled={working !== null} onClick={() => void run('reject')}>
              Reject {count}
            </button>
            <button type="button" class="btn subtle-dark" disabled={working !== null} onClick={props.onClear}>
              Clear
            </button>
          </div>
        </>
      ) : null}
      {failures.length ? (
        <ul class="problem bulk-failures" role="alert">
          {failures.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
