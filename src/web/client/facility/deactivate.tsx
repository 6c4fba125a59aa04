// Deactivating a person: first what it leaves behind (their future bookings), then the change.
import { useState } from 'preact/hooks';
import type { AffectedListing, PersonView } from '../api.js';
import { AffectedList } from '../components/affected-list.js';
import { Problem, useAction } from '../components/form.js';
import type { AppContext } from '../ui.js';
import { toast } from '../ui.js';

interface Answer {
  applied: boolean;
  person: PersonView;
  affected: AffectedListing;
}

export function DeactivatePerson(props: { ctx: AppContext; person: PersonView; onChanged(): void }) {
  const { api } = props.ctx;
  const [preview, setPreview] = useState<Answer | null>(null);
  const action = useAction();
  const url = `/api/users/${encodeURIComponent(props.person.id)}`;
  if (!props.person.active) {
    return (
      <button type="button" class="btn small" disabled={action.working} onClick={() => void action.run(async () => {
        await api.post(`${url}/reactivate`);
        toast(`${props.person.name} reactivated`);
        props.onChanged();
      })}>
        Reactivate
      </button>
    );
  }
  return (
    <span class="deactivate">
      {preview ? (
        <div class="card affected-card" data-person={props.person.id}>
          <p>
            <strong>{preview.applied ? `${props.person.name} is deactivated.` : `Deactivating ${props.person.name}`}</strong>{' '}
            {preview.applied
              ? 'Their future bookings wait for a lab manager to cancel or hand over:'
              : 'signs them out for good; these future bookings stay for a lab manager to cancel or hand over:'}
          </p>
          <AffectedList listing={preview.affected} empty="They have no future booking." />
          {preview.applied ? (
            <button type="button" class="btn small" onClick={() => props.onChanged()}>
              Done
            </button>
          ) : (
            <span class="btn-group">
              <button type="button" class="btn small danger" disabled={action.working} onClick={() => void action.run(async () => {
                setPreview(await api.post<Answer>(`${url}/deactivate`, {}));
                toast(`${props.person.name} deactivated`);
              })}>
                Deactivate
              </button>
              <button type="button" class="btn small" onClick={() => setPreview(null)}>
                Keep
              </button>
            </span>
          )}
        </div>
      ) : (
        <button type="button" class="btn small" disabled={action.working} onClick={() => void action.run(async () => {
          setPreview(await api.post<Answer>(`${url}/deactivate?dryRun=true`, {}));
        })}>
          Deactivate…
        </button>
      )}
      <Problem problem={action.problem} />
    </span>
  );
}
