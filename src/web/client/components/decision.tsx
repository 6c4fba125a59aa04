// Approve or reject a held booking or lot route. A rejection needs a reason: the requester reads it
// on their booking and in the e-mail. An approval may carry an optional note.
import { useRef, useState } from 'preact/hooks';
import type { BookingView, LotView } from '../api.js';
import { toast, type AppContext } from '../ui.js';
import { ProblemBox } from './problem-box.js';

export type DecisionTarget = { kind: 'booking'; id: string; label: string } | { kind: 'lot'; id: string; label: string };
export type Verb = 'approve' | 'reject';

/** Sends one decision; the answer is the booking or lot as it is now. */
export function decide(ctx: AppContext, target: DecisionTarget, verb: Verb, note: string): Promise<BookingView | LotView> {
  const path = target.kind === 'lot' ? `/api/lots/${target.id}/${verb}` : `/api/bookings/${target.id}/${verb}`;
  return ctx.api.post(path, note ? { note } : {});
}

export function Decision(props: {
  ctx: AppContext;
  target: DecisionTarget;
  onDecided(verb: Verb, next: BookingView | LotView): void;
  /** A text to start the reason from (an alternative the manager picked). */
  reason?: string;
}) {
  const { ctx, target } = props;
  const [note, setNote] = useState(props.reason ?? '');
  const [working, setWorking] = useState<Verb | null>(null);
  const [missing, setMissing] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const [seenReason, setSeenReason] = useState(props.reason);
  if (props.reason !== seenReason) {
    setSeenReason(props.reason);
    if (props.reason) setNote(props.reason);
  }
  const id = `reason-${target.kind}-${target.id}`;

  const send = async (verb: Verb) => {
    const text = note.trim();
    if (verb === 'reject' && !text) {
      setMissing(true);
      input.current?.focus();
      return;
    }
    setWorking(verb);
    setProblem(null);
    try {
      const next = await decide(ctx, target, verb, text);
      toast(`${target.label}: ${verb === 'approve' ? 'approved' : 'rejected'}`);
      ctx.refreshApprovals();
      props.onDecided(verb, next);
    } catch (err) {
      setProblem(err);
    } finally {
      setWorking(null);
    }
  };

  return (
    <div class="decision">
      <label class="decision-note" for={id}>
        <span class="label">Reason or note</span>
        <textarea
          id={id}
          ref={input}
          rows={2}
          maxLength={500}
          value={note}
          aria-invalid={missing}
          aria-describedby={`${id}-hint`}
          onInput={(e) => {
            setNote(e.currentTarget.value);
            if (e.currentTarget.value.trim()) setMissing(false);
          }}
        />
        <span id={`${id}-hint`} class={missing ? 'field-error' : 'hint'}>
          {missing ? 'Say why you reject it: the requester reads this reason.' : 'Required to reject (the requester reads it); optional to approve.'}
        </span>
      </label>
      <div class="decision-actions">
        <button type="button" class={`btn primary${working === 'approve' ? ' is-busy' : ''}`} disabled={working !== null} onClick={() => void send('approve')}>
          Approve
        </button>
        <button type="button" class={`btn danger${working === 'reject' ? ' is-busy' : ''}`} disabled={working !== null} onClick={() => void send('reject')}>
          Reject
        </button>
      </div>
      {problem ? <ProblemBox problem={problem} ctx={ctx} /> : null}
    </div>
  );
}
