// A way in for a person someone admitted: a one-time link to hand them, which sets their password.
import { useState } from 'preact/hooks';
import type { IssuedLink, PersonView } from '../api.js';
import { Problem, useAction } from '../components/form.js';
import { formatDateTime } from '../time.js';
import type { AppContext } from '../ui.js';

export function SignInLink(props: { ctx: AppContext; person: PersonView }) {
  const [issued, setIssued] = useState<IssuedLink | null>(null);
  const action = useAction();
  if (!props.person.active) return null;
  const issue = () =>
    void action.run(async () => {
      setIssued(await props.ctx.api.post<IssuedLink>(`/api/users/${encodeURIComponent(props.person.id)}/sign-in-link`, {}));
    });
  return (
    <span class="sign-in-link">
      {issued ? (
        <div class="card account-card new-secret" role="status" data-person={props.person.id}>
          <strong>
            {issued.purpose === 'welcome' ? 'Welcome' : 'Password reset'} link for {props.person.name}: hand it to them now, it is not
            shown again. It works once, until {formatDateTime(Date.parse(issued.expiresAt))}.
          </strong>
          <input class="secret" readOnly value={issued.url} onFocus={(e) => e.currentTarget.select()} aria-label="Sign-in link" />
          <button type="button" class="btn small" onClick={() => setIssued(null)}>
            Done
          </button>
        </div>
      ) : (
        <button type="button" class="btn small" disabled={action.working} title="A one-time link that lets them choose a password" onClick={issue}>
          Sign-in link…
        </button>
      )}
      <Problem problem={action.problem} />
    </span>
  );
}
