// "My round requests": what the tenant asked of each round and, once a round is published, the
// slot it got or why not, in words that name no other tenant.
import { ProblemBox } from '../components/problem-box.js';
import { formatDuration, formatRange } from '../time.js';
import { explanationList, toast, type AppContext } from '../ui.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RoundRequestView, RoundView } from './types.js';

const stateNames: Record<string, string> = {
  submitted: 'submitted',
  withdrawn: 'withdrawn',
  granted: 'granted',
  left_out: 'not granted',
  lapsed: 'round lapsed',
};

export function MyRoundRequests(props: {
  ctx: AppContext;
  rounds: RoundView[];
  requests: RoundRequestView[];
  onChanged: () => void;
}) {
  const { ctx, requests } = props;
  const [problem, setProblem] = useState<unknown>(null);
  if (requests.length === 0) return <p class="muted">No round requests yet.</p>;
  const roundOf = (id: string) => props.rounds.find((r) => r.id === id);
  const withdraw = async (request: RoundRequestView) => {
    setProblem(null);
    try {
      await ctx.api.post(`/api/round-requests/${request.id}/withdraw`);
      toast('Withdrawn');
      props.onChanged();
    } catch (err) {
      setProblem(err);
    }
  };
  return (
    <div>
      {problem ? <ProblemBox problem={problem} ctx={ctx} /> : null}
      <table class="table round-requests">
        <thead>
          <tr>
            <th>Round</th>
            <th>Tool type</th>
            <th>Time</th>
            <th>Window</th>
            <th>State</th>
            <th>Outcome</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {requests.map((r) => (
            <tr key={r.id} data-request={r.id} data-state={r.state}>
              <td>{r.roundId}</td>
              <td>{r.toolTypeId}</td>
              <td>{formatDuration(r.durationMin)}</td>
              <td class="small">{formatRange(Date.parse(r.earliestStart), Date.parse(r.latestEnd))}</td>
              <td>
                <span class={`badge rstate-${r.state}`}>{stateNames[r.state] ?? r.state}</span>
              </td>
              <td class="outcome">
                <Outcome ctx={ctx} request={r} />
              </td>
              <td>
                {r.state === 'submitted' && roundOf(r.roundId)?.state === 'open' ? (
                  <button type="button" class="btn small subtle" onClick={() => void withdraw(r)}>
                    Withdraw
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Outcome(props: { ctx: AppContext; request: RoundRequestView }) {
  const { outcome } = props.request;
  if (!outcome) return <span class="muted">decided when the round is published</span>;
  if (outcome.kind === 'granted') {
    return (
      <span class="granted-slot">
        <strong>{outcome.toolId}</strong>{' '}
        {formatRange(Date.parse(outcome.startsAt), Date.parse(outcome.endsAt))}
      </span>
    );
  }
  if (outcome.kind === 'lapsed') return <span class="reason">{outcome.words}</span>;
  return (
    <span class="reason">
      {outcome.words}
      {outcome.explanation.length > 0 ? (
        <Explained ctx={props.ctx} explanation={outcome.explanation} />
      ) : null}
    </span>
  );
}

/** The per-tool reasons, drawn by the shared DOM helper. */
function Explained(props: { ctx: AppContext; explanation: Parameters<typeof explanationList>[1] }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    host.current?.replaceChildren(explanationList(props.ctx, props.explanation));
  }, [props.ctx, props.explanation]);
  return <div ref={host} />;
}
