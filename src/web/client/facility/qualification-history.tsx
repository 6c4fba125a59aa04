// A qualification's history on demand: granted, reminded, lapsed, renewed, revoked — who and when.
import { useState } from 'preact/hooks';
import { Problem, useAction } from '../components/form.js';
import { formatDateTime } from '../time.js';
import type { AppContext } from '../ui.js';

interface Event {
  at: string;
  action: string;
  actorId: string | null;
}

export function QualificationHistory(props: { ctx: AppContext; qualificationId: string }) {
  const [events, setEvents] = useState<Event[] | null>(null);
  const action = useAction();
  if (events) {
    return (
      <ol class="history">
        {events.map((e, i) => (
          <li key={i}>
            {formatDateTime(Date.parse(e.at))} {e.action.replace('qualification.', '')}
            {e.actorId ? ` by ${e.actorId}` : ''}
          </li>
        ))}
      </ol>
    );
  }
  return (
    <>
      <button type="button" class="btn subtle small" disabled={action.working} onClick={() => void action.run(async () => {
        setEvents((await props.ctx.api.get<{ events: Event[] }>(`/api/qualifications/${props.qualificationId}/history`)).events);
      })}>
        History
      </button>
      <Problem problem={action.problem} />
    </>
  );
}
