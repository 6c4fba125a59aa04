// What the lab managers must decide on: future bookings on retired tools, of deactivated people,
// or flagged by a lapsed or revoked qualification — cancel, or hand over within the tenant.
import { useState } from 'preact/hooks';
import type { AffectedBooking, PersonView } from '../api.js';
import type { ViewProps } from '../app/view-props.js';
import { AffectedList } from '../components/affected-list.js';
import { Problem, useAction, valueOf } from '../components/form.js';
import { useLoad } from '../components/use-load.js';
import { toast, type AppContext } from '../ui.js';

export function AttentionView(props: ViewProps) {
  const { api } = props.ctx;
  const list = useLoad((signal) => api.get<{ bookings: AffectedBooking[] }>('/api/attention', { signal }), []);
  const bookings = list.data?.bookings ?? [];
  return (
    <section class="attention">
      <h2>Bookings to decide on</h2>
      <p class="muted">
        Changes take effect for new requests only: these existing bookings were left for you to cancel or hand over.
      </p>
      <Problem problem={list.problem} />
      {list.data ? (
        <AffectedList
          listing={{ bookings }}
          empty="Nothing waits for a decision."
          actions={(bookingId) => {
            const booking = bookings.find((b) => b.bookingId === bookingId)!;
            return <Decide ctx={props.ctx} booking={booking} onDone={list.reload} />;
          }}
        />
      ) : null}
    </section>
  );
}

function Decide(props: { ctx: AppContext; booking: AffectedBooking; onDone(): void }) {
  const { api } = props.ctx;
  const { booking } = props;
  const [to, setTo] = useState('');
  const [people, setPeople] = useState<PersonView[] | null>(null);
  const action = useAction();
  if (booking.lotId) return <a href={`#/bookings?lot=${booking.lotId}`}>Act on its lot</a>;
  return (
    <span class="decide">
      <button type="button" class="btn small" disabled={action.working} onClick={() => void action.run(async () => {
        await api.post(`/api/bookings/${booking.bookingId}/cancel`, { reason: `${booking.reason.replaceAll('_', ' ')}: ${booking.detail}`.slice(0, 500) });
        toast('Booking cancelled');
        props.onDone();
      })}>
        Cancel
      </button>
      {people ? (
        <>
          <select aria-label="Hand over to" value={to} onChange={(e) => setTo(valueOf(e))}>
            <option value="">Hand over to…</option>
            {people.filter((p) => p.id !== booking.userId).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <button type="button" class="btn small" disabled={!to || action.working} onClick={() => void action.run(async () => {
            await api.post(`/api/bookings/${booking.bookingId}/hand-over`, { userId: to });
            toast('Booking handed over');
            props.onDone();
          })}>
            Hand over
          </button>
        </>
      ) : (
        <button type="button" class="btn small" disabled={action.working} onClick={() => void action.run(async () => {
          setPeople((await api.get<{ people: PersonView[] }>(`/api/users?tenant=${encodeURIComponent(booking.tenantId)}&active=true`)).people);
        })}>
          Hand over…
        </button>
      )}
      <Problem problem={action.problem} />
    </span>
  );
}
