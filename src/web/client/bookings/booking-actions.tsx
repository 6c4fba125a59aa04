// The buttons a booking offers: only the actions its state and the clock allow now (the rules the
// workflow's validators apply, src/domain/booking-actions.ts); the others say when they open, or why not.
import { useState } from 'preact/hooks';
import type { ActionState } from '../../../domain/booking-actions.js';
import type { BookingView } from '../api.js';
import { Problem, useAction, valueOf } from '../components/form.js';
import { toast } from '../ui.js';

const done: Partial<Record<ActionState['action'], string>> = {
  'check-in': 'Checked in',
  'check-out': 'Checked out: usage recorded',
  cancel: 'Booking cancelled',
  'decline-move': 'Move declined: booking cancelled without penalty',
  approve: 'Booking approved',
  reject: 'Booking rejected',
};

export interface ActionCosts {
  /** What cancelling now costs, in words ("HK$200.00, 50 % of the booking"), if anything. */
  cancel?: string;
}

export function BookingActions(props: {
  api: { post<T>(path: string, body?: unknown): Promise<T> };
  booking: Pick<BookingView, 'id'>;
  actions: readonly ActionState[];
  costs?: ActionCosts;
  /** Show why an action is not offered (the detail page); a list shows only the check-in note. */
  explain?: boolean;
  onDone(next: BookingView): void;
}) {
  const action = useAction();
  const [confirming, setConfirming] = useState<'cancel' | 'reject' | null>(null);
  const [note, setNote] = useState('');
  const of = (name: ActionState['action']) => props.actions.find((a) => a.action === name);
  const take = (name: ActionState['action'], body: Record<string, unknown> = {}) =>
    void action.run(async () => {
      const next = await props.api.post<BookingView>(`/api/bookings/${props.booking.id}/${name}`, body);
      toast(done[name] ?? 'Done');
      setConfirming(null);
      setNote('');
      props.onDone(next);
    });
  const button = (name: ActionState['action'], label: string, cls = 'btn small') => {
    const a = of(name);
    if (!a?.allowed) return null;
    return (
      <button type="button" class={cls} title={a.note} disabled={action.working} onClick={() => take(name)}>
        {label}
      </button>
    );
  };
  const checkIn = of('check-in');
  const cancel = of('cancel');
  const reject = of('reject');
  const decline = of('decline-move');
  const refused = props.actions.filter((a) => !a.allowed && (props.explain || a.action === 'check-in'));
  return (
    <div class="booking-actions">
      {button('check-in', 'Check in', 'btn small primary')}
      {button('check-out', 'Check out', 'btn small primary')}
      {button('approve', 'Approve', 'btn small primary')}
      {reject?.allowed ? (
        <button type="button" class="btn small" onClick={() => setConfirming(confirming === 'reject' ? null : 'reject')}>
          Reject…
        </button>
      ) : null}
      {cancel?.allowed ? (
        <button type="button" class="btn small" onClick={() => setConfirming(confirming === 'cancel' ? null : 'cancel')}>
          Cancel…
        </button>
      ) : null}
      {decline?.allowed ? (
        <div class="decline">
          {button('decline-move', 'Decline move', 'btn small subtle-dark')}
        </div>
      ) : null}
      {confirming ? (
        <span class="confirm-box">
          {confirming === 'cancel' ? (
            <small class={`cost${props.costs?.cancel ? ' warn' : ''}`}>{props.costs?.cancel ?? cancel?.note}</small>
          ) : null}
          <input
            type="text"
            maxLength={500}
            placeholder={confirming === 'cancel' ? 'Reason (optional)' : 'Reason (the requester sees it)'}
            aria-label={confirming === 'cancel' ? 'Cancel reason' : 'Reject reason'}
            value={note}
            onInput={(e) => setNote(valueOf(e))}
          />
          <button
            type="button"
            class="btn small danger"
            disabled={action.working}
            onClick={() =>
              confirming === 'cancel' ? take('cancel', note.trim() ? { reason: note.trim() } : {}) : take('reject', note.trim() ? { note: note.trim() } : {})
            }
          >
            {confirming === 'cancel' ? 'Confirm cancel' : 'Confirm reject'}
          </button>
        </span>
      ) : null}
      {checkIn && !checkIn.allowed && !props.explain ? <small class="muted action-note">{checkIn.note}</small> : null}
      {props.explain ? (
        <ul class="action-notes">
          {refused.map((a) => (
            <li key={a.action} data-action={a.action}>
              <strong>{a.action}</strong>: {a.note}
            </li>
          ))}
        </ul>
      ) : null}
      <div class="row-message">
        <Problem problem={action.problem} />
      </div>
    </div>
  );
}
